package dev.bulwark.launcher;

public final class Bulwark {
    public static void main(String[] args) {
    }
}
