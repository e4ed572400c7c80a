package io.paylink.gateway.problem;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.paylink.gateway.request.CurrentRequest;

/**
 * Turns every failure into one {@code application/problem+json} answer. Details are written for
 * callers: no exception messages from libraries, no class names, no stack traces.
 */
public class ProblemResponses {

    private static final Logger LOG = Logger.getLogger(ProblemResponses.class);

    /** Every problem answer of the gateway, whether from an exception here or from a resend's outcome. */
    public static RestResponse.ResponseBuilder<Problem> answer(ProblemCode code, String detail, List<Violation> violations,
            Duration retryAfter, String instance) {
        Problem problem = Problem.of(code, detail, instance, CurrentRequest.id(), violations);
        RestResponse.ResponseBuilder<Problem> answer = RestResponse.ResponseBuilder.<Problem>create(code.status())
                .entity(problem).type(Problem.MEDIA_TYPE);
        if (retryAfter != null) {
            // rounded up: a caller that waits exactly Retry-After must not be refused again
            answer.header(HttpHeaders.RETRY_AFTER, Math.max(1, (retryAfter.toMillis() + 999) / 1000));
        }
        if (code == ProblemCode.UNAUTHENTICATED) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, "ApiKey header=\"X-Api-Key\"");
        }
        return answer;
    }

    @ServerExceptionMapper
    public RestResponse<Problem> problem(ProblemException e, UriInfo uri) {
        return answer(e.code(), e.getMessage(), e.violations(), e.retryAfter().orElse(null), uri.getRequestUri().getRawPath())
                .build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> invalid(ConstraintViolationException e, UriInfo uri) {
        Set<ConstraintViolation<?>> all = e.getConstraintViolations();
        if (all.stream().anyMatch(v -> isParameter(v.getPropertyPath(), "orderUuid"))) {
            return answer(ProblemCode.INVALID_ORDER_UUID,
                    "The order id must be 1 to 64 letters, digits or '-'", List.of(), uri).build();
        }
        List<Violation> violations = all.stream()
                .map(v -> new Violation(field(v.getPropertyPath()), v.getMessage()))
                .sorted(Comparator.comparing((Violation v) -> v.field() == null ? "" : v.field())
                        .thenComparing(Violation::message))
                .toList();
        return answer(ProblemCode.VALIDATION_FAILED, "The request body breaks " + violations.size()
                + (violations.size() == 1 ? " rule" : " rules"), violations, uri).build();
    }

    /** Listed one by one: Quarkus ships its own mappers for the subtypes, and these must win. */
    @ServerExceptionMapper({ JsonProcessingException.class, MismatchedInputException.class,
            UnrecognizedPropertyException.class, InvalidFormatException.class })
    public RestResponse<Problem> unreadable(JsonProcessingException e, UriInfo uri) {
        String detail = "The body is not valid JSON";
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().get(mapping.getPath().size() - 1).getFieldName();
            detail = field == null ? "The body has the wrong JSON shape"
                    : "Field '" + field + "' is unknown or has the wrong JSON type (contacts are JSON strings)";
        } else if (e instanceof JsonMappingException) {
            detail = "The body must be a JSON object";
        } else if (e.getOriginalMessage().startsWith("Duplicate field")) {
            // Jackson's own words name the member, never a value: "Duplicate field 'email'"
            detail = e.getOriginalMessage() + ": each member may appear once (I-JSON, RFC 7493)";
        }
        return answer(ProblemCode.MALFORMED_REQUEST, detail, List.of(), uri).build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> notFound(NotFoundException e, UriInfo uri) {
        return answer(ProblemCode.NOT_FOUND, "No resource at this path", List.of(), uri).build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> notAllowed(NotAllowedException e, UriInfo uri) {
        RestResponse.ResponseBuilder<Problem> answer = answer(ProblemCode.METHOD_NOT_ALLOWED,
                "This path does not accept this method", List.of(), uri);
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        // RFC 9110 requires Allow on 405; every resource this gateway serves is POST-only
        return answer.header(HttpHeaders.ALLOW, allow != null ? allow : "POST").build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unsupported(NotSupportedException e, UriInfo uri) {
        return answer(ProblemCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json", List.of(), uri).build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> notAcceptable(NotAcceptableException e, UriInfo uri) {
        return answer(ProblemCode.NOT_ACCEPTABLE, "Answers are application/json or application/problem+json", List.of(), uri).build();
    }

    /** What the framework rejects with a bare status, e.g. a body over the size limit. */
    @ServerExceptionMapper
    public RestResponse<Problem> framework(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status == 413) {
            return answer(ProblemCode.PAYLOAD_TOO_LARGE, "The body is over the size limit", List.of(), uri).build();
        }
        if (status == 400) {
            return answer(ProblemCode.MALFORMED_REQUEST, "The body is not valid JSON", List.of(), uri).build();
        }
        return unexpected(e, uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unexpected(Throwable e, UriInfo uri) {
        LOG.error("Unexpected failure", e); // the only place a stack trace goes: the server's own log
        return answer(ProblemCode.INTERNAL_ERROR, "The gateway failed unexpectedly; quote the requestId when reporting it",
                List.of(), uri).build();
    }

    private static RestResponse.ResponseBuilder<Problem> answer(ProblemCode code, String detail, List<Violation> violations,
            UriInfo uri) {
        return answer(code, detail, violations, null, uri.getRequestUri().getRawPath());
    }

    private static boolean isParameter(Path path, String name) {
        Path.Node leaf = leaf(path);
        return leaf != null && leaf.getKind() == ElementKind.PARAMETER && name.equals(leaf.getName());
    }

    /** The body field a violation is about, or null when it concerns the whole body. */
    private static String field(Path path) {
        Path.Node leaf = leaf(path);
        return leaf != null && leaf.getKind() == ElementKind.PROPERTY ? leaf.getName() : null;
    }

    private static Path.Node leaf(Path path) {
        Path.Node last = null;
        for (Path.Node node : path) {
            last = node;
        }
        return last;
    }
}
