package dev.bulwark.delivery.delivery;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Deliveries and their lines in the {@code deliveries} and {@code delivery_items} tables. */
@Repository
class DeliveryRepository {

    private final JdbcClient jdbc;

    DeliveryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(DeliveryId id, String subject, String orderId, String address, DeliveryStatus status,
            Instant created, List<ScheduleDeliveryRequest.Item> items) {
        jdbc.sql("insert into deliveries (id, subject, order_id, address, status, created_at) values (?, ?, ?, ?, ?, ?)")
            .params(id.value(), subject, orderId, address, status.name(), OffsetDateTime.ofInstant(created, ZoneOffset.UTC))
            .update();
        int lineNo = 0;
        for (ScheduleDeliveryRequest.Item item : items) {
            jdbc.sql("insert into delivery_items (delivery_id, line_no, code, qty) values (?, ?, ?, ?)")
                .params(id.value(), lineNo++, item.code(), item.qty())
                .update();
        }
    }

    Optional<Delivery> find(DeliveryId id, String subject) {
        return jdbc.sql("select id, order_id, status from deliveries where id = ? and subject = ?")
            .params(id.value(), subject)
            .query((rs, n) -> new Delivery(rs.getObject("id", java.util.UUID.class).toString(),
                    rs.getString("order_id"), DeliveryStatus.valueOf(rs.getString("status"))))
            .optional();
    }
}
