package io.paylink.gateway.problem;

import java.util.Arrays;
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
 * the OpenAPI document lists exactly the error table: one response per status, one example per code.
 */
public class ProblemResponsesFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Map<Integer, List<ProblemCode>> byStatus = Arrays.stream(ProblemCode.values())
                .collect(Collectors.groupingBy(ProblemCode::status, TreeMap::new, Collectors.toList()));
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/v1/")) {
                item.getOperations().values().forEach(operation -> byStatus.forEach((status, codes) -> operation.getResponses()
                        .addAPIResponse(String.valueOf(status), response(path, codes))));
            }
        });
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
            response.addHeader("Retry-After", OASFactory.createHeader().description("Seconds to wait before trying again ("
                    + codes.stream().filter(ProblemCode::hasRetryAfter).map(ProblemCode::name).collect(Collectors.joining(", ")) + ")")
                    .schema(OASFactory.createSchema().type(List.of(SchemaType.INTEGER))));
        }
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
            example.put("violations", List.of(Map.of("field", "phone",
                    "message", "must be a mobile number in international format, e.g. +47 912 34 567")));
        } else if (code == ProblemCode.DESTINATION_NOT_ALLOWED) {
            example.put("violations", List.of(Map.of("field", "phone",
                    "message", "+49*********89 is a number in DE, not one of this tenant's SMS countries (DK,FI,NO,SE)")));
        }
        return example;
    }
}
