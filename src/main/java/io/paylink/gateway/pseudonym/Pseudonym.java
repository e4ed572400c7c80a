package io.paylink.gateway.pseudonym;

import java.util.List;

/**
 * A value's hex HMAC-SHA256 under the current secret and, while a rotation runs, under the previous
 * one ({@code previous} null otherwise). Two pseudonyms stand for the same value when they share
 * either: instances with only the old secret and instances with both write side by side.
 */
public record Pseudonym(String current, String previous) {

    /** Each name the value goes by in the store now. */
    public List<String> all() {
        return previous == null ? List.of(current) : List.of(current, previous);
    }

    public boolean sameValueAs(String otherCurrent, String otherPrevious) {
        return current.equals(otherCurrent) || current.equals(otherPrevious)
                || previous != null && (previous.equals(otherCurrent) || previous.equals(otherPrevious));
    }
}
