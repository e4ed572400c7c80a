package io.paylink.gateway.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * clients/openapi.json, the document the TypeScript client is generated from, against the one the
 * gateway serves. Written the way JSON.stringify(doc, null, 2) writes it, so that a regenerated file
 * differs from the committed one only where the API did.
 * <p>
 * To regenerate it after an intended change of the API:
 * {@code ./mvnw -o -B test -Dtest=OpenApiDocumentTest -Dopenapi.write=true}
 */
public final class CommittedOpenApi {

    public static final Path FILE = Path.of("clients", "openapi.json");
    public static final String REGENERATE = "./mvnw -o -B test -Dtest=OpenApiDocumentTest -Dopenapi.write=true";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CommittedOpenApi() {
    }

    /** Fails when the served document differs from the committed one; with -Dopenapi.write=true, rewrites the file. */
    public static void assertMatches(String served, String where) {
        String expected = normalized(served);
        try {
            if (Boolean.getBoolean("openapi.write")) {
                Files.writeString(FILE, expected, StandardCharsets.UTF_8);
            }
            String committed = Files.exists(FILE) ? Files.readString(FILE, StandardCharsets.UTF_8) : "";
            assertEquals(committed, expected, () -> where + " differs from " + FILE + ". If the API change is intended, "
                    + "regenerate the file with `" + REGENERATE + "`, commit it, and let the clients' types follow");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String normalized(String document) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("").withArrayEmptySeparator(""))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return JSON.writer(printer).writeValueAsString(JSON.readTree(document)) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
