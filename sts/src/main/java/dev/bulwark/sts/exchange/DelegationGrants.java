package dev.bulwark.sts.exchange;

import org.springframework.security.oauth2.core.AuthorizationGrantType;

import dev.bulwark.sts.config.StsPropertiesValidator;

/** Grant and token type identifiers of RFC 8693 §3 and RFC 7523 §2.1. */
public final class DelegationGrants {

    /** {@code urn:ietf:params:oauth:grant-type:token-exchange} (RFC 8693 §2.1). */
    public static final AuthorizationGrantType TOKEN_EXCHANGE = new AuthorizationGrantType(
            StsPropertiesValidator.TOKEN_EXCHANGE);

    /** {@code urn:ietf:params:oauth:grant-type:jwt-bearer} (RFC 7523 §2.1). */
    public static final AuthorizationGrantType JWT_BEARER = new AuthorizationGrantType(StsPropertiesValidator.JWT_BEARER);

    /** RFC 8693 §3 token type of a JWT. */
    public static final String JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";

    /** RFC 8693 §3 token type of an access token; the {@code issued_token_type} of every exchange. */
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    /** Short names a trusted issuer lists under {@code grants}. */
    static final String TOKEN_EXCHANGE_NAME = "token-exchange";
    static final String JWT_BEARER_NAME = "jwt-bearer";

    private DelegationGrants() {
    }
}
