package io.paylink.bench.reference;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;

/**
 * The gateway's call with none of its features: JSON in, one upstream POST with a bearer header,
 * 202 out. No authentication, validation, limits, idempotency, fault tolerance, metrics, tracing
 * or logging: what is left is what Quarkus REST and the REST Client cost for the same exchange.
 */
@Path("/v1/orders/{orderUuid}/payment-link/resend")
public class ResendResource {

    public record ResendRequest(String phone, String email) {
    }

    public record ResendAccepted(String orderUuid, String channel) {
    }

    @RestClient
    Upstream upstream;

    @ConfigProperty(name = "reference.token")
    String token;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<ResendAccepted>> resend(@PathParam("orderUuid") String orderUuid, ResendRequest request) {
        // "+47 912 34 567" -> "+47", "91234567": the same upstream body as the gateway's, by string
        // operations only (the gateway parses and validates the number; that is one of its features)
        String phone = request.phone();
        int space = phone.indexOf(' ');
        Upstream.Body body = new Upstream.Body(phone.substring(0, space), phone.substring(space + 1).replace(" ", ""));
        return upstream.resend(orderUuid, "Bearer " + token, body)
                .map(ignored -> RestResponse.status(RestResponse.Status.ACCEPTED, new ResendAccepted(orderUuid, "sms")));
    }
}
