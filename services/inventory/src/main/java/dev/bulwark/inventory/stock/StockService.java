package dev.bulwark.inventory.stock;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reserves, releases and reports stock. A reservation is all or nothing. */
@Service
public class StockService {

    private static final Logger log = LoggerFactory.getLogger(StockService.class);

    private final StockRepository repository;
    private final Clock clock = Clock.systemUTC();

    StockService(StockRepository repository) {
        this.repository = repository;
    }

    /**
     * Takes every line from stock and records the reservation for {@code subject}, in one transaction: the
     * first line that is short or unknown throws {@link InsufficientStockException} and rolls everything back.
     */
    @Transactional
    public Reservation reserve(String subject, List<StockLine> lines) {
        Objects.requireNonNull(subject, "subject");
        // rows are locked in code order so two reservations of the same items cannot deadlock
        for (StockLine line : lines.stream().sorted(Comparator.comparing(StockLine::code)).toList()) {
            if (!repository.take(line.code(), line.qty())) {
                log.info("event=stock_short code={} qty={}", line.code(), line.qty());
                throw new InsufficientStockException(line.code());
            }
        }
        ReservationId id = ReservationId.random();
        repository.insert(id, subject, Instant.now(clock), lines);
        log.info("event=stock_reserved reservation_id={} lines={}", id, lines.size());
        return new Reservation(id.toString(), lines);
    }

    /**
     * Deletes the caller's reservation and puts its quantities back; {@link NotFoundException} if there is no
     * such reservation of {@code subject} (including a second release of the same one).
     */
    @Transactional
    public void release(String subject, ReservationId id) {
        List<StockLine> lines = repository.lines(id, subject);
        // the delete decides: of two concurrent releases only one deletes the row, the other rolls back
        if (lines.isEmpty() || !repository.delete(id, subject)) {
            throw new NotFoundException(NotFoundException.Kind.RESERVATION);
        }
        for (StockLine line : lines) {
            repository.giveBack(line.code(), line.qty());
        }
        log.info("event=stock_released reservation_id={} lines={}", id, lines.size());
    }

    /** The item's current stock, or {@link NotFoundException}. */
    @Transactional(readOnly = true)
    public StockLine level(String code) {
        if (!StockLine.CODE.matcher(code).matches()) {
            throw new NotFoundException(NotFoundException.Kind.ITEM);
        }
        return repository.level(code).orElseThrow(() -> new NotFoundException(NotFoundException.Kind.ITEM));
    }
}
