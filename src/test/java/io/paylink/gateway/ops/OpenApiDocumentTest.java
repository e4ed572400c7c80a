package io.paylink.gateway.ops;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;

import io.paylink.gateway.support.CommittedOpenApi;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The contract cannot drift silently: the served document must be the committed clients/openapi.json,
 * from which the TypeScript client's types are generated. PackagedGatewayIT checks the prod artifact's too.
 */
@QuarkusTest
class OpenApiDocumentTest {

    @Test
    void theServedDocumentIsTheCommittedOne() {
        String served = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
        CommittedOpenApi.assertMatches(served, "The served /q/openapi");
    }
}
