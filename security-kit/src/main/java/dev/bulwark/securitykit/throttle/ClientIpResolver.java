package dev.bulwark.securitykit.throttle;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The address a throttle keys a client by. It is the connection's peer address, unless that peer is
 * a trusted proxy: then the proxy chain in {@code Forwarded: for=} (RFC 7239 §5.2) or, if absent,
 * {@code X-Forwarded-For} is walked from the right, and the first address that is not a trusted
 * proxy is the client. A client that forges these headers while connecting directly changes
 * nothing, and one that prepends fake hops behind a trusted proxy only fills the part of the
 * chain that is never read.
 */
public final class ClientIpResolver {

    // only these shapes reach InetAddress.getByName, so it never turns a hop into a DNS lookup: a dotted
    // quad, or a string with a colon (which the JDK parses as an IPv6 literal or rejects)
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final List<Cidr> trusted;

    private ClientIpResolver(List<Cidr> trusted) {
        this.trusted = trusted;
    }

    /** Trusts no proxy: the connection's address is always the client. */
    public static ClientIpResolver direct() {
        return new ClientIpResolver(List.of());
    }

    /**
     * Trusts the given proxies, each an address ({@code 10.0.0.7}, {@code ::1}) or a CIDR block
     * ({@code 10.0.0.0/8}). Host names are refused (no DNS lookups); every bad entry is reported.
     */
    public static ClientIpResolver trusting(Collection<String> trustedProxies) {
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        List<Cidr> cidrs = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String entry : trustedProxies) {
            try {
                cidrs.add(Cidr.parse(entry));
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new ClientIpResolver(List.copyOf(cidrs));
    }

    /** Whether {@code address} is one of the trusted proxies. */
    public boolean isTrusted(InetAddress address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client address for a request.
     *
     * @param peer the connection's remote address
     * @param forwarded the values of the {@code Forwarded} headers, in order (may be empty)
     * @param xForwardedFor the values of the {@code X-Forwarded-For} headers, in order (may be empty)
     * @return the client address in its canonical text form
     */
    public String resolve(InetAddress peer, List<String> forwarded, List<String> xForwardedFor) {
        Objects.requireNonNull(peer, "peer");
        if (trusted.isEmpty() || !isTrusted(peer)) {
            return peer.getHostAddress();
        }
        List<String> hops = !forwarded.isEmpty() ? forwardedFor(forwarded) : split(xForwardedFor);
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = parseHop(hops.get(i));
            if (hop.isEmpty()) {
                break; // "unknown", an obfuscated name or garbage: the last good hop is the best we know
            }
            client = hop.get();
            if (!isTrusted(client)) {
                break;
            }
        }
        return client.getHostAddress();
    }

    private static List<String> split(List<String> headers) {
        List<String> hops = new ArrayList<>();
        for (String header : headers) {
            for (String part : header.split(",")) {
                if (!part.isBlank()) {
                    hops.add(part.strip());
                }
            }
        }
        return hops;
    }

    private static List<String> forwardedFor(List<String> headers) {
        List<String> hops = new ArrayList<>();
        for (String element : split(headers)) {
            String found = "unknown";
            for (String pair : element.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).strip().equalsIgnoreCase("for")) {
                    found = pair.substring(eq + 1).strip();
                }
            }
            hops.add(found);
        }
        return hops;
    }

    /** A hop as written in either header: quoted, {@code [v6]:port}, {@code v4:port}, or bare. */
    static Optional<InetAddress> parseHop(String raw) {
        String hop = raw.strip();
        if (hop.length() >= 2 && hop.startsWith("\"") && hop.endsWith("\"")) {
            hop = hop.substring(1, hop.length() - 1);
        }
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            if (end < 0) {
                return Optional.empty();
            }
            hop = hop.substring(1, end);
        } else if (hop.indexOf(':') > 0 && hop.indexOf(':') == hop.lastIndexOf(':')) {
            hop = hop.substring(0, hop.indexOf(':')); // IPv4 with a port
        }
        return literal(hop);
    }

    static Optional<InetAddress> literal(String text) {
        if (IPV4_LITERAL.matcher(text).matches()) {
            for (String octet : text.split("\\.")) {
                if (Integer.parseInt(octet) > 255 || octet.length() > 1 && octet.charAt(0) == '0') {
                    return Optional.empty(); // out of range or ambiguous (octal?): the JDK might look it up as a name
                }
            }
        } else if (!IPV6_LITERAL.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text)); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private record Cidr(byte[] network, int prefix) {

        static Cidr parse(String entry) {
            String text = entry.strip().toLowerCase(Locale.ROOT);
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            InetAddress parsed = literal(address).orElseThrow(() -> new IllegalArgumentException(
                    "trusted-proxies: '" + entry + "' (expected: an IP address or CIDR block like 10.0.0.0/8, not a host name)"));
            byte[] bytes = parsed.getAddress();
            int prefix = bytes.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("trusted-proxies: '" + entry + "' prefix length (expected: 0.."
                            + bytes.length * 8 + ")");
                }
            }
            return new Cidr(bytes, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (bytes[full] & mask) == (network[full] & mask);
        }
    }
}
