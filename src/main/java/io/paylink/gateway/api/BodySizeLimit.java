package io.paylink.gateway.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import io.paylink.gateway.GatewayConfig;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.problem.ProblemException;

/**
 * Enforces {@code gateway.max-body-size} (16 KiB) with a problem answer. Quarkus' own
 * {@code quarkus.http.limits.max-body-size} answers a bare 413 and closes the connection, so it
 * is set higher and stays only as a hard ceiling. Counting bytes covers chunked bodies too.
 */
@Provider
public class BodySizeLimit implements ReaderInterceptor {

    /** Providers are built before runtime configuration exists, so the limit is looked up on use. */
    private final Instance<GatewayConfig> config;

    BodySizeLimit(Instance<GatewayConfig> config) {
        this.config = config;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        int limit = (int) config.get().maxBodySize().asLongValue();
        byte[] body = context.getInputStream().readNBytes(limit + 1);
        if (body.length > limit) {
            throw new ProblemException(ProblemCode.PAYLOAD_TOO_LARGE, "The body is over the limit of " + limit + " bytes");
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }
}
