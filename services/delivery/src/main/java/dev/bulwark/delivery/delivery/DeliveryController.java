package dev.bulwark.delivery.delivery;

import java.net.URI;

import dev.bulwark.securitykit.boot.web.ForwardedPrefix;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Delivery API. A delivery belongs to the name of the verified caller (the {@code sub} of its token, the
 * end user on whose behalf the order service or logistics gateway calls), never to a request field.
 */
@RestController
@RequestMapping(path = "/deliveries", produces = MediaType.APPLICATION_JSON_VALUE)
class DeliveryController {

    private final DeliveryService deliveries;

    DeliveryController(DeliveryService deliveries) {
        this.deliveries = deliveries;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Delivery> schedule(Authentication caller, @Valid @RequestBody ScheduleDeliveryRequest request,
            HttpServletRequest http) {
        Delivery delivery = deliveries.schedule(caller.getName(), request);
        URI location = URI.create(ForwardedPrefix.path(http, "/deliveries/" + delivery.deliveryId()));
        return ResponseEntity.created(location).body(delivery);
    }

    @GetMapping("/{id}")
    Delivery get(Authentication caller, @PathVariable("id") String id) {
        return DeliveryId.parse(id)
            .flatMap(deliveryId -> deliveries.find(caller.getName(), deliveryId))
            .orElseThrow(DeliveryNotFoundException::new);
    }
}
