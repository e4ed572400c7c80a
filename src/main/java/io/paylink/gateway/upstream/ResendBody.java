package io.paylink.gateway.upstream;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What Front Payment receives. {@code countryCode} is always a JSON string ("+47"): the provider's
 * own sample shows a bare {@code +47}, which is not JSON. Absent channels are left out, not null.
 */
// native image: written by ResendBodyWriter's own ObjectWriter, which no REST signature registers
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResendBody(String countryCode, String msisdn, String email) {
}
