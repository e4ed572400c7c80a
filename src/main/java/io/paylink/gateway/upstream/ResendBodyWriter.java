package io.paylink.gateway.upstream;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;

import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * Writes {@link ResendBody} for {@link FrontPaymentClient}. The REST client's generic Jackson
 * writer looks for {@code @JsonView} by reflecting on the client method's parameter annotations
 * on every call, a cost the profiles in bench/README.md show; this body has no views.
 */
public class ResendBodyWriter implements MessageBodyWriter<ResendBody> {

    private static final ObjectWriter JSON = Envelope.JSON.writerFor(ResendBody.class);

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == ResendBody.class;
    }

    @Override
    public void writeTo(ResendBody body, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) throws IOException {
        entityStream.write(JSON.writeValueAsBytes(body));
    }
}
