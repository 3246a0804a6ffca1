package org.quotaledger.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger.Response;
import org.quotaledger.support.TestUsers;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile input at every JSON endpoint: a checked-in corpus (malformed, truncated, oversized,
 * deeply nested, wrong types, unicode tricks, injection strings, huge numbers) and generated
 * bodies. Every answer must be a 4xx problem+json with no stack trace and no SQL, and the event
 * store must hold exactly the events it held before.
 */
class HostileInputIT {

    record Target(String user, String method, String path, String validBody) {
    }

    private static final String SHIPMENT = """
            {"shipmentId":"S-1","consignee":{"id":"c1","name":"C1","headquartersCountry":"AE"},"destinationCountry":"AE",\
            "shipDate":"2025-03-01","items":[{"model":"H100","quantity":10}],"licenseReference":"L-1"}""";
    private static final String POLICY = """
            {"id":"p-hostile","title":"T","effectiveFrom":"2026-01-01","defaultTier":"T2","tiers":[{"name":"T2",\
            "treatment":"CAPPED","capTpp":1000,"countries":["AE"]}],"countingWindow":{"from":"2026-01-01",\
            "to":"2026-12-31"},"criticalThreshold":0.9}""";

    private static final List<Target> TARGETS = List.of(
            new Target(TestUsers.EXPORTER_A, "POST", "/api/v1/shipments", SHIPMENT),
            new Target(TestUsers.EXPORTER_A, "POST", "/api/v1/shipments/NOPE/void", "{\"reason\":\"r\"}"),
            new Target(TestUsers.REGULATOR, "POST", "/api/v1/policies", POLICY),
            new Target(TestUsers.REGULATOR, "PUT", "/api/v1/catalog/H100", "{\"tppPerUnit\":15832,\"source\":\"s\"}"));

    /** Field values that must each make the valid shipment invalid. */
    private static final List<String[]> SHIPMENT_MUTATIONS = List.of(
            new String[] {"\"destinationCountry\":\"AE\"", "\"destinationCountry\":\"\u0410\u0415\""}, // Cyrillic homoglyphs
            new String[] {"\"destinationCountry\":\"AE\"", "\"destinationCountry\":\"A\u200bE\""},
            new String[] {"\"destinationCountry\":\"AE\"", "\"destinationCountry\":\"\u202eEA\""},
            new String[] {"\"destinationCountry\":\"AE\"", "\"destinationCountry\":\"AE\u0000\""},
            new String[] {"\"destinationCountry\":\"AE\"", "\"destinationCountry\":\"' OR 1=1 --\""},
            new String[] {"\"destinationCountry\":\"AE\"", "\"destinationCountry\":12"},
            new String[] {"\"destinationCountry\":\"AE\"", "\"destinationCountry\":{\"$ne\":null}"},
            new String[] {"\"shipmentId\":\"S-1\"", "\"shipmentId\":\"S-1'; DROP TABLE shipment; --\""},
            new String[] {"\"shipmentId\":\"S-1\"", "\"shipmentId\":\"${jndi:ldap://127.0.0.1/x}\""},
            new String[] {"\"shipmentId\":\"S-1\"", "\"shipmentId\":\"../../etc/passwd\""},
            new String[] {"\"shipmentId\":\"S-1\"", "\"shipmentId\":\"S\u202e1\""},
            new String[] {"\"shipmentId\":\"S-1\"", "\"shipmentId\":\"<script>alert(1)</script>\""},
            new String[] {"\"shipmentId\":\"S-1\"", "\"shipmentId\":\"" + "S".repeat(65) + "\""},
            new String[] {"\"shipmentId\":\"S-1\"", "\"shipmentId\":[\"S-1\"]"},
            new String[] {"\"shipmentId\":\"S-1\"", "\"shipmentId\":\"S-1\",\"exporterIdd\":\"typo\""},
            new String[] {"\"shipmentId\":\"S-1\"", "\"shipmentId\":\"S-1\",\"shipmentId\":\"S-2\""},
            new String[] {"\"name\":\"C1\"", "\"name\":\"C\u0000\""},
            new String[] {"\"name\":\"C1\"", "\"name\":\"abc\u202edef\""},
            new String[] {"\"name\":\"C1\"", "\"name\":\"\u200b\""},
            new String[] {"\"name\":\"C1\"", "\"name\":\"\ufeffC1\""},
            new String[] {"\"name\":\"C1\"", "\"name\":\"" + "x".repeat(201) + "\""},
            new String[] {"\"quantity\":10", "\"quantity\":9223372036854775808"},
            new String[] {"\"quantity\":10", "\"quantity\":99999999999999999999999999999999999999"},
            new String[] {"\"quantity\":10", "\"quantity\":1e400"},
            new String[] {"\"quantity\":10", "\"quantity\":-2147483648"},
            new String[] {"\"quantity\":10", "\"quantity\":1000001"},
            new String[] {"\"quantity\":10", "\"quantity\":10.5"},
            new String[] {"\"quantity\":10", "\"quantity\":\"10\""},
            new String[] {"\"quantity\":10", "\"quantity\":true"},
            new String[] {"\"quantity\":10", "\"quantity\":NaN"},
            new String[] {"\"shipDate\":\"2025-03-01\"", "\"shipDate\":\"2025-02-29\""},
            new String[] {"\"shipDate\":\"2025-03-01\"", "\"shipDate\":\"+999999999-12-31\""},
            new String[] {"\"shipDate\":\"2025-03-01\"", "\"shipDate\":\"0000-00-00\""},
            new String[] {"\"shipDate\":\"2025-03-01\"", "\"shipDate\":20250301"},
            new String[] {"\"model\":\"H100\"", "\"model\":\"H100\u0000\""},
            new String[] {"\"model\":\"H100\"", "\"model\":\"h100' UNION SELECT password FROM users --\""},
            new String[] {"\"licenseReference\":\"L-1\"", "\"licenseReference\":\"L\u0000\""},
            new String[] {"\"items\":[{\"model\":\"H100\",\"quantity\":10}]", "\"items\":[null]"},
            new String[] {"\"items\":[{\"model\":\"H100\",\"quantity\":10}]", "\"items\":\"H100\""},
            new String[] {"\"items\":[{\"model\":\"H100\",\"quantity\":10}]",
                    "\"items\":[" + "{\"model\":\"H100\",\"quantity\":1},".repeat(100) + "{\"model\":\"H100\",\"quantity\":1}]"});

    private static final List<String> WHOLE_BODIES = List.of("", "null", "true", "[]", "\"text\"", "{", "}", "{]",
            "{\"shipmentId\":", "\u0000", "\ufeff{}", "{\"a\":1}{\"b\":2}", "[".repeat(5_000) + "]".repeat(5_000),
            "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000), "{\"x\":\"" + "y".repeat(2 * 1024 * 1024) + "\"}",
            "<?xml version=\"1.0\"?><shipment/>", "shipmentId=S-1&quantity=10");

    private static final List<String> POLICY_MUTATIONS = List.of(
            POLICY.replace("\"capTpp\":1000", "\"capTpp\":100000000000000000000000000000"),
            POLICY.replace("\"capTpp\":1000", "\"capTpp\":-1"),
            POLICY.replace("[\"AE\"]", "[\"\u0410\u0415\"]"),
            POLICY.replace("\"title\":\"T\"", "\"title\":\"T\u0000\""),
            POLICY.replace("\"criticalThreshold\":0.9", "\"criticalThreshold\":1e400"),
            POLICY.replace("\"treatment\":\"CAPPED\"", "\"treatment\":\"capped; drop table policy\""),
            POLICY.replace("\"effectiveFrom\":\"2026-01-01\"", "\"effectiveFrom\":\"2026-02-30\""));

    private static LedgerOnPostgres service;

    @BeforeContainer
    static void start() {
        service = LedgerOnPostgres.start("--quota-ledger.security.rate-limit.capacity=100000",
                "--quota-ledger.security.rate-limit.per-second=100000");
    }

    @AfterContainer
    static void stop() {
        service.close();
    }

    private static void assertRefusedAndNothingRecorded(Target target, String body) {
        long events = service.events();
        long shipments = service.database().count("SELECT COUNT(*) FROM shipment");

        Response response = service.ledger().as(target.user()).send(target.method(), target.path(), body);

        assertThat(response.status()).as("%s %s with %.200s", target.method(), target.path(), body)
                .isBetween(400, 499);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.raw()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("org.quotaledger")
                .doesNotContainIgnoringCase("select ").doesNotContainIgnoringCase("insert into")
                .doesNotContain("PSQL").doesNotContain("SQLState");
        assertThat(service.events()).isEqualTo(events);
        assertThat(service.database().count("SELECT COUNT(*) FROM shipment")).isEqualTo(shipments);
    }

    @Example
    void everyCorpusCaseIsRefusedAtEveryEndpoint() {
        for (String[] mutation : SHIPMENT_MUTATIONS) {
            assertThat(SHIPMENT).contains(mutation[0]);
            assertRefusedAndNothingRecorded(TARGETS.get(0), SHIPMENT.replace(mutation[0], mutation[1]));
        }
        for (String policy : POLICY_MUTATIONS) {
            assertThat(policy).isNotEqualTo(POLICY);
            assertRefusedAndNothingRecorded(TARGETS.get(2), policy);
        }
        for (Target target : TARGETS) {
            for (String body : WHOLE_BODIES) {
                assertRefusedAndNothingRecorded(target, body);
            }
        }
        assertRefusedAndNothingRecorded(TARGETS.get(3), "{\"tppPerUnit\":9223372036854775807,\"source\":\"s\"}");
    }

    @Provide
    Arbitrary<Target> targets() {
        return Arbitraries.of(TARGETS);
    }

    /**
     * Truncations of valid bodies, random text of any unicode, random nesting, and valid bodies with
     * one character replaced by one that is refused wherever it lands (in a string or between tokens).
     */
    @Provide
    Arbitrary<String> hostileBodies() {
        Arbitrary<String> truncated = Arbitraries.of(TARGETS).flatMap(target ->
                Arbitraries.integers().between(0, target.validBody().length() - 2).map(cut -> target.validBody().substring(0, cut)));
        Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(300);
        Arbitrary<String> nested = Arbitraries.integers().between(1_001, 20_000).map(depth -> "[".repeat(depth));
        Arbitrary<String> oneCharacterOff = Arbitraries.of(SHIPMENT, POLICY).flatMap(body ->
                Arbitraries.integers().between(0, body.length() - 1).flatMap(at ->
                        Arbitraries.of('\u0000', '\u202e', '\u200b', '\ufeff').map(c -> body.substring(0, at) + c + body.substring(at + 1))));
        return Arbitraries.oneOf(truncated, anyText, nested, oneCharacterOff);
    }

    @Property(tries = 250)
    void generatedHostileBodiesAreRefusedAndRecordNothing(@ForAll("targets") Target target,
                                                          @ForAll("hostileBodies") String body) {
        List<String> stillValid = new ArrayList<>();
        if (body.equals(target.validBody())) {
            stillValid.add(body);
        }
        assertThat(stillValid).isEmpty();
        assertRefusedAndNothingRecorded(target, body);
    }
}
