package io.paylink.gateway.simulator;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.arc.profile.IfBuildProfile;

/**
 * A stand-in for Front Payment so that {@code ./mvnw quarkus:dev} works without credentials.
 * Built into dev and test only, never into a prod artifact. Answers are the provider page's
 * own envelopes; the order id picks the outcome (README lists them).
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@Path("/simulator/api/v1/connect/orders/resend/{orderUuid}")
public class FrontPaymentSimulator {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<String> resend(@RestPath String orderUuid,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, JsonNode body) {
        if (authorization == null || !authorization.startsWith("Bearer ") || "ODR-TOKEN-REVOKED".equals(orderUuid)) {
            return answer(401, "Unauthorized", "unauthenticated", "is_error", true, "null");
        }
        boolean sms = body != null && body.hasNonNull("countryCode") && body.hasNonNull("msisdn");
        boolean email = body != null && body.hasNonNull("email");
        if ("ODR-INVALID".equals(orderUuid) || !(sms || email)) {
            return answer(417, "Client Error", "payloadValidationErrors", "is_error", true,
                    "{\"msisdn\":[\"The msisdn field is not a valid mobile number.\"]}");
        }
        return switch (orderUuid) {
            case "ODR-NOT-FOUND" -> answer(404, "Not Found", "orderNotFound", "is_error", false, "null");
            case "ODR-PAID" -> answer(400, "Conflict of Business Logic", "orderStatusAlreadyPaid", "is_error", false, "null");
            case "ODR-CANCELLED" -> answer(400, "Conflict of Business Logic", "orderStatusAlreadyCancelled", "is_error", false, "null");
            case "ODR-FAILS" -> answer(510, "Execution Exception Occurred", "Something Went Wrong", "is_error", true, "\"Array\"");
            default -> answer(202, "OK", "resentOrderSuccessfully", "is_data", true, "null");
        };
    }

    private static RestResponse<String> answer(int status, String statusMessage, String message, String flag,
            boolean flagValue, String payload) {
        String payloadField = "is_data".equals(flag) ? "data" : "errors";
        String json = "{\"status_code\":" + status + ",\"status_message\":\"" + statusMessage + "\",\"message\":\"" + message
                + "\",\"" + flag + "\":" + flagValue + ",\"" + payloadField + "\":" + payload + "}";
        return RestResponse.ResponseBuilder.<String>create(status).entity(json).type(MediaType.APPLICATION_JSON).build();
    }
}
