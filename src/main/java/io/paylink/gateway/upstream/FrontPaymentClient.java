package io.paylink.gateway.upstream;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.quarkus.rest.client.reactive.Url;
import io.quarkus.rest.client.reactive.jackson.ClientObjectMapper;
import io.smallrye.mutiny.Uni;

/**
 * Front Payment's "Resend Payment Link" endpoint. Only {@link FrontPayment} calls it. Tenants with
 * their own Front Payment URL pass it per call ({@link #resendTo}), so that they go through this same
 * named client and get every {@code quarkus.rest-client.front-payment.*} setting (TLS, proxy,
 * time-outs, pool); the others use the configured URL, without building a target per call.
 */
@RegisterRestClient(configKey = "front-payment")
@RegisterProvider(ResendBodyWriter.class)
@Path("/api/v1/connect/orders/resend")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
interface FrontPaymentClient {

    @POST
    @Path("/{orderUuid}")
    Uni<RestResponse<Envelope>> resend(@PathParam("orderUuid") String orderUuid,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            ResendBody body);

    @POST
    @Path("/{orderUuid}")
    Uni<RestResponse<Envelope>> resendTo(@Url String baseUrl, @PathParam("orderUuid") String orderUuid,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            ResendBody body);

    /** Envelopes are read leniently, whatever the gateway's own JSON settings for callers are. */
    @ClientObjectMapper
    static ObjectMapper objectMapper(ObjectMapper defaultObjectMapper) {
        return Envelope.JSON;
    }

    /** Every answer of 400 and up becomes a typed {@link UpstreamFailure}, whatever its body. */
    @ClientExceptionMapper
    static RuntimeException toFailure(Response response) {
        String body;
        try {
            body = response.hasEntity() ? response.readEntity(String.class) : "";
        } catch (RuntimeException unreadable) {
            body = "";
        }
        return UpstreamFailure.of(response.getStatus(), body, response.getHeaderString(HttpHeaders.RETRY_AFTER));
    }
}
