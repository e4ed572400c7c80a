package io.paylink.gateway.problem;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Documents every problem answer of the {@code /v1} operations from {@link ProblemCode}, so that
 * the OpenAPI document lists exactly the error table: one response per status, one example per code,
 * and the codes as the enum of the problem's {@code code}. A code added to ProblemCode appears here
 * (and in clients generated from the document) without another edit.
 */
public class ProblemResponsesFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Map<Integer, List<ProblemCode>> byStatus = Arrays.stream(ProblemCode.values())
                .collect(Collectors.groupingBy(ProblemCode::status, TreeMap::new, Collectors.toList()));
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/v1/")) {
                item.getOperations().values().forEach(operation -> {
                    byStatus.forEach((status, codes) -> operation.getResponses()
                            .addAPIResponse(String.valueOf(status), response(path, codes)));
                    operation.getResponses().setAPIResponses(inStatusOrder(operation.getResponses().getAPIResponses()));
                });
            }
        });
        openAPI.getComponents().getSchemas().get("Problem").getProperties().get("code")
                .enumeration(Arrays.stream(ProblemCode.values()).<Object>map(ProblemCode::name).toList());
    }

    /** 2xx, then the problems by status, then "default": the order a reader of the document expects. */
    private static Map<String, APIResponse> inStatusOrder(Map<String, APIResponse> responses) {
        Map<String, APIResponse> ordered = new TreeMap<>(Comparator.comparing((String status) -> status.equals("default"))
                .thenComparing(Comparator.naturalOrder()));
        ordered.putAll(responses);
        return new LinkedHashMap<>(ordered);
    }

    private static APIResponse response(String path, List<ProblemCode> codes) {
        MediaType media = OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem"));
        codes.forEach(code -> media.addExample(code.name(), OASFactory.createExample().summary(code.title()).value(example(path, code))));
        APIResponse response = OASFactory.createAPIResponse()
                .description(codes.stream().map(ProblemCode::name).collect(Collectors.joining(", ")))
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, media));
        response.addHeader("X-Request-Id", OASFactory.createHeader().description("Same as the problem's requestId")
                .schema(OASFactory.createSchema().type(List.of(SchemaType.STRING))));
        if (codes.stream().anyMatch(ProblemCode::hasRetryAfter)) {
            response.addHeader("Retry-After", OASFactory.createHeader().description("Whole seconds to wait before trying again ("
                    + codes.stream().filter(ProblemCode::hasRetryAfter).map(ProblemCode::name).collect(Collectors.joining(", ")) + ")")
                    .required(codes.stream().allMatch(ProblemCode::hasRetryAfter))
                    .schema(OASFactory.createSchema().type(List.of(SchemaType.INTEGER)).minimum(BigDecimal.ONE)));
        }
        // stored problems (Front Payment's answers, 5xx, time-outs) are replayed with it, like a stored 202
        response.addHeader("Idempotent-Replayed", OASFactory.createHeader()
                .description("Present on the stored answer of an earlier request with the same Idempotency-Key")
                .schema(OASFactory.createSchema().type(List.of(SchemaType.STRING)).enumeration(List.of("true"))));
        return response;
    }

    private static Map<String, Object> example(String path, ProblemCode code) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", code.type());
        example.put("title", code.title());
        example.put("status", code.status());
        example.put("detail", code.title());
        example.put("instance", path.replace("{orderUuid}", "ODR347888404"));
        example.put("code", code.name());
        example.put("requestId", "3b1f6c0e-5d2a-4c1b-9d7e-2f8a1b0c4d5e");
        if (code == ProblemCode.VALIDATION_FAILED) {
            example.put("violations", List.of(violation("phone", "must be a mobile number in international format, e.g. +47 912 34 567")));
        } else if (code == ProblemCode.DESTINATION_NOT_ALLOWED) {
            example.put("violations", List.of(violation("phone",
                    "+49*********89 is a number in DE, not one of this tenant's SMS countries (DK,FI,NO,SE)")));
        }
        return example;
    }

    // ordered maps only: Map.of's order changes from one JVM to the next, and the document must not
    private static Map<String, Object> violation(String field, String message) {
        Map<String, Object> violation = new LinkedHashMap<>();
        violation.put("field", field);
        violation.put("message", message);
        return violation;
    }
}
