package io.animegan.common.style;

import java.util.List;

/** A style id the catalogue does not know; the message lists the ones it does. */
public final class UnknownStyleException extends IllegalArgumentException {

    private final List<String> known;

    public UnknownStyleException(String requested, List<String> known) {
        super("unknown style '" + requested + "' (known: " + String.join(", ", known) + ")");
        this.known = List.copyOf(known);
    }

    public List<String> known() {
        return known;
    }
}
