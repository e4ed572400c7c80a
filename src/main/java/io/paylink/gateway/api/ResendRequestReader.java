package io.paylink.gateway.api;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyReader;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.paylink.gateway.GatewayConfig;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.problem.ProblemException;

/**
 * Reads the resend body with the application's {@link ObjectMapper} (so {@link StrictJson}
 * applies) and enforces {@code gateway.max-body-size} with a 413 problem, chunked bodies included.
 * Quarkus' own {@code quarkus.http.limits.max-body-size} answers a bare 413 and closes the
 * connection, so it is set higher and stays only as a hard ceiling.
 * <p>
 * A body reader rather than a {@code ReaderInterceptor}: any reader interceptor makes RESTEasy
 * Reactive re-read the resource method's parameter annotations by reflection on every request
 * (visible in the profiles in bench/README.md), and it would also apply to the REST client.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class ResendRequestReader implements ServerMessageBodyReader<ResendRequest> {

    /** Providers are built before runtime configuration exists, so both are looked up on first use. */
    private final Instance<GatewayConfig> config;
    private final Instance<ObjectMapper> mapper;
    private volatile ObjectReader reader;
    private volatile int limit = -1;

    ResendRequestReader(Instance<GatewayConfig> config, Instance<ObjectMapper> mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo lazyMethod, MediaType mediaType) {
        return type == ResendRequest.class;
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == ResendRequest.class;
    }

    @Override
    public ResendRequest readFrom(Class<ResendRequest> type, Type genericType, MediaType mediaType, ServerRequestContext context)
            throws IOException {
        return read(context.getInputStream());
    }

    @Override
    public ResendRequest readFrom(Class<ResendRequest> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> httpHeaders, InputStream entityStream) throws IOException {
        return read(entityStream);
    }

    private ResendRequest read(InputStream entityStream) throws IOException {
        int max = limit();
        byte[] body = entityStream.readNBytes(max + 1);
        if (body.length > max) {
            throw new ProblemException(ProblemCode.PAYLOAD_TOO_LARGE, "The body is over the limit of " + max + " bytes");
        }
        ObjectReader json = reader();
        try (JsonParser parser = json.createParser(body)) {
            // no body, or only whitespace: the resource answers MALFORMED_REQUEST
            return parser.nextToken() == null ? null : json.readValue(parser);
        }
    }

    private int limit() {
        if (limit < 0) {
            limit = (int) config.get().maxBodySize().asLongValue();
        }
        return limit;
    }

    private ObjectReader reader() {
        if (reader == null) {
            // one JSON value per body: "{...}{...}" must not be read as its first object; and one
            // member per name (I-JSON, RFC 7493): a WAF in front may have read the other one
            reader = mapper.get().readerFor(ResendRequest.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        }
        return reader;
    }
}
