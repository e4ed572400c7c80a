package io.paylink.gateway.guard;

import java.util.List;
import java.util.Optional;

import io.paylink.gateway.contact.MobileNumber;
import io.paylink.gateway.tenant.Tenant;
import io.paylink.gateway.upstream.ResendBody;

/**
 * One validated resend: who asks, which order, what Front Payment receives, the destinations the
 * resend limits count (E.164 number, lower-cased e-mail), the caller's Idempotency-Key, if any, and
 * the SMS number with the request field it came from ({@code phone}, or {@code countryCode} with msisdn).
 */
public record Resend(Tenant tenant, String orderUuid, ResendBody body, List<String> destinations,
        Optional<String> idempotencyKey, Optional<MobileNumber> phone, String phoneField) {
}
