package org.quotaledger.policy.rules;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** Small policies for tests, and the shipped ones read from the classpath. */
public final class TestPolicies {

    public static final LocalDate JAN_13_2025 = LocalDate.of(2025, 1, 13);

    private TestPolicies() {
    }

    /** Tier 1: US; Tier 3: CN and KH (KH only until 2026-02-03); everyone else capped. */
    public static PolicyDocument capped(String id, LocalDate effectiveFrom, long cap, Long lppThreshold) {
        return new PolicyDocument(id, "Test policy " + id, "tests", effectiveFrom, "TIER_2",
                List.of(new Tier("TIER_1", Treatment.UNRESTRICTED, null, List.of("US"), List.of()),
                        new Tier("TIER_2", Treatment.CAPPED, cap, List.of(), List.of()),
                        new Tier("TIER_3", Treatment.PROHIBITED, null, List.of("CN"),
                                List.of(new TierMembership("KH", null, LocalDate.of(2026, 2, 3))))),
                new CountingWindow(effectiveFrom, LocalDate.of(2027, 12, 31)),
                lppThreshold == null ? null : new LppException(lppThreshold), Map.of(), List.of("UVEU-1"),
                List.of(), new BigDecimal("0.90"));
    }

    /** No caps anywhere; CN still prohibited. */
    public static PolicyDocument rescission(String id, LocalDate effectiveFrom) {
        return new PolicyDocument(id, "Test rescission " + id, "tests", effectiveFrom, "ALL",
                List.of(new Tier("ALL", Treatment.UNRESTRICTED, null, List.of(), List.of()),
                        new Tier("PROHIBITED", Treatment.PROHIBITED, null, List.of("CN"), List.of())),
                null, null, Map.of(), List.of(), List.of(), null);
    }

    public static PolicyDocument shipped(String id) {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
        try (InputStream in = TestPolicies.class.getResourceAsStream("/policies/" + id + ".json")) {
            return json.readValue(in, PolicyDocument.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read shipped policy " + id, e);
        }
    }

    /** A shipment of {@code units} chips of {@code tppPerUnit} each. */
    public static ShipmentFacts shipment(String id, String consignee, LocalDate shipDate, int units, long tppPerUnit) {
        return new ShipmentFacts(id, consignee, shipDate, List.of(new LineItem("TEST-CHIP", "3A090.a", units, tppPerUnit)), null);
    }
}
