package io.paylink.gateway.tenant;

/** The tenant an X-Api-Key belongs to, as configured when the request came in, and which of its keys it was. */
public record Authenticated(Tenant tenant, KeySlot key) {
}
