package dev.bulwark.gateway.token;

/** Token resolution: which validation path a bearer token takes. */
public final class BearerTokens {

    private BearerTokens() {
    }

    /**
     * A JWS compact serialization has exactly three dot-separated parts (RFC 7515 §7.1); anything
     * else (including a five-part JWE) is treated as an opaque reference token and introspected.
     */
    public static boolean isJwtShaped(String token) {
        int first = token.indexOf('.');
        if (first <= 0) {
            return false;
        }
        int second = token.indexOf('.', first + 1);
        return second > first + 1 && token.indexOf('.', second + 1) < 0;
    }
}
