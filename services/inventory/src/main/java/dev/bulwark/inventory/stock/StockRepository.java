package dev.bulwark.inventory.stock;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Stock levels ({@code stock}) and reservations ({@code reservations}, {@code reservation_items}). */
@Repository
class StockRepository {

    private final JdbcClient jdbc;

    StockRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes {@code qty} of {@code code} if that much is in stock; one conditional update, so two concurrent
     * reservations can never both take the last units.
     */
    boolean take(String code, int qty) {
        return jdbc.sql("update stock set qty = qty - ? where code = ? and qty >= ?")
            .params(qty, code, qty)
            .update() == 1;
    }

    void giveBack(String code, int qty) {
        jdbc.sql("update stock set qty = qty + ? where code = ?").params(qty, code).update();
    }

    Optional<StockLine> level(String code) {
        return jdbc.sql("select code, qty from stock where code = ?")
            .param(code)
            .query((rs, n) -> new StockLine(rs.getString("code"), rs.getInt("qty")))
            .optional();
    }

    void insert(ReservationId id, String subject, Instant created, List<StockLine> lines) {
        jdbc.sql("insert into reservations (id, subject, created_at) values (?, ?, ?)")
            .params(id.value(), subject, OffsetDateTime.ofInstant(created, ZoneOffset.UTC))
            .update();
        int lineNo = 0;
        for (StockLine line : lines) {
            jdbc.sql("insert into reservation_items (reservation_id, line_no, code, qty) values (?, ?, ?, ?)")
                .params(id.value(), lineNo++, line.code(), line.qty())
                .update();
        }
    }

    /** The reservation's lines if it exists and belongs to {@code subject}; empty otherwise. */
    List<StockLine> lines(ReservationId id, String subject) {
        return jdbc.sql("select i.code, i.qty from reservation_items i join reservations r on r.id = i.reservation_id"
                + " where r.id = ? and r.subject = ? order by i.code")
            .params(id.value(), subject)
            .query((rs, n) -> new StockLine(rs.getString("code"), rs.getInt("qty")))
            .list();
    }

    /** Deletes the reservation (and its lines); false if another transaction already did. */
    boolean delete(ReservationId id, String subject) {
        return jdbc.sql("delete from reservations where id = ? and subject = ?").params(id.value(), subject).update() == 1;
    }
}
