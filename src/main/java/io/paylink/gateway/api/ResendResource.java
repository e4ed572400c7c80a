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

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import io.paylink.gateway.Exchange;
import io.paylink.gateway.contact.EmailAddress;
import io.paylink.gateway.contact.MobileNumber;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.problem.ProblemException;
import io.paylink.gateway.guard.GuardedResend;
import io.paylink.gateway.upstream.ResendBody;
import io.paylink.gateway.upstream.UpstreamFailure;
import io.smallrye.mutiny.Uni;

/** {@code POST /v1/orders/{orderUuid}/payment-link/resend}. The tenant was resolved by {@link TenantAuthentication}. */
@Path("/v1/orders/{orderUuid}/payment-link/resend")
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
    public Uni<RestResponse<ResendAccepted>> resend(@RestPath @Pattern(regexp = ORDER_ID) String orderUuid,
            @RestHeader("Idempotency-Key") String idempotencyKey, @Valid ResendRequest request) {
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
