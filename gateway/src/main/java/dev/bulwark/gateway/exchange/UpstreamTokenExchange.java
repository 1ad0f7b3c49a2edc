package dev.bulwark.gateway.exchange;

import reactor.core.publisher.Mono;

/**
 * Turns the caller's validated bearer token into the token the upstream gets. Fails with
 * {@link TokenExchangeFailure} only; never emits the subject token itself.
 */
@FunctionalInterface
public interface UpstreamTokenExchange {

    Mono<String> exchange(String subjectToken);
}
