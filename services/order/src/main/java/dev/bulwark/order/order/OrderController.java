package dev.bulwark.order.order;

import java.net.URI;
import java.util.List;

import dev.bulwark.securitykit.boot.web.ForwardedPrefix;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The Order API. The customer is always the {@code sub} of the verified user-context JWT. */
@RestController
@RequestMapping(path = "/orders", produces = MediaType.APPLICATION_JSON_VALUE)
class OrderController {

    private final OrderService orders;

    OrderController(OrderService orders) {
        this.orders = orders;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Order> place(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody PlaceOrderRequest request,
            HttpServletRequest http) {
        Order order = orders.place(customer(jwt), jwt.getTokenValue(), request);
        URI location = URI.create(ForwardedPrefix.path(http, "/orders/" + order.orderId()));
        return ResponseEntity.created(location).body(order);
    }

    @GetMapping("/{id}")
    Order get(@AuthenticationPrincipal Jwt jwt, @PathVariable("id") String id) {
        CustomerId customer = customer(jwt);
        return OrderId.parse(id).flatMap(orderId -> orders.find(customer, orderId))
            .orElseThrow(OrderNotFoundException::new);
    }

    @GetMapping
    List<Order> list(@AuthenticationPrincipal Jwt jwt) {
        return orders.list(customer(jwt));
    }

    private static CustomerId customer(Jwt jwt) {
        return new CustomerId(jwt.getSubject());
    }
}
