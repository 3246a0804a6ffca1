package org.quotaledger.security;

import static org.quotaledger.security.Role.ADMIN;
import static org.quotaledger.security.Role.AUDITOR;
import static org.quotaledger.security.Role.EXPORTER;
import static org.quotaledger.security.Role.REGULATOR;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.springframework.http.HttpMethod;

/**
 * Who may call what: one rule per endpoint, and nothing else is reachable. The security matrix
 * test checks every request mapping of the application against this list, so an endpoint added
 * without a rule fails the build.
 */
public final class EndpointRules {

    private EndpointRules() {
    }

    /** {@code roles} empty and {@code anonymous} true: open to all, signed in or not. */
    public record Rule(HttpMethod method, String pattern, Set<Role> roles, boolean anonymous) {

        static Rule open(HttpMethod method, String pattern) {
            return new Rule(method, pattern, Set.of(), true);
        }

        static Rule roles(HttpMethod method, String pattern, Role... roles) {
            return new Rule(method, pattern, Set.copyOf(List.of(roles)), false);
        }

        static Rule anyRole(HttpMethod method, String pattern) {
            return new Rule(method, pattern, EnumSet.allOf(Role.class), false);
        }
    }

    public static final List<Rule> RULES = List.of(
            Rule.roles(HttpMethod.POST, "/api/v1/shipments", EXPORTER),
            Rule.roles(HttpMethod.POST, "/api/v1/shipments/{shipmentId}/void", EXPORTER),
            Rule.roles(HttpMethod.GET, "/api/v1/shipments", EXPORTER, AUDITOR),
            Rule.roles(HttpMethod.GET, "/api/v1/shipments/{shipmentId}", EXPORTER, AUDITOR),
            Rule.roles(HttpMethod.POST, "/api/v1/shipments/batch", EXPORTER),
            Rule.roles(HttpMethod.GET, "/api/v1/shipments/batch/{jobId}", EXPORTER, AUDITOR),
            Rule.roles(HttpMethod.GET, "/api/v1/shipments/batch/{jobId}/results", EXPORTER, AUDITOR),
            Rule.roles(HttpMethod.GET, "/api/v1/exporters/{exporterId}/statement", EXPORTER, AUDITOR),
            Rule.roles(HttpMethod.POST, "/api/v1/reservations", EXPORTER),
            Rule.roles(HttpMethod.GET, "/api/v1/reservations", EXPORTER, AUDITOR),
            Rule.roles(HttpMethod.GET, "/api/v1/reservations/{reservationId}", EXPORTER, AUDITOR),
            Rule.roles(HttpMethod.POST, "/api/v1/reservations/{reservationId}/release", EXPORTER),
            Rule.anyRole(HttpMethod.GET, "/api/v1/balances"),
            Rule.anyRole(HttpMethod.GET, "/api/v1/balances/stream"),
            Rule.anyRole(HttpMethod.GET, "/api/v1/balances/{country}"),
            // browser pages, for a signed-in session (form login); anonymous browsers are sent to /login
            Rule.anyRole(HttpMethod.GET, "/"),
            Rule.anyRole(HttpMethod.GET, "/dashboard/balances/stream"),
            Rule.anyRole(HttpMethod.GET, "/dashboard/alerts"),
            Rule.anyRole(HttpMethod.GET, "/countries/{country}"),
            Rule.anyRole(HttpMethod.GET, "/policies"),
            Rule.roles(HttpMethod.POST, "/api/v1/policies", REGULATOR),
            Rule.anyRole(HttpMethod.GET, "/api/v1/policies"),
            Rule.anyRole(HttpMethod.GET, "/api/v1/policies/{policyId}"),
            Rule.anyRole(HttpMethod.GET, "/api/v1/policies/{policyId}/impact"),
            Rule.anyRole(HttpMethod.GET, "/api/v1/catalog"),
            Rule.anyRole(HttpMethod.GET, "/api/v1/catalog/{model}"),
            Rule.roles(HttpMethod.PUT, "/api/v1/catalog/{model}", REGULATOR),
            Rule.roles(HttpMethod.GET, "/api/v1/audit/countries/{country}/events", AUDITOR),
            Rule.roles(HttpMethod.GET, "/api/v1/audit/countries/{country}/balance", AUDITOR),
            Rule.roles(HttpMethod.GET, "/api/v1/audit/balances", AUDITOR),
            Rule.roles(HttpMethod.GET, "/api/v1/audit/verify", AUDITOR, ADMIN),
            Rule.roles(HttpMethod.POST, "/api/v1/audit/replays", AUDITOR),
            Rule.roles(HttpMethod.GET, "/api/v1/audit/replays/{jobId}", AUDITOR),
            Rule.roles(HttpMethod.GET, "/api/v1/audit/replays/{jobId}/balances.csv", AUDITOR),
            Rule.roles(HttpMethod.GET, "/api/v1/audit/replays/{jobId}/shipments.csv", AUDITOR),
            Rule.roles(HttpMethod.DELETE, "/api/v1/audit/replays/{jobId}", AUDITOR),
            Rule.roles(HttpMethod.POST, "/api/v1/admin/projections/{projection}/rebuild", ADMIN),
            Rule.roles(HttpMethod.GET, "/api/v1/admin/projections/{projection}", ADMIN),
            Rule.roles(HttpMethod.GET, "/api/v1/admin/dead-letters", ADMIN),
            Rule.roles(HttpMethod.POST, "/api/v1/admin/dead-letters/{processingGroup}/retry", ADMIN),
            Rule.roles(HttpMethod.GET, "/actuator/prometheus", ADMIN),
            Rule.roles(HttpMethod.GET, "/actuator/metrics", ADMIN),
            Rule.roles(HttpMethod.GET, "/actuator/metrics/{name}", ADMIN),
            Rule.roles(HttpMethod.GET, "/actuator/info", ADMIN),
            Rule.open(HttpMethod.GET, "/actuator/health"),
            Rule.open(HttpMethod.GET, "/actuator/health/**"),
            Rule.open(HttpMethod.GET, "/v3/api-docs"),
            Rule.open(HttpMethod.GET, "/v3/api-docs/**"),
            Rule.open(HttpMethod.GET, "/v3/api-docs.yaml"),
            Rule.open(HttpMethod.GET, "/swagger-ui.html"),
            Rule.open(HttpMethod.GET, "/swagger-ui/**"));
}
