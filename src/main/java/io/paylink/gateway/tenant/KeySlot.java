package io.paylink.gateway.tenant;

import java.util.Locale;

/**
 * Which of a tenant's two configured API key hashes a request's key matched. Logged with every
 * request so that an operator rotating a key sees when callers have stopped using the old one.
 */
public enum KeySlot {
    /** {@code api-key-sha256}. */
    PRIMARY,
    /** {@code api-key-sha256-secondary}. */
    SECONDARY;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** How the request log names it. */
    public String label() {
        return label;
    }
}
