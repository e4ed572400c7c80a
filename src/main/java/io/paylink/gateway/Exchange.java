package io.paylink.gateway;

import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;

import io.paylink.gateway.contact.EmailAddress;
import io.paylink.gateway.contact.MobileNumber;
import io.paylink.gateway.tenant.Tenant;

/**
 * What the gateway learned about the current request, filled in as it goes: by the filters, the
 * resource and the upstream call, and read by the problem answers and the request log line.
 */
@RequestScoped
public class Exchange {

    private String requestId = "-";
    private long startNanos = System.nanoTime();
    private Tenant tenant;
    private String orderUuid;
    private String maskedContacts;
    private int upstreamStatus;
    private boolean replayed;

    public void begin(String requestId) {
        this.requestId = requestId;
        this.startNanos = System.nanoTime();
    }

    public String requestId() {
        return requestId;
    }

    public long elapsedMicros() {
        return (System.nanoTime() - startNanos) / 1_000;
    }

    public void authenticated(Tenant tenant) {
        this.tenant = tenant;
    }

    /** Set only by the tenant filter; resources behind it can rely on it. */
    public Tenant tenant() {
        if (tenant == null) {
            throw new IllegalStateException("no authenticated tenant on this request");
        }
        return tenant;
    }

    public Optional<Tenant> tenantIfKnown() {
        return Optional.ofNullable(tenant);
    }

    /** Only masked forms are kept: this object feeds log lines. */
    public void resend(String orderUuid, Optional<MobileNumber> phone, Optional<EmailAddress> email) {
        this.orderUuid = orderUuid;
        StringBuilder contacts = new StringBuilder();
        phone.ifPresent(p -> contacts.append(p.masked()));
        email.ifPresent(e -> contacts.append(contacts.length() > 0 ? "," : "").append(e.masked()));
        this.maskedContacts = contacts.toString();
    }

    public Optional<String> orderUuid() {
        return Optional.ofNullable(orderUuid);
    }

    public Optional<String> maskedContacts() {
        return Optional.ofNullable(maskedContacts);
    }

    /** The answer is a stored one, replayed for an Idempotency-Key. */
    public void replayed() {
        this.replayed = true;
    }

    public boolean isReplayed() {
        return replayed;
    }

    public void upstreamStatus(int status) {
        this.upstreamStatus = status;
    }

    /** 0 when Front Payment gave no answer (not called, unreachable, unreadable). */
    public int upstreamStatus() {
        return upstreamStatus;
    }
}
