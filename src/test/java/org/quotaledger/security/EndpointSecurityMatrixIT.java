package org.quotaledger.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.RunningLedger.Response;
import org.quotaledger.support.TestUsers;
import org.springframework.http.server.PathContainer;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Every endpoint of the running application, as its own request mappings list them, called by
 * every role and anonymously: the status must be what {@link EndpointRules} says. An endpoint
 * without a rule fails this test, and so the build.
 */
class EndpointSecurityMatrixIT {

    /** Sample values for path variables, so a request reaches the handler. */
    private static final Map<String, String> SAMPLES = Map.of("shipmentId", "S-MATRIX", "country", "AE",
            "policyId", "ai-diffusion-2025-01", "model", "H100", "name", "jvm.memory.used", "jobId", "no-such-job",
            "projection", "no-such-projection", "processingGroup", "no-such-group", "reservationId", "R-MATRIX",
            "exporterId", TestUsers.EXPORTER_A);

    private static final Map<String, Role> USERS = new TreeMap<>(Map.of(TestUsers.REGULATOR, Role.REGULATOR,
            TestUsers.AUDITOR, Role.AUDITOR, TestUsers.ADMIN, Role.ADMIN, TestUsers.EXPORTER_A, Role.EXPORTER));

    private static LedgerOnPostgres service;

    @BeforeAll
    static void start() {
        // The balance stream ends after a second here, so that each call of it returns a whole answer.
        service = LedgerOnPostgres.start("--quota-ledger.balance-stream.timeout=1s");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    record Endpoint(String method, String pattern) {
    }

    private static List<Endpoint> endpoints(RunningLedger ledger) {
        List<Endpoint> endpoints = new ArrayList<>();
        RequestMappingHandlerMapping mapping = ledger.bean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                if (pattern.equals("/error")) {
                    continue; // Spring Boot's error page, reached only by error dispatch (permitted there)
                }
                for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                    endpoints.add(new Endpoint(method.name(), pattern));
                }
            }
        }
        endpoints.add(new Endpoint("GET", "/actuator/health"));
        endpoints.add(new Endpoint("GET", "/actuator/prometheus"));
        return endpoints;
    }

    private static String concrete(String pattern) {
        String path = pattern;
        for (Map.Entry<String, String> sample : SAMPLES.entrySet()) {
            path = path.replace("{" + sample.getKey() + "}", sample.getValue());
        }
        return path;
    }

    private static Optional<EndpointRules.Rule> ruleFor(Endpoint endpoint) {
        PathContainer path = PathContainer.parsePath(concrete(endpoint.pattern()));
        return EndpointRules.RULES.stream()
                .filter(rule -> rule.method().name().equals(endpoint.method()))
                .filter(rule -> rule.pattern().equals(endpoint.pattern())
                        || PathPatternParser.defaultInstance.parse(rule.pattern()).matches(path))
                .findFirst();
    }

    private static boolean browserPage(String path) {
        return !(path.startsWith("/api/") || path.startsWith("/actuator") || path.startsWith("/v3/")
                || path.startsWith("/swagger-ui"));
    }

    @Test
    void everyEndpointHasARule() {
        List<Endpoint> endpoints = endpoints(service.ledger());

        assertThat(endpoints).hasSizeGreaterThan(12);
        assertThat(endpoints).allSatisfy(endpoint ->
                assertThat(ruleFor(endpoint)).as("a rule in EndpointRules for %s", endpoint).isPresent());
    }

    @Test
    void everyEndpointAnswersEachRoleAsItsRuleSays() {
        RunningLedger ledger = service.ledger();
        List<String> wrong = new ArrayList<>();
        for (Endpoint endpoint : endpoints(ledger)) {
            EndpointRules.Rule rule = ruleFor(endpoint).orElseThrow();
            String path = concrete(endpoint.pattern());
            String body = endpoint.method().equals("GET") ? null : "{}";

            int anonymous = ledger.anonymous().send(endpoint.method(), path, body).status();
            // browser pages (outside the API chain) send anonymous visitors to the login form instead
            int unauthenticated = browserPage(path) ? 302 : 401;
            if (rule.anonymous() ? anonymous == 401 || anonymous == 403 : anonymous != unauthenticated) {
                wrong.add(endpoint + " anonymous -> " + anonymous);
            }
            for (Map.Entry<String, Role> user : USERS.entrySet()) {
                Response response = ledger.as(user.getKey()).send(endpoint.method(), path, body);
                boolean allowed = rule.anonymous() || rule.roles().contains(user.getValue());
                boolean passed = allowed ? response.status() != 401 && response.status() != 403 : response.status() == 403;
                if (!passed) {
                    wrong.add(endpoint + " as " + user.getValue() + " -> " + response.status());
                }
                if (response.status() >= 500) {
                    wrong.add(endpoint + " as " + user.getValue() + " -> " + response.status() + " " + response.raw());
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void aWrongPasswordIsUnauthenticated() {
        Response response = service.ledger().withBearer("not-a-token").get("/api/v1/balances");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }
}
