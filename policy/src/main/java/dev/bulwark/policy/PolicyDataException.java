package dev.bulwark.policy;

/**
 * Policies, a schema or entity data that cannot be used: unparsable, or not valid against the schema.
 * The message names what was wrong; the engine keeps the data it had.
 */
public final class PolicyDataException extends Exception {

    private static final long serialVersionUID = 1L;

    public PolicyDataException(String message) {
        super(message);
    }

    public PolicyDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
