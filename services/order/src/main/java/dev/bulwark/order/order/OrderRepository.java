package dev.bulwark.order.order;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Orders and their lines in the {@code orders} and {@code order_items} tables. */
@Repository
class OrderRepository {

    /** The newest orders a list returns; the API has no paging yet. */
    static final int LIST_LIMIT = 100;

    private final JdbcClient jdbc;

    OrderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Order order, @Nullable String reservationId) {
        UUID id = UUID.fromString(order.orderId());
        jdbc.sql("insert into orders (id, customer, shipping_address, status, created_at, reservation_id, delivery_id)"
                + " values (?, ?, ?, ?, ?, ?, ?)")
            .params(id, order.customer(), order.shippingAddress(), order.status().name(),
                    OffsetDateTime.ofInstant(order.createdAt(), ZoneOffset.UTC), reservationId, order.deliveryId())
            .update();
        int lineNo = 0;
        for (Order.OrderLine line : order.items()) {
            jdbc.sql("insert into order_items (order_id, line_no, item_code, quantity) values (?, ?, ?, ?)")
                .params(id, lineNo++, line.itemCode(), line.quantity())
                .update();
        }
    }

    /** Any customer's order: for a caller whose access the policy decides (ownership, the ops role). */
    Optional<Order> findById(OrderId id) {
        List<Header> headers = jdbc
            .sql("select id, customer, shipping_address, status, created_at, delivery_id from orders where id = ?")
            .params(id.value())
            .query(OrderRepository::header)
            .list();
        return headers.stream().findFirst().map(h -> h.withLines(lines(List.of(h.id())).getOrDefault(h.id(), List.of())));
    }

    /** Sets the status; false when no such order exists. */
    boolean updateStatus(OrderId id, OrderStatus status) {
        return jdbc.sql("update orders set status = ? where id = ?").params(status.name(), id.value()).update() == 1;
    }

    Optional<Order> findByIdAndCustomer(OrderId id, CustomerId customer) {
        List<Header> headers = jdbc
            .sql("select id, customer, shipping_address, status, created_at, delivery_id from orders where id = ? and customer = ?")
            .params(id.value(), customer.value())
            .query(OrderRepository::header)
            .list();
        return headers.stream().findFirst().map(h -> h.withLines(lines(List.of(h.id())).getOrDefault(h.id(), List.of())));
    }

    List<Order> findByCustomer(CustomerId customer) {
        List<Header> headers = jdbc
            .sql("select id, customer, shipping_address, status, created_at, delivery_id from orders where customer = ?"
                    + " order by created_at desc, id fetch first " + LIST_LIMIT + " rows only")
            .params(customer.value())
            .query(OrderRepository::header)
            .list();
        Map<UUID, List<Order.OrderLine>> lines = lines(headers.stream().map(Header::id).toList());
        return headers.stream().map(h -> h.withLines(lines.getOrDefault(h.id(), List.of()))).toList();
    }

    private Map<UUID, List<Order.OrderLine>> lines(List<UUID> orderIds) {
        Map<UUID, List<Order.OrderLine>> byOrder = new LinkedHashMap<>();
        if (orderIds.isEmpty()) {
            return byOrder;
        }
        // one query per order keeps the SQL static; a list holds at most LIST_LIMIT orders
        for (UUID orderId : orderIds) {
            List<Order.OrderLine> lines = jdbc
                .sql("select item_code, quantity from order_items where order_id = ? order by line_no")
                .params(orderId)
                .query((rs, n) -> new Order.OrderLine(rs.getString("item_code"), rs.getInt("quantity")))
                .list();
            byOrder.put(orderId, new ArrayList<>(lines));
        }
        return byOrder;
    }

    private static Header header(ResultSet rs, int rowNum) throws SQLException {
        return new Header(rs.getObject("id", UUID.class), rs.getString("customer"), rs.getString("shipping_address"),
                OrderStatus.valueOf(rs.getString("status")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getString("delivery_id"));
    }

    private record Header(UUID id, String customer, String shippingAddress, OrderStatus status, Instant createdAt,
            @Nullable String deliveryId) {

        Order withLines(List<Order.OrderLine> lines) {
            return new Order(id.toString(), customer, lines, shippingAddress, status, createdAt, deliveryId);
        }
    }
}
