package dev.bulwark.inventory.stock;

/** One rejected field of a request body: its JSON path (e.g. {@code [2].qty}) and what was expected. */
public record FieldProblem(String field, String message) {
}
