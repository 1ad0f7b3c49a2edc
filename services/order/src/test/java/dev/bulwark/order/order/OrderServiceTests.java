package dev.bulwark.order.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import dev.bulwark.order.delivery.DeliveryScheduler;
import dev.bulwark.order.downstream.Caller;
import dev.bulwark.order.downstream.DownstreamException;
import dev.bulwark.order.downstream.Item;
import dev.bulwark.order.inventory.InsufficientStockException;
import dev.bulwark.order.inventory.InventoryReservations;
import dev.bulwark.order.inventory.Reservation;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.TransactionOperations;

/** The placement pipeline with fakes in place of the inventory, the delivery scheduler and the database. */
class OrderServiceTests {

    static final CustomerId PETER = new CustomerId("peter");
    static final String JWT = "user-context-jwt";
    static final PlaceOrderRequest REQUEST = new PlaceOrderRequest(
            List.of(new PlaceOrderRequest.Item("IT0001", 3), new PlaceOrderRequest.Item("IT0002", 1)),
            "201, Galle Road, Colombo 03");

    final List<String> events = new ArrayList<>();
    final StoredOrders stored = new StoredOrders();
    RuntimeException reserveFailure;
    RuntimeException scheduleFailure;
    RuntimeException releaseFailure;

    final InventoryReservations inventory = new InventoryReservations() {

        @Override
        public Reservation reserve(Caller caller, List<Item> items) {
            events.add("reserve " + caller.subject() + " " + items);
            if (reserveFailure != null) {
                throw reserveFailure;
            }
            return new Reservation("r-1");
        }

        @Override
        public void release(Caller caller, Reservation reservation) {
            events.add("release " + reservation.id());
            if (releaseFailure != null) {
                throw releaseFailure;
            }
        }
    };

    final DeliveryScheduler delivery = (caller, orderId, address, items) -> {
        events.add("schedule " + caller.userContextJwt() + " " + address);
        if (scheduleFailure != null) {
            throw scheduleFailure;
        }
        return "d-1";
    };

    OrderService service() {
        return new OrderService(stored, inventory, delivery, TransactionOperations.withoutTransaction());
    }

    @Test
    void placeWhenEveryStepSucceedsThenStoresReservationAndDelivery() {
        Order order = service().place(PETER, JWT, REQUEST);

        assertThat(events).containsExactly(
                "reserve peter [Item[code=IT0001, qty=3], Item[code=IT0002, qty=1]]",
                "schedule user-context-jwt 201, Galle Road, Colombo 03");
        assertThat(order.deliveryId()).isEqualTo("d-1");
        assertThat(stored.orders).containsExactly(order);
        assertThat(stored.reservationIds).containsExactly("r-1");
    }

    @Test
    void placeWhenStockIsShortThenNothingIsScheduledOrStored() {
        reserveFailure = new InsufficientStockException();

        assertThatThrownBy(() -> service().place(PETER, JWT, REQUEST)).isSameAs(reserveFailure);

        assertThat(events).hasSize(1).allMatch(e -> e.startsWith("reserve"));
        assertThat(stored.orders).isEmpty();
    }

    @Test
    void placeWhenTheStsFailsDuringReservationThenNothingIsScheduledOrStored() {
        reserveFailure = new DownstreamException("sts", "exchange", "status_503");

        assertThatThrownBy(() -> service().place(PETER, JWT, REQUEST)).isSameAs(reserveFailure);

        assertThat(events).hasSize(1);
        assertThat(stored.orders).isEmpty();
    }

    @Test
    void placeWhenTheDeliveryFailsThenTheReservationIsReleasedAndNothingIsStored() {
        scheduleFailure = new DownstreamException("delivery", "schedule", "status_500");

        assertThatThrownBy(() -> service().place(PETER, JWT, REQUEST)).isSameAs(scheduleFailure);

        assertThat(events).last().isEqualTo("release r-1");
        assertThat(stored.orders).isEmpty();
    }

    @Test
    void placeWhenTheDeliveryFailsUnexpectedlyThenTheReservationIsStillReleased() {
        scheduleFailure = new IllegalStateException("bug");

        assertThatThrownBy(() -> service().place(PETER, JWT, REQUEST)).isSameAs(scheduleFailure);

        assertThat(events).last().isEqualTo("release r-1");
        assertThat(stored.orders).isEmpty();
    }

    @Test
    void placeWhenTheReleaseFailsTooThenTheDeliveryFailureIsReportedWithTheReleaseFailureSuppressed() {
        scheduleFailure = new DownstreamException("delivery", "schedule", "timeout");
        releaseFailure = new DownstreamException("inventory", "release", "status_503");

        assertThatThrownBy(() -> service().place(PETER, JWT, REQUEST)).isSameAs(scheduleFailure)
            .satisfies(ex -> assertThat(ex.getSuppressed()).containsExactly(releaseFailure));
        assertThat(stored.orders).isEmpty();
    }

    @Test
    void placeWhenStoringFailsThenTheReservationIsReleased() {
        stored.failure = new DataIntegrityViolationException("check constraint");

        assertThatThrownBy(() -> service().place(PETER, JWT, REQUEST)).isSameAs(stored.failure);

        assertThat(events).last().isEqualTo("release r-1");
    }

    @Test
    void placeWhenDownstreamIsDisabledThenStoresWithoutReservationOrDelivery() {
        OrderService service = new OrderService(stored, InventoryReservations.disabled(), DeliveryScheduler.off(),
                TransactionOperations.withoutTransaction());

        Order order = service.place(PETER, JWT, REQUEST);

        assertThat(order.deliveryId()).isNull();
        assertThat(stored.reservationIds).containsExactly((String) null);
    }

    /** The repository without a database: records what would be inserted, or fails. */
    static final class StoredOrders extends OrderRepository {

        final List<Order> orders = new ArrayList<>();
        final List<@Nullable String> reservationIds = new ArrayList<>();
        RuntimeException failure;

        StoredOrders() {
            super(null);
        }

        @Override
        void insert(Order order, @Nullable String reservationId) {
            if (failure != null) {
                throw failure;
            }
            orders.add(order);
            reservationIds.add(reservationId);
        }
    }
}
