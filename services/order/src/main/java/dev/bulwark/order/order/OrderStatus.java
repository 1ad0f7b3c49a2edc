package dev.bulwark.order.order;

/** Where an order is in its life. Only {@code PLACED} exists until fulfilment is built. */
public enum OrderStatus {
    PLACED
}
