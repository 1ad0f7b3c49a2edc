package dev.bulwark.policy;

import java.util.Locale;
import java.util.Optional;

/** The actions of the Bulwark policy model and how HTTP methods map onto them. */
public final class Actions {

    public static final String READ = "read";
    public static final String CREATE = "create";
    public static final String UPDATE = "update";
    public static final String CANCEL = "cancel";

    private Actions() {
    }

    /**
     * GET, HEAD → read; POST → create; PUT, PATCH → update; DELETE → cancel; anything else → empty
     * (no policy can allow it; callers refuse).
     */
    public static Optional<String> forHttpMethod(String method) {
        return Optional.ofNullable(switch (method.toUpperCase(Locale.ROOT)) {
            case "GET", "HEAD" -> READ;
            case "POST" -> CREATE;
            case "PUT", "PATCH" -> UPDATE;
            case "DELETE" -> CANCEL;
            default -> null;
        });
    }
}
