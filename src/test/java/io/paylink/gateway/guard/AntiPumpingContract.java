package io.paylink.gateway.guard;

import static io.paylink.gateway.support.AntiPumpingProfile.BUDGETED_EMAIL_PER_HOUR;
import static io.paylink.gateway.support.AntiPumpingProfile.BUDGETED_KEY;
import static io.paylink.gateway.support.AntiPumpingProfile.BUDGETED_SMS_PER_HOUR;
import static io.paylink.gateway.support.AntiPumpingProfile.PUMPED_KEY;
import static io.paylink.gateway.support.AntiPumpingProfile.PUMPED_SMS_PER_HOUR;
import static io.paylink.gateway.support.AntiPumpingProfile.QUIET_EMAIL_PER_DAY;
import static io.paylink.gateway.support.AntiPumpingProfile.WARNED_KEY;
import static io.paylink.gateway.support.AntiPumpingProfile.WARNED_SMS_PER_DAY;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resend;
import static io.paylink.gateway.support.Gateway.resendPath;
import static io.paylink.gateway.support.GuardPolicyProfile.OFFLINE_KEY;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import io.paylink.gateway.support.LogCapture;
import io.paylink.gateway.support.Metrics;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * SMS countries and message budgets through the HTTP API, on whichever store the subclass's
 * profile configures: both must hold for every instance sharing the store.
 */
abstract class AntiPumpingContract {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    /** An hour budget's slot frees one hour after its slice (a minute) ends: within an hour and a minute. */
    private static final int HOUR_SECONDS = 3600;
    private static final int SLICE_SECONDS = 60;

    /** Numbers handed out so far per country, so that no two requests of a run share one. */
    private static final java.util.Map<String, Integer> ISSUED = new java.util.concurrent.ConcurrentHashMap<>();

    abstract WireMockServer frontPayment();

    @BeforeEach
    void accept() {
        frontPayment().resetAll();
        answer(frontPayment(), json(202, ACCEPTED));
    }

    /** A valid mobile number of {@code country} in E.164, never handed out before in this JVM. */
    static String mobile(String country) {
        PhoneNumber example = PHONES.getExampleNumberForType(country, PhoneNumberType.MOBILE);
        long base = example.getNationalNumber();
        for (int tries = 0; tries < 10_000; tries++) {
            int offset = ISSUED.merge(country, 1, Integer::sum);
            PhoneNumber candidate = new PhoneNumber().setCountryCode(example.getCountryCode()).setNationalNumber(base + offset);
            PhoneNumberType type = PHONES.getNumberType(candidate);
            // the US and Canada do not tell mobile and fixed numbers apart
            if (PHONES.isValidNumberForRegion(candidate, country)
                    && (type == PhoneNumberType.MOBILE || type == PhoneNumberType.FIXED_LINE_OR_MOBILE)) {
                return PHONES.format(candidate, PhoneNumberFormat.E164);
            }
        }
        throw new IllegalStateException("no further mobile number of " + country + " near libphonenumber's example");
    }

    private static String phoneBody(String e164) {
        return "{\"phone\":\"" + e164 + "\"}";
    }

    private static int retryAfterWithinAnHourAndASlice(ValidatableResponse exhausted) {
        int seconds = Integer.parseInt(exhausted.extract().header("Retry-After"));
        assertTrue(seconds > HOUR_SECONDS - SLICE_SECONDS && seconds <= HOUR_SECONDS + SLICE_SECONDS,
                "the first slot frees about an hour after it was taken: " + seconds);
        return seconds;
    }

    @Test
    void anSmsToACountryTheTenantDoesNotServeIs422WithTheNumberMaskedAndNothingSentOrCounted() {
        String german = mobile("DE");
        String order = freshOrder();
        // more than the per-order and per-destination limits (3): refusals must not be counted
        for (int i = 0; i < 5; i++) {
            assertProblem(resend(ACME_KEY, order, phoneBody(german)), 422, "DESTINATION_NOT_ALLOWED")
                    .body("violations[0].field", equalTo("phone"))
                    .body("violations[0].message", containsString("+49"))
                    .body("violations[0].message", containsString("DE"))
                    .body(not(containsString(german.substring(3))));
        }
        PhoneNumber split = PHONES.getExampleNumberForType("DE", PhoneNumberType.MOBILE);
        assertProblem(resend(ACME_KEY, order, "{\"countryCode\":\"+49\",\"msisdn\":\"" + split.getNationalNumber() + "\"}"), 422,
                "DESTINATION_NOT_ALLOWED").body("violations[0].field", equalTo("countryCode"));
        frontPayment().verify(0, anyResend());

        resend(ACME_KEY, order, freshEmailBody()).statusCode(202);
        frontPayment().verify(1, anyResend());
    }

    @Test
    void aRefusedCountryDoesNotHoldItsIdempotencyKey() {
        String key = UUID.randomUUID().toString();
        String order = freshOrder();
        ValidatableResponse refused = as(ACME_KEY).header("Idempotency-Key", key).body(phoneBody(mobile("DE")))
                .post(resendPath(order)).then();
        assertProblem(refused, 422, "DESTINATION_NOT_ALLOWED");

        // not stored: the same key runs for real with a number the tenant serves
        as(ACME_KEY).header("Idempotency-Key", key).body(phoneBody(mobile("NO"))).post(resendPath(order)).then()
                .statusCode(202).header("Idempotent-Replayed", equalTo(null));
        frontPayment().verify(1, anyResend());
    }

    @Test
    void withoutItsOwnListATenantMaySendToFrontPaymentsHomeMarketsOnly() {
        for (String country : List.of("NO", "SE", "DK", "FI")) {
            resend(ACME_KEY, freshOrder(), phoneBody(mobile(country))).statusCode(202);
        }
        for (String country : List.of("US", "GB", "UZ")) {
            assertProblem(resend(ACME_KEY, freshOrder(), phoneBody(mobile(country))), 422, "DESTINATION_NOT_ALLOWED")
                    .body("violations[0].message", containsString(country));
        }
        frontPayment().verify(4, anyResend());
    }

    @Test
    void aSpentBudgetIs429WithAnHonestRetryAfterAndSmsAndEmailAreCountedApart() {
        for (int i = 0; i < BUDGETED_SMS_PER_HOUR; i++) {
            resend(BUDGETED_KEY, freshOrder(), phoneBody(mobile("NO"))).statusCode(202);
        }
        retryAfterWithinAnHourAndASlice(assertProblem(resend(BUDGETED_KEY, freshOrder(), phoneBody(mobile("NO"))), 429,
                "TENANT_BUDGET_EXHAUSTED").body("detail", containsString("SMS budget of " + BUDGETED_SMS_PER_HOUR + " per hour")));

        for (int i = 0; i < BUDGETED_EMAIL_PER_HOUR; i++) {
            resend(BUDGETED_KEY, freshOrder(), freshEmailBody()).statusCode(202);
        }
        retryAfterWithinAnHourAndASlice(assertProblem(resend(BUDGETED_KEY, freshOrder(), freshEmailBody()), 429,
                "TENANT_BUDGET_EXHAUSTED").body("detail", containsString("e-mail budget")));
        frontPayment().verify(BUDGETED_SMS_PER_HOUR + BUDGETED_EMAIL_PER_HOUR, anyResend());

        String scrape = Metrics.scrape();
        String[] sms = { "tenant=\"budgeted\"", "channel=\"sms\"", "window=\"hour\"" };
        String[] email = { "tenant=\"budgeted\"", "channel=\"email\"", "window=\"hour\"" };
        assertEquals(BUDGETED_SMS_PER_HOUR, Metrics.sum(scrape, "gateway_tenant_budget_limit", sms));
        assertEquals(0, Metrics.sum(scrape, "gateway_tenant_budget_remaining", sms));
        assertEquals(BUDGETED_EMAIL_PER_HOUR, Metrics.sum(scrape, "gateway_tenant_budget_limit", email));
        assertEquals(0, Metrics.sum(scrape, "gateway_tenant_budget_remaining", email));
    }

    @Test
    void aBudgetsSeriesExistBeforeItsTenantsFirstResend() {
        String scrape = Metrics.scrape();
        String[] quiet = { "tenant=\"quiet\"", "channel=\"email\"", "window=\"day\"" };
        assertEquals(QUIET_EMAIL_PER_DAY, Metrics.sum(scrape, "gateway_tenant_budget_limit", quiet));
        assertEquals(QUIET_EMAIL_PER_DAY, Metrics.sum(scrape, "gateway_tenant_budget_remaining", quiet));
        assertFalse(scrape.contains("gateway_tenant_budget_limit{channel=\"sms\",tenant=\"quiet\""), "quiet has no SMS budget");
    }

    @Test
    void eightyPercentOfABudgetIsWarnedOnceWithoutContacts() {
        int warnAt = (int) Math.ceil(0.8 * WARNED_SMS_PER_DAY);
        List<String> numbers = new ArrayList<>();
        try (LogCapture logs = LogCapture.start()) {
            for (int i = 1; i <= WARNED_SMS_PER_DAY; i++) {
                String number = mobile("NO");
                numbers.add(number);
                resend(WARNED_KEY, freshOrder(), phoneBody(number)).statusCode(202);
                assertEquals(i >= warnAt ? 1 : 0, budgetWarnings(logs).size(), "after " + i + " of " + WARNED_SMS_PER_DAY);
            }
            String warning = budgetWarnings(logs).get(0);
            assertTrue(warning.contains("sms budget of " + WARNED_SMS_PER_DAY + " per day"), warning);
            numbers.forEach(number -> assertFalse(warning.contains(number.substring(3)), warning));
        }
    }

    private static List<String> budgetWarnings(LogCapture logs) {
        return logs.records().stream().filter(r -> r.getLevel() == org.jboss.logmanager.Level.WARN || r.getLevel() == Level.WARNING)
                .map(r -> r.getFormattedMessage()).filter(m -> m.contains("Tenant warned ")).toList();
    }

    @Test
    void anAttemptThatNeverReachedFrontPaymentGivesItsBudgetSlotBack() {
        // offline's connections are refused: nothing reaches Front Payment, so its budget of one is never spent
        for (int i = 0; i < 3; i++) {
            Response refused = as(OFFLINE_KEY).body(phoneBody(mobile("NO"))).post(resendPath(freshOrder()));
            assertNotEquals(429, refused.statusCode(), refused.asString());
            assertTrue(refused.jsonPath().getString("detail").contains("nothing was sent"), refused.asString());
        }
    }

    /**
     * The issue's pumping run: 200 resends over 200 orders to mobile numbers of a country the tenant
     * does not serve, then 200 to numbers it does, past its budget. Only the budget's worth is sent.
     */
    @Test
    void aPumpingRunSendsNothingBeyondWhatTheSettingsAllow() {
        for (int i = 0; i < 200; i++) {
            assertProblem(resend(PUMPED_KEY, freshOrder(), phoneBody(mobile("UZ"))), 422, "DESTINATION_NOT_ALLOWED");
        }
        frontPayment().verify(0, anyResend());

        int accepted = 0;
        for (int i = 0; i < 200; i++) {
            ValidatableResponse answer = resend(PUMPED_KEY, freshOrder(), phoneBody(mobile("NO")));
            if (answer.extract().statusCode() == 202) {
                accepted++;
            } else {
                retryAfterWithinAnHourAndASlice(assertProblem(answer, 429, "TENANT_BUDGET_EXHAUSTED"));
            }
        }
        assertEquals(PUMPED_SMS_PER_HOUR, accepted);
        frontPayment().verify(PUMPED_SMS_PER_HOUR, anyResend());
        assertEquals(0, Metrics.sum(Metrics.scrape(), "gateway_tenant_budget_remaining", "tenant=\"pumped\"", "channel=\"sms\"",
                "window=\"hour\""));
    }
}
