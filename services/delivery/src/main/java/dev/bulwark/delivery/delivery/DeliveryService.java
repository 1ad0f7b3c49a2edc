package dev.bulwark.delivery.delivery;

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

/** Schedules and finds deliveries; every lookup is scoped to the subject that scheduled it. */
@Service
public class DeliveryService {

    private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);

    private final DeliveryRepository repository;
    private final Clock clock = Clock.systemUTC();

    DeliveryService(DeliveryRepository repository) {
        this.repository = repository;
    }

    /** Stores the delivery and its lines in one transaction, status {@code SCHEDULED}. */
    @Transactional
    public Delivery schedule(String subject, ScheduleDeliveryRequest request) {
        Objects.requireNonNull(subject, "subject");
        String orderId = Objects.requireNonNull(request.orderId(), "orderId");
        List<ScheduleDeliveryRequest.Item> items = Objects.requireNonNull(request.items(), "items");
        DeliveryId id = DeliveryId.random();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        repository.insert(id, subject, orderId, Objects.requireNonNull(request.address(), "address"),
                DeliveryStatus.SCHEDULED, now, items);
        log.info("event=delivery_scheduled delivery_id={} order_id={} lines={}", id, orderId, items.size());
        return new Delivery(id.toString(), orderId, DeliveryStatus.SCHEDULED);
    }

    /** The delivery if it exists and belongs to {@code subject}; empty otherwise (the two are not told apart). */
    @Transactional(readOnly = true)
    public Optional<Delivery> find(String subject, DeliveryId id) {
        return repository.find(id, subject);
    }
}
