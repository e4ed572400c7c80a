package io.paylink.gateway.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Keeps Quarkus' {@code http_server_requests} labels bounded. Answers given before or without a
 * matched resource (401 from authentication, 405, 406, 415) are labelled with the raw request path,
 * and the method label takes any token a caller sends; unauthenticated callers could mint a new
 * series per request. Only our own route templates and Quarkus' fixed values are kept.
 */
public class HttpServerLabels {

    private static final Set<String> URIS = Set.of(ResendResource.PATH, "NOT_FOUND", "REDIRECTION");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
            "CONNECT");

    @Produces
    @Singleton
    MeterFilter boundedHttpServerLabels() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (!id.getName().startsWith("http.server.")) {
                    return id;
                }
                List<Tag> tags = new ArrayList<>();
                for (Tag tag : id.getTagsAsIterable()) {
                    tags.add(switch (tag.getKey()) {
                        case "uri" -> URIS.contains(tag.getValue()) ? tag : Tag.of("uri", "UNMATCHED");
                        case "method" -> METHODS.contains(tag.getValue()) ? tag : Tag.of("method", "OTHER");
                        default -> tag;
                    });
                }
                return id.replaceTags(tags);
            }
        };
    }
}
