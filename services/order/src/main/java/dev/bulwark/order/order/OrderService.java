package dev.bulwark.order.order;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.bulwark.order.delivery.DeliveryScheduler;
import dev.bulwark.order.downstream.Caller;
import dev.bulwark.order.downstream.DownstreamException;
import dev.bulwark.order.downstream.Item;
import dev.bulwark.order.inventory.InventoryReservations;
import dev.bulwark.order.inventory.Reservation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Places and finds orders; every lookup is scoped to the calling customer. Placing is a pipeline: reserve the
 * stock (inventory), schedule the delivery (logistics), then store the order in one transaction. A failed step
 * undoes the reservation, so no order row exists unless every downstream call succeeded. The downstream calls
 * run outside the database transaction (no connection is held while waiting for another service).
 */
@Service
public class OrderService {

    private static final Logger log = LoggerFactory.getLogger(OrderService.class);

    private final OrderRepository repository;
    private final InventoryReservations inventory;
    private final DeliveryScheduler delivery;
    private final TransactionOperations transactions;
    private final Clock clock = Clock.systemUTC();

    OrderService(OrderRepository repository, InventoryReservations inventory, DeliveryScheduler delivery,
            TransactionOperations transactions) {
        this.repository = repository;
        this.inventory = inventory;
        this.delivery = delivery;
        this.transactions = transactions;
    }

    /**
     * Reserves, schedules and stores the order.
     *
     * @param userContextJwt the caller's verified user-context JWT (subject token of the exchanges)
     * @throws dev.bulwark.order.inventory.InsufficientStockException when the inventory refuses (nothing stored)
     * @throws DownstreamException when another service failed (nothing stored, reservation released)
     */
    public Order place(CustomerId customer, String userContextJwt, PlaceOrderRequest request) {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(userContextJwt, "userContextJwt");
        List<Order.OrderLine> lines = Objects.requireNonNull(request.items(), "items")
            .stream()
            .map(i -> new Order.OrderLine(Objects.requireNonNull(i.itemCode(), "itemCode"),
                    Objects.requireNonNull(i.quantity(), "quantity")))
            .toList();
        String address = Objects.requireNonNull(request.shippingAddress(), "shippingAddress");
        String orderId = OrderId.random().toString();
        Caller caller = new Caller(customer.value(), userContextJwt);
        List<Item> items = lines.stream().map(l -> new Item(l.itemCode(), l.quantity())).toList();

        Reservation reservation = inventory.reserve(caller, items);
        @Nullable String deliveryId;
        try {
            deliveryId = delivery.schedule(caller, orderId, address, items);
        }
        catch (RuntimeException ex) {
            log.info("event=order_failed order_id={} step=delivery reason={}", orderId, reason(ex));
            release(caller, reservation, ex);
            throw ex;
        }
        // microseconds: what both H2 and PostgreSQL store, so the response equals what a later GET returns
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Order order = new Order(orderId, customer.value(), lines, address, OrderStatus.PLACED, now, deliveryId);
        try {
            transactions.executeWithoutResult(status -> repository.insert(order, reservation.id()));
        }
        catch (RuntimeException ex) {
            // the scheduled delivery cannot be cancelled (the delivery API has no cancel); it is logged
            log.warn("event=order_failed order_id={} step=store delivery_id={} reason={}", orderId, deliveryId,
                    ex.getClass().getSimpleName());
            release(caller, reservation, ex);
            throw ex;
        }
        log.info("event=order_placed order_id={} lines={} reservation_id={} delivery_id={}", order.orderId(),
                lines.size(), reservation.id(), deliveryId);
        return order;
    }

    private void release(Caller caller, Reservation reservation, RuntimeException failure) {
        if (reservation.id() == null) {
            return;
        }
        try {
            inventory.release(caller, reservation);
        }
        catch (RuntimeException ex) {
            log.warn("event=reservation_release_failed reservation_id={} reason={}", reservation.id(), reason(ex));
            failure.addSuppressed(ex);
        }
    }

    private static String reason(RuntimeException ex) {
        return ex instanceof DownstreamException downstream
                ? downstream.component() + ":" + downstream.step() + ":" + downstream.reason()
                : ex.getClass().getSimpleName();
    }

    /** The order if it exists and belongs to {@code customer}; empty otherwise (the two are not told apart). */
    @Transactional(readOnly = true)
    public Optional<Order> find(CustomerId customer, OrderId id) {
        return repository.findByIdAndCustomer(id, customer);
    }

    /** Any customer's order, for a caller whose access the policy then decides. */
    @Transactional(readOnly = true)
    public Optional<Order> findAny(OrderId id) {
        return repository.findById(id);
    }

    /**
     * Cancels the order (the caller's right was decided by the policy). The stock stays reserved: a
     * reservation belongs to the customer's delegated identity at the inventory service, which an
     * operator's token cannot release; releasing it is left to fulfilment, which does not exist yet.
     */
    @Transactional
    public Order cancel(Order order) {
        OrderId id = OrderId.parse(order.orderId()).orElseThrow();
        repository.updateStatus(id, OrderStatus.CANCELLED);
        log.info("event=order_cancelled order_id={}", order.orderId());
        return new Order(order.orderId(), order.customer(), order.items(), order.shippingAddress(), OrderStatus.CANCELLED,
                order.createdAt(), order.deliveryId());
    }

    /** The customer's newest orders, at most {@value OrderRepository#LIST_LIMIT}. */
    @Transactional(readOnly = true)
    public List<Order> list(CustomerId customer) {
        return repository.findByCustomer(customer);
    }
}
