package dev.bulwark.sts.exchange;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts and logs every delegation-grant decision:
 * {@code bulwark_sts_token_exchanges_total{client,audience,result}} (result {@code issued} or the
 * error code) and {@code event=token_exchange grant=.. client=.. audience=.. result=.. reason=.. issuer=.. sub=..}.
 * Never the token. {@code audience} is a configured target audience or {@code other}, so a caller
 * cannot blow up the metric's cardinality. The line is a security event: it is written to the audit
 * logger {@code bulwark.audit} (and from there to the console and the hash-chained audit file).
 */
final class ExchangeOutcomes {

    private static final Logger audit = LoggerFactory.getLogger("bulwark.audit");

    private final MeterRegistry registry;

    ExchangeOutcomes(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String grant, String client, String audience, String result, String reason, String issuer, String sub) {
        Counter.builder("bulwark.sts.token.exchanges")
                .description("Token exchange (RFC 8693) and JWT bearer (RFC 7523) requests, by client, audience and result")
                .tag("client", client).tag("audience", audience).tag("result", result)
                .register(registry).increment();
        audit.info("event=token_exchange grant={} client={} audience={} result={} reason={} issuer={} sub={}", grant,
                client, audience, result, reason, printable(issuer), printable(sub));
    }

    // issuer and sub may come from a token that failed verification: keep log lines intact
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 128));
        s.codePoints().limit(128).forEach(c -> b.append(c >= 0x21 && c <= 0x7e ? (char) c : '?'));
        return b.toString();
    }
}
