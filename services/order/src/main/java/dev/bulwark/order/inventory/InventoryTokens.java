package dev.bulwark.order.inventory;

import java.util.Objects;
import java.util.Set;

import dev.bulwark.order.config.OrderProperties.InventoryToken;
import dev.bulwark.order.downstream.Caller;
import dev.bulwark.order.downstream.StsTokens;
import dev.bulwark.order.downstream.WorkloadTokens;

/**
 * Chooses the token sent to the inventory service by the configured pattern:
 * <ul>
 * <li>{@code exchanged}: the user-context JWT exchanged at the ecomm STS (RFC 8693) for the inventory's audience;</li>
 * <li>{@code shared}: the user-context JWT as received;</li>
 * <li>{@code self-issued}: a JWT for the user signed with this workload's SVID key;</li>
 * <li>{@code nested}: the exchanged token signed again with this workload's SVID key (RFC 7519 §5.2).</li>
 * </ul>
 */
public final class InventoryTokens {

    /** Reserving and releasing both need this scope. */
    public static final Set<String> WRITE = Set.of("inventory:write");

    private final InventoryToken pattern;
    private final String audience;
    private final StsTokens sts;
    private final WorkloadTokens workload;

    public InventoryTokens(InventoryToken pattern, String audience, StsTokens sts, WorkloadTokens workload) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.audience = Objects.requireNonNull(audience, "audience");
        this.sts = Objects.requireNonNull(sts, "sts");
        this.workload = Objects.requireNonNull(workload, "workload");
    }

    /** The configured pattern. */
    public InventoryToken pattern() {
        return pattern;
    }

    /** A token for {@code caller} with {@link #WRITE}, by the configured pattern. */
    public String tokenFor(Caller caller) {
        return switch (pattern) {
            case EXCHANGED -> sts.exchange(caller.userContextJwt(), audience, WRITE);
            case SHARED -> caller.userContextJwt();
            case SELF_ISSUED -> workload.selfIssued(caller.subject(), audience, WRITE);
            case NESTED -> workload.nested(sts.exchange(caller.userContextJwt(), audience, WRITE));
        };
    }
}
