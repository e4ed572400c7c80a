package io.paylink.gateway.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import io.paylink.gateway.Exchange;
import io.paylink.gateway.contact.EmailAddress;
import io.paylink.gateway.contact.MobileNumber;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.problem.ProblemException;
import io.paylink.gateway.guard.GuardedResend;
import io.paylink.gateway.problem.Problem;
import io.paylink.gateway.upstream.ResendBody;
import io.paylink.gateway.upstream.UpstreamFailure;
import io.smallrye.mutiny.Uni;

/** {@code POST /v1/orders/{orderUuid}/payment-link/resend}. The tenant was resolved by {@link TenantAuthentication}. */
@Path("/v1/orders/{orderUuid}/payment-link/resend")
@Tag(name = "Payment links")
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = TenantAuthentication.API_KEY_HEADER, description = "The tenant's API key")
public class ResendResource {

    /** Front Payment ids look like "ODR347888404"; UUIDs fit too. Nothing else may reach its URL. */
    static final String ORDER_ID = "[A-Za-z0-9-]{1,64}";

    private final Exchange exchange;
    private final GuardedResend guardedResend;

    ResendResource(Exchange exchange, GuardedResend guardedResend) {
        this.exchange = exchange;
        this.guardedResend = guardedResend;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "apiKey")
    @Operation(summary = "Resend an order's payment link by SMS and/or e-mail",
            description = "Sends the calling tenant's Front Payment order link again, to the given phone number and/or "
                    + "e-mail (they may differ from the customer's stored contacts). Every failure is "
                    + "application/problem+json with a stable `code`.")
    @Parameter(name = "X-Request-Id", in = ParameterIn.HEADER, description = "Optional correlation id, echoed back "
            + "when it is 1-128 of A-Za-z0-9._:-", schema = @Schema(type = SchemaType.STRING))
    @APIResponse(responseCode = "202", description = "Front Payment accepted the resend",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ResendAccepted.class)))
    @APIResponse(responseCode = "default", description = "A problem (RFC 9457)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<ResendAccepted>> resend(
            @Parameter(description = "Front Payment's order id (e.g. ODR347888404) or a UUID: 1-64 letters, digits or '-'",
                    example = "ODR347888404") @RestPath @Pattern(regexp = ORDER_ID) String orderUuid,
            @Parameter(description = "Optional, 1-255 printable ASCII; replays the first answer for 24 h (per tenant)")
            @RestHeader("Idempotency-Key") String idempotencyKey,
            @RequestBody(required = true) @Valid ResendRequest request) {
        if (request == null) {
            throw new ProblemException(ProblemCode.MALFORMED_REQUEST, "A JSON object body is required");
        }
        Optional<MobileNumber> phone = request.mobileNumber();
        Optional<EmailAddress> email = request.emailAddress();
        exchange.resend(orderUuid, phone, email);
        ResendBody body = new ResendBody(
                phone.map(MobileNumber::countryCode).orElse(null),
                phone.map(MobileNumber::msisdn).orElse(null),
                email.map(EmailAddress::value).orElse(null));
        ResendAccepted accepted = new ResendAccepted(orderUuid, ResendRequest.channels(phone, email));
        List<String> destinations = new ArrayList<>(2);
        phone.ifPresent(p -> destinations.add(p.e164()));
        email.ifPresent(e -> destinations.add(e.normalized()));
        return guardedResend.resend(exchange.tenant(), orderUuid, Optional.ofNullable(idempotencyKey), body, destinations)
                .onItemOrFailure().invoke((status, failure) -> exchange.upstreamStatus(
                        failure instanceof UpstreamFailure upstream ? upstream.upstreamStatus() : status == null ? 0 : status))
                .map(status -> RestResponse.accepted(accepted));
    }
}
