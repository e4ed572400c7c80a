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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
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

import io.paylink.gateway.contact.EmailAddress;
import io.paylink.gateway.contact.MobileNumber;
import io.paylink.gateway.guard.GuardedResend;
import io.paylink.gateway.guard.Resend;
import io.paylink.gateway.outcome.Outcome;
import io.paylink.gateway.problem.Problem;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.problem.ProblemException;
import io.paylink.gateway.problem.ProblemResponses;
import io.paylink.gateway.request.CurrentRequest;
import io.paylink.gateway.tenant.Tenant;
import io.paylink.gateway.upstream.ResendBody;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** {@code POST /v1/orders/{orderUuid}/payment-link/resend}. The tenant was resolved by {@link TenantAuthentication}. */
@Path(ResendResource.PATH)
@Tag(name = "Payment links", description = "Sending an order's payment link again")
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = TenantAuthentication.API_KEY_HEADER, description = "The tenant's API key")
public class ResendResource {

    public static final String PATH = "/v1/orders/{orderUuid}/payment-link/resend";
    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    /** Front Payment ids look like "ODR347888404"; UUIDs fit too. Nothing else may reach its URL. */
    static final String ORDER_ID = "[A-Za-z0-9-]{1,64}";

    private final GuardedResend guardedResend;
    private final RequestLog requestLog;

    ResendResource(GuardedResend guardedResend, RequestLog requestLog) {
        this.guardedResend = guardedResend;
        this.requestLog = requestLog;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "apiKey")
    @Operation(operationId = "resendPaymentLink", summary = "Resend an order's payment link by SMS and/or e-mail",
            description = "Sends the calling tenant's Front Payment order link again, to the given phone number and/or "
                    + "e-mail (they may differ from the customer's stored contacts). Every failure is "
                    + "application/problem+json with a stable `code`. With an Idempotency-Key, every outcome that may "
                    + "have reached Front Payment (its answers, 5xx, time-outs, broken answers) is replayed for 24 h.")
    @Parameter(name = RequestLog.REQUEST_ID_HEADER, in = ParameterIn.HEADER, description = "Optional correlation id, kept "
            + "when it is 1-128 of A-Za-z0-9._:- (otherwise replaced by a new one) and sent back as X-Request-Id",
            example = "3b1f6c0e-5d2a-4c1b-9d7e-2f8a1b0c4d5e", schema = @Schema(type = SchemaType.STRING))
    @APIResponse(responseCode = "202", description = "Front Payment accepted the resend",
            headers = {
                    @Header(name = RequestLog.REQUEST_ID_HEADER, description = "The request's id (the caller's when it was kept)",
                            schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = REPLAYED_HEADER, description = "Present on the stored answer of an earlier request "
                            + "with the same Idempotency-Key; nothing was sent again", schema = @Schema(type = SchemaType.STRING,
                                    enumeration = "true")) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ResendAccepted.class),
                    examples = @ExampleObject(name = "SMS and e-mail",
                            value = "{\"orderUuid\": \"ODR347888404\", \"channels\": [\"SMS\", \"EMAIL\"]}")))
    @APIResponse(responseCode = "default", description = "A problem (RFC 9457)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> resend(
            @Parameter(description = "Front Payment's order id (e.g. ODR347888404) or a UUID: 1-64 letters, digits or '-'",
                    example = "ODR347888404", schema = @Schema(type = SchemaType.STRING, pattern = "^" + ORDER_ID + "$"))
            @RestPath @Pattern(regexp = ORDER_ID) String orderUuid,
            @Parameter(description = "Optional, 1-255 printable ASCII; per tenant, the first outcome that may have reached "
                    + "Front Payment is replayed for 24 h with Idempotent-Replayed: true. Use one key per logical resend and "
                    + "send it again on every retry of that resend.", example = "5f0c2a7e-8d3b-4f6a-9c1e-0b2d4e6f8a1c",
                    schema = @Schema(type = SchemaType.STRING, pattern = "^[\\x20-\\x7E]{1,255}$"))
            @RestHeader("Idempotency-Key") String idempotencyKey,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ResendRequest.class), examples = {
                            @ExampleObject(name = "phone", summary = "SMS to a number written any common way",
                                    value = "{\"phone\": \"+47 912 34 567\"}"),
                            @ExampleObject(name = "split", summary = "SMS in Front Payment's own shape",
                                    value = "{\"countryCode\": \"+47\", \"msisdn\": \"91234567\"}"),
                            @ExampleObject(name = "email", summary = "E-mail", value = "{\"email\": \"kari@example.no\"}"),
                            @ExampleObject(name = "both", summary = "SMS and e-mail in one call",
                                    value = "{\"phone\": \"+47 912 34 567\", \"email\": \"kari@example.no\"}") }))
            @Valid ResendRequest request,
            @Context HttpServerRequest http) {
        if (request == null) {
            throw new ProblemException(ProblemCode.MALFORMED_REQUEST, "A JSON object body is required");
        }
        Optional<MobileNumber> phone = request.mobileNumber();
        Optional<EmailAddress> email = request.emailAddress();
        ResendBody body = new ResendBody(
                phone.map(MobileNumber::countryCode).orElse(null),
                phone.map(MobileNumber::msisdn).orElse(null),
                email.map(EmailAddress::value).orElse(null));
        List<String> destinations = new ArrayList<>(2);
        phone.ifPresent(p -> destinations.add(p.e164()));
        email.ifPresent(e -> destinations.add(e.normalized()));
        Tenant tenant = CurrentRequest.tenant().orElseThrow(); // TenantAuthentication let only tenants through
        Resend resend = new Resend(tenant, orderUuid, body, destinations, Optional.ofNullable(idempotencyKey), phone,
                request.hasPhone() ? "phone" : "countryCode");
        String masked = masked(phone, email);
        Uni<Outcome> decided = guardedResend.resend(resend).invoke(outcome -> requestLog.resend(http, orderUuid, masked, outcome));
        // Subscribed here and not cancelled with the caller: a caller who disconnects must not abandon a
        // send already on its way, its outcome must still settle the key and the limits, and be logged.
        Uni<Outcome> detached = Uni.createFrom().emitter(caller -> decided.subscribe().with(caller::complete, caller::fail));
        return detached.map(outcome -> answer(outcome, new ResendAccepted(orderUuid, ResendRequest.channels(phone, email)),
                http.path()));
    }

    private static Response answer(Outcome outcome, ResendAccepted accepted, String instance) {
        Outcome.Answer answer = outcome.answer();
        RestResponse.ResponseBuilder<?> response = answer.code() == null ? RestResponse.ResponseBuilder.accepted(accepted)
                : ProblemResponses.answer(answer.code(), answer.detail(), answer.violations(), answer.retryAfter(), instance);
        if (outcome instanceof Outcome.Replayed) {
            response.header(REPLAYED_HEADER, "true");
        }
        return response.build().toResponse();
    }

    private static String masked(Optional<MobileNumber> phone, Optional<EmailAddress> email) {
        StringBuilder contacts = new StringBuilder();
        phone.ifPresent(p -> contacts.append(p.masked()));
        email.ifPresent(e -> contacts.append(contacts.length() > 0 ? "," : "").append(e.masked()));
        return contacts.length() == 0 ? "-" : contacts.toString();
    }
}
