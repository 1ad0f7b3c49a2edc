package dev.bulwark.order.order;

import java.net.URI;
import java.util.List;

import dev.bulwark.policy.Actions;
import dev.bulwark.policy.PolicyDecision;
import dev.bulwark.securitykit.boot.web.ForwardedPrefix;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
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
    private final OrderAccess access;

    OrderController(OrderService orders, OrderAccess access) {
        this.orders = orders;
        this.access = access;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Order> place(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody PlaceOrderRequest request,
            HttpServletRequest http) {
        Order order = orders.place(customer(jwt), jwt.getTokenValue(), request);
        URI location = URI.create(ForwardedPrefix.path(http, "/orders/" + order.orderId()));
        return ResponseEntity.created(location).body(order);
    }

    /** The order if the policy lets the caller read it (by default: its owner); 404 otherwise, as if it did not exist. */
    @GetMapping("/{id}")
    Order get(@AuthenticationPrincipal Jwt jwt, @PathVariable("id") String id, HttpServletRequest http) {
        Order order = OrderId.parse(id).flatMap(orders::findAny).orElseThrow(OrderNotFoundException::new);
        PolicyDecision decision = access.decide(jwt, Actions.READ, order, http);
        return switch (decision.result()) {
            case ALLOW -> order;
            case DENY -> throw new OrderNotFoundException();
            case ERROR -> throw new PolicyUnavailableException();
        };
    }

    /**
     * Cancels the order if the policy allows it (by default: the {@code ops} role only). The owner who may
     * not cancel gets 403; anyone else who may not even read it gets 404.
     */
    @DeleteMapping("/{id}")
    Order cancel(@AuthenticationPrincipal Jwt jwt, @PathVariable("id") String id, HttpServletRequest http) {
        Order order = OrderId.parse(id).flatMap(orders::findAny).orElseThrow(OrderNotFoundException::new);
        PolicyDecision decision = access.decide(jwt, Actions.CANCEL, order, http);
        return switch (decision.result()) {
            case ALLOW -> orders.cancel(order);
            case DENY -> {
                if (access.decide(jwt, Actions.READ, order, http).allowed()) {
                    throw new OrderAccessDeniedException(decision.decisionId());
                }
                throw new OrderNotFoundException();
            }
            case ERROR -> throw new PolicyUnavailableException();
        };
    }

    @GetMapping
    List<Order> list(@AuthenticationPrincipal Jwt jwt) {
        return orders.list(customer(jwt));
    }

    private static CustomerId customer(Jwt jwt) {
        return new CustomerId(jwt.getSubject());
    }
}
