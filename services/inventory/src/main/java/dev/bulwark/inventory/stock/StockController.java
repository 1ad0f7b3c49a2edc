package dev.bulwark.inventory.stock;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Inventory API. The subject a reservation belongs to is the name of the verified caller (the {@code sub}
 * of its east/west token), never a request field.
 */
@RestController
@RequestMapping(path = "/inventory", produces = MediaType.APPLICATION_JSON_VALUE)
class StockController {

    private final StockService stock;

    StockController(StockService stock) {
        this.stock = stock;
    }

    @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Reservation reserve(Authentication caller, @RequestBody @Nullable List<@Nullable RequestedItem> items) {
        return stock.reserve(caller.getName(), ReservationRequest.validate(items));
    }

    @DeleteMapping("/reservations/{id}")
    ResponseEntity<Void> release(Authentication caller, @PathVariable("id") String id) {
        ReservationId reservation = ReservationId.parse(id)
            .orElseThrow(() -> new NotFoundException(NotFoundException.Kind.RESERVATION));
        stock.release(caller.getName(), reservation);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{code}")
    StockLine level(@PathVariable("code") String code) {
        return stock.level(code);
    }
}
