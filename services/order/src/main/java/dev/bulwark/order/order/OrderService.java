package dev.bulwark.order.order;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Places and finds orders; every lookup is scoped to the calling customer. */
@Service
public class OrderService {

    private static final Logger log = LoggerFactory.getLogger(OrderService.class);

    private final OrderRepository repository;
    private final Clock clock = Clock.systemUTC();

    OrderService(OrderRepository repository) {
        this.repository = repository;
    }

    /** Stores the order and all its lines in one transaction. */
    @Transactional
    public Order place(CustomerId customer, PlaceOrderRequest request) {
        Objects.requireNonNull(customer, "customer");
        List<Order.OrderLine> lines = Objects.requireNonNull(request.items(), "items")
            .stream()
            .map(i -> new Order.OrderLine(Objects.requireNonNull(i.itemCode(), "itemCode"),
                    Objects.requireNonNull(i.quantity(), "quantity")))
            .toList();
        // microseconds: what both H2 and PostgreSQL store, so the response equals what a later GET returns
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Order order = new Order(OrderId.random().toString(), customer.value(), lines,
                Objects.requireNonNull(request.shippingAddress(), "shippingAddress"), OrderStatus.PLACED, now);
        repository.insert(order);
        log.info("event=order_placed order_id={} lines={}", order.orderId(), lines.size());
        return order;
    }

    /** The order if it exists and belongs to {@code customer}; empty otherwise (the two are not told apart). */
    @Transactional(readOnly = true)
    public Optional<Order> find(CustomerId customer, OrderId id) {
        return repository.findByIdAndCustomer(id, customer);
    }

    /** The customer's newest orders, at most {@value OrderRepository#LIST_LIMIT}. */
    @Transactional(readOnly = true)
    public List<Order> list(CustomerId customer) {
        return repository.findByCustomer(customer);
    }
}
