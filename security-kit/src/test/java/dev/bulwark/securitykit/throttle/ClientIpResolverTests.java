package dev.bulwark.securitykit.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

class ClientIpResolverTests {

    static InetAddress ip(String literal) {
        return ClientIpResolver.literal(literal).orElseThrow();
    }

    @Test
    void forgedXForwardedForFromAnUntrustedPeerIsIgnored() {
        ClientIpResolver resolver = ClientIpResolver.trusting(List.of("10.0.0.0/8"));

        assertThat(resolver.resolve(ip("203.0.113.9"), List.of(), List.of("1.2.3.4"))).isEqualTo("203.0.113.9");
        assertThat(resolver.resolve(ip("203.0.113.9"), List.of("for=1.2.3.4"), List.of())).isEqualTo("203.0.113.9");
        assertThat(ClientIpResolver.direct().resolve(ip("10.1.1.1"), List.of(), List.of("1.2.3.4"))).isEqualTo("10.1.1.1");
    }

    @Test
    void trustedProxyChainIsWalkedFromTheRightToTheFirstUntrustedAddress() {
        ClientIpResolver resolver = ClientIpResolver.trusting(List.of("10.0.0.0/8", "192.168.1.5"));

        // the client prepended a fake hop: it is left of the real client and never read
        assertThat(resolver.resolve(ip("10.0.0.2"), List.of(), List.of("6.6.6.6, 198.51.100.7, 192.168.1.5")))
                .isEqualTo("198.51.100.7");
        assertThat(resolver.resolve(ip("10.0.0.2"), List.of(), List.of("6.6.6.6", "198.51.100.7")))
                .isEqualTo("198.51.100.7");
    }

    @Test
    void forwardedHeaderWinsOverXForwardedForAndItsSyntaxIsUnderstood() {
        ClientIpResolver resolver = ClientIpResolver.trusting(List.of("10.0.0.0/8"));

        assertThat(resolver.resolve(ip("10.0.0.2"),
                List.of("for=6.6.6.6, for=\"[2001:db8::17]:4711\";proto=https;by=10.0.0.2"), List.of("7.7.7.7")))
                .isEqualTo("2001:db8:0:0:0:0:0:17");
        assertThat(resolver.resolve(ip("10.0.0.2"), List.of("for=198.51.100.7:8080"), List.of()))
                .isEqualTo("198.51.100.7");
    }

    @Test
    void unknownOrGarbageHopStopsAtTheLastKnownAddress() {
        ClientIpResolver resolver = ClientIpResolver.trusting(List.of("10.0.0.0/8"));

        assertThat(resolver.resolve(ip("10.0.0.2"), List.of("for=unknown"), List.of())).isEqualTo("10.0.0.2");
        assertThat(resolver.resolve(ip("10.0.0.2"), List.of(), List.of("evil.example, 10.0.0.3"))).isEqualTo("10.0.0.3");
        assertThat(resolver.resolve(ip("10.0.0.2"), List.of(), List.of())).isEqualTo("10.0.0.2");
    }

    @Test
    void ipv6BlocksAndSingleAddressesMatch() {
        ClientIpResolver resolver = ClientIpResolver.trusting(List.of("::1", "2001:db8::/32", "172.16.0.0/12"));

        assertThat(resolver.isTrusted(ip("::1"))).isTrue();
        assertThat(resolver.isTrusted(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(resolver.isTrusted(ip("2001:db9::1"))).isFalse();
        assertThat(resolver.isTrusted(ip("172.31.255.255"))).isTrue();
        assertThat(resolver.isTrusted(ip("172.32.0.0"))).isFalse();
        assertThat(resolver.isTrusted(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void randomForwardingHeadersNeverChangeTheKeyOfAnUntrustedPeerAndNeverThrow() {
        ClientIpResolver resolver = ClientIpResolver.trusting(List.of("10.0.0.0/8", "::1"));
        java.util.Random random = new java.util.Random(42);
        String alphabet = "0123456789abcdef.:[]\\\";=,_ forFOR-unknown%/";
        for (int i = 0; i < 5000; i++) {
            StringBuilder header = new StringBuilder();
            int length = random.nextInt(60);
            for (int j = 0; j < length; j++) {
                header.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            List<String> values = List.of(header.toString());

            assertThat(resolver.resolve(ip("203.0.113.9"), values, values)).isEqualTo("203.0.113.9");
            String behindProxy = resolver.resolve(ip("10.0.0.2"), values, values);
            assertThat(ClientIpResolver.literal(behindProxy)).as("always an address: %s", header).isPresent();
        }
    }

    @Test
    void hopThatLooksLikeAHostNameIsNeverLookedUp() {
        assertThat(ClientIpResolver.literal("abc.def.fed.cba")).isEmpty();
        assertThat(ClientIpResolver.literal("localhost")).isEmpty();
        assertThat(ClientIpResolver.literal("1.2.3")).isEmpty();
        assertThat(ClientIpResolver.literal("999.1.1.1")).isEmpty();
        assertThat(ClientIpResolver.literal("010.1.1.1")).isEmpty();
        assertThat(ClientIpResolver.literal("0.0.0.0")).isPresent();
        assertThat(ClientIpResolver.literal("::ffff:198.51.100.7")).map(InetAddress::getHostAddress).hasValue("198.51.100.7");
    }

    @Test
    void hostNamesAndBadPrefixesAreRefusedTogether() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ClientIpResolver.trusting(List.of("proxy.example.com", "10.0.0.0/33", "10.0.0.1")))
                .withMessageContaining("'proxy.example.com' (expected: an IP address or CIDR block")
                .withMessageContaining("'10.0.0.0/33' prefix length (expected: 0..32)");
    }
}
