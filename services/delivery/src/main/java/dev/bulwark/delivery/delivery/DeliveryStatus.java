package dev.bulwark.delivery.delivery;

/** Where a delivery is in its life. Only {@code SCHEDULED} exists until dispatch is built. */
public enum DeliveryStatus {
    SCHEDULED
}
