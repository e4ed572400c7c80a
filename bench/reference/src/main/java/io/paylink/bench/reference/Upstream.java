package io.paylink.bench.reference;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** Front Payment's resend endpoint, as the fake upstream of bench/run.sh serves it. */
@RegisterRestClient(configKey = "upstream")
@Path("/api/v1/connect/orders/resend")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface Upstream {

    record Body(String countryCode, String msisdn) {
    }

    /** Front Payment's envelope, read as a tree: the reference only needs the call to succeed. */
    @POST
    @Path("/{orderUuid}")
    Uni<com.fasterxml.jackson.databind.JsonNode> resend(@PathParam("orderUuid") String orderUuid,
            @HeaderParam("Authorization") String authorization, Body body);
}
