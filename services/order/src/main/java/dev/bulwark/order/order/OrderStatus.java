package dev.bulwark.order.order;

/** Where an order is in its life: placed, or cancelled by operations ({@code DELETE /orders/{id}}). */
public enum OrderStatus {
    PLACED,
    CANCELLED
}
