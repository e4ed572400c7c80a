package io.paylink.gateway.tenant;

import java.net.URI;
import java.util.Optional;

/** A caller of the gateway, the Front Payment credentials it may use, and only it, and what it may send. */
public record Tenant(String id, String frontPaymentToken, Optional<URI> frontPaymentUrl, SendingRules rules) {

    /** Records print every component; the token must never reach a log line this way. */
    @Override
    public String toString() {
        return "Tenant[" + id + "]";
    }
}
