package org.quotaledger.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The monitoring files under ops/ are checked for real: promtool validates the Prometheus
 * configuration, the alert rules and their unit tests; every query of the Grafana dashboard and
 * the alerts names a metric the service exports (MetricsIT checks this list against a real
 * scrape); and docker-compose.yml runs Prometheus and Grafana on these files.
 */
public class MonitoringFilesTest {

    static final Path PROMETHEUS_CONFIG = Path.of("ops/prometheus/prometheus.yml");
    static final Path ALERTS = Path.of("ops/prometheus/alerts.yml");
    static final Path ALERTS_TEST = Path.of("ops/prometheus/alerts-test.yml");
    static final Path DASHBOARD = Path.of("ops/grafana/dashboards/quota-ledger.json");

    /**
     * The series the service exports that the ops files may use, as they appear in /actuator/prometheus
     * (MetricsIT fails when one of them is not there). {@code up} is Prometheus's own.
     */
    public static final Set<String> EXPORTED_METRICS = Set.of(
            "ledger_quota_utilization", "ledger_quota_remaining_tpp", "ledger_shipments_recorded_total",
            "ledger_shipments_denied_total", "ledger_tpp_debited_total", "ledger_policy_applied_total",
            "http_server_requests_seconds_count", "commandBus_allTimer_seconds_bucket", "eventProcessor_latency",
            "jvm_memory_used_bytes", "jvm_memory_committed_bytes", "jvm_memory_max_bytes", "ledger_dead_letters");
    public static final Set<String> PROMETHEUS_OWN = Set.of("up");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void promtoolAcceptsTheConfiguration() {
        promtool("check", "config", PROMETHEUS_CONFIG.toString());
    }

    @Test
    void promtoolAcceptsTheAlertRules() {
        promtool("check", "rules", ALERTS.toString());
    }

    @Test
    void theAlertRulesPassTheirUnitTests() {
        promtool("test", "rules", ALERTS_TEST.toString());
    }

    @Test
    void theAlertsCoverQuotasLagAndServerErrors() throws IOException {
        Map<String, String> alerts = alerts();
        assertThat(alerts).containsKeys("QuotaCritical", "QuotaExhausted", "EventProcessorLagging",
                "HighServerErrorRate");
        assertThat(alerts.get("QuotaCritical")).contains("ledger_quota_utilization").contains(">= 0.9");
        assertThat(alerts.get("HighServerErrorRate")).contains("status=~\"5..\"");
    }

    @Test
    void everyDashboardQueryNamesAnExportedMetric() throws IOException {
        Map<String, String> queries = dashboardQueries();
        assertThat(queries).as("queries of " + DASHBOARD).isNotEmpty();
        Set<String> titles = new LinkedHashSet<>();
        queries.forEach((where, query) -> {
            Set<String> names = metricNames(query);
            assertThat(names).as("metrics named by %s: %s", where, query).isNotEmpty();
            assertThat(names).as("%s must name only metrics the service exports (or Prometheus's `up`)", where)
                    .allMatch(name -> EXPORTED_METRICS.contains(name) || PROMETHEUS_OWN.contains(name));
            titles.add(where.substring(0, where.indexOf(" #")));
        });
        assertThat(String.join("\n", titles)).as("panels").contains("utilization").contains("denied")
                .contains("recorded").contains("5xx").contains("lag").contains("heap").contains("Requests");
    }

    @Test
    void everyAlertNamesAnExportedMetric() throws IOException {
        alerts().forEach((alert, expr) -> assertThat(metricNames(expr)).as("metrics named by alert %s", alert)
                .isNotEmpty().allMatch(name -> EXPORTED_METRICS.contains(name) || PROMETHEUS_OWN.contains(name)));
    }

    @Test
    void theDashboardUsesTheProvisionedDatasource() throws IOException {
        Map<String, Object> datasources = yaml(Path.of("ops/grafana/provisioning/datasources/prometheus.yml"));
        String uid = String.valueOf(((Map<?, ?>) ((List<?>) datasources.get("datasources")).get(0)).get("uid"));
        for (JsonNode panel : JSON.readTree(DASHBOARD.toFile()).get("panels")) {
            if (panel.has("targets")) {
                assertThat(panel.at("/datasource/uid").asText()).as(panel.get("title").asText()).isEqualTo(uid);
            }
        }
        Map<String, Object> providers = yaml(Path.of("ops/grafana/provisioning/dashboards/quota-ledger.yml"));
        String path = String.valueOf(((Map<?, ?>) ((Map<?, ?>) ((List<?>) providers.get("providers")).get(0))
                .get("options")).get("path"));
        assertThat(mounts("grafana")).as("grafana mounts the dashboards where the provider looks")
                .containsEntry(path, "./ops/grafana/dashboards");
    }

    @Test
    void composeRunsPrometheusAndGrafanaOnTheseFiles() throws IOException {
        Map<String, Object> services = services();
        assertThat(services).containsKeys("prometheus", "grafana");
        assertThat(String.valueOf(service("prometheus").get("image"))).startsWith("prom/prometheus");
        assertThat(String.valueOf(service("grafana").get("image"))).startsWith("grafana/grafana");

        for (String name : List.of("prometheus", "grafana")) {
            mounts(name).forEach((target, source) -> {
                if (source.startsWith("./")) {
                    assertThat(Path.of(source)).as("%s mounts %s at %s", name, source, target).exists();
                }
            });
        }
        Map<String, String> prometheus = mounts("prometheus");
        assertThat(prometheus).containsEntry("/etc/prometheus/prometheus.yml", "./" + PROMETHEUS_CONFIG)
                .containsEntry("/etc/prometheus/alerts.yml", "./" + ALERTS);
        assertThat(mounts("grafana")).containsEntry("/etc/grafana/provisioning", "./ops/grafana/provisioning");

        // The scrape password is a file that compose mounts from a path that must be set.
        Map<String, Object> config = yaml(PROMETHEUS_CONFIG);
        Map<?, ?> job = (Map<?, ?>) ((List<?>) config.get("scrape_configs")).get(0);
        assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
        String passwordFile = String.valueOf(((Map<?, ?>) job.get("basic_auth")).get("password_file"));
        assertThat(prometheus.get(passwordFile)).as("the mount of " + passwordFile)
                .isEqualTo("${QUOTA_LEDGER_METRICS_PASSWORD_FILE:?set QUOTA_LEDGER_METRICS_PASSWORD_FILE}");
        for (Object rules : (List<?>) config.get("rule_files")) {
            assertThat(prometheus).as("rule file " + rules).containsKey("/etc/prometheus/" + rules);
        }
        assertThat(environment("grafana").get("GF_SECURITY_ADMIN_PASSWORD"))
                .isEqualTo("${QUOTA_LEDGER_GRAFANA_ADMIN_PASSWORD:?set QUOTA_LEDGER_GRAFANA_ADMIN_PASSWORD}");
    }

    // ---- shared with MetricsIT ----

    /** Every panel query of the dashboard, keyed by "panel title #refId". */
    public static Map<String, String> dashboardQueries() throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        collectQueries(JSON.readTree(DASHBOARD.toFile()).get("panels"), queries);
        return queries;
    }

    /** Every alert's expression, by alert name. */
    public static Map<String, String> alerts() throws IOException {
        Map<String, String> alerts = new LinkedHashMap<>();
        for (Object group : (List<?>) yaml(ALERTS).get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                Map<?, ?> map = (Map<?, ?>) rule;
                alerts.put(String.valueOf(map.get("alert")), String.valueOf(map.get("expr")));
            }
        }
        return alerts;
    }

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "NaN", "Inf", "inf", "nan");

    /** The metric names a PromQL expression selects (not its functions, labels or keywords). */
    public static Set<String> metricNames(String promql) {
        String stripped = STRING.matcher(promql).replaceAll("\"\"");
        stripped = stripped.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        stripped = GROUPING.matcher(stripped).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = IDENTIFIER.matcher(stripped);
        while (matcher.find()) {
            if (!KEYWORDS.contains(matcher.group(1))) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    // ---- helpers ----

    private static void collectQueries(JsonNode panels, Map<String, String> queries) {
        if (panels == null) {
            return;
        }
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(panel.path("title").asText() + " #" + target.path("refId").asText(),
                        target.path("expr").asText());
            }
            collectQueries(panel.get("panels"), queries);
        }
    }

    /** Runs promtool from the repository root; fails when it is missing or says no. */
    private static void promtool(String... arguments) {
        String promtool = findOnPath("promtool");
        if (promtool == null) {
            fail("""
                    promtool is not installed, so the Prometheus files under ops/prometheus cannot be checked.
                    Install it: on Debian/Ubuntu `apt-get install -y prometheus` (which brings promtool; stop the
                    prometheus daemon it may start), or download a release from https://prometheus.io/download/
                    and put promtool on the PATH. .ci/run installs it when it is missing.""");
        }
        List<String> command = new ArrayList<>();
        command.add(promtool);
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 120 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("%s said:%n%s", String.join(" ", command), output).isZero();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String findOnPath(String program) {
        String path = System.getenv("PATH");
        for (String directory : (path == null ? "" : path).split(File.pathSeparator)) {
            Path candidate = Path.of(directory, program);
            if (!directory.isEmpty() && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws IOException {
        assertThat(file).isRegularFile();
        Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        assertThat(parsed).as(file + " must be a YAML mapping").isInstanceOf(Map.class);
        return (Map<String, Object>) parsed;
    }

    private static Map<String, Object> services() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> services = (Map<String, Object>) yaml(Path.of("docker-compose.yml")).get("services");
        return services;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) throws IOException {
        Object service = services().get(name);
        assertThat(service).as("compose service " + name).isInstanceOf(Map.class);
        return (Map<String, Object>) service;
    }

    /** A service's short-syntax volumes as target → source ("source:target[:mode]"). */
    private static Map<String, String> mounts(String name) throws IOException {
        Map<String, String> mounts = new LinkedHashMap<>();
        Object volumes = service(name).get("volumes");
        assertThat(volumes).as(name + ".volumes").isInstanceOf(List.class);
        for (Object volume : (List<?>) volumes) {
            String text = String.valueOf(volume);
            // The source may be ${VAR:?message}, whose message may hold no colon-free split point: cut after "}".
            int sourceEnd = text.startsWith("${") ? text.indexOf('}') + 1 : text.indexOf(':');
            String source = text.substring(0, sourceEnd);
            String rest = text.substring(sourceEnd + 1);
            String target = rest.contains(":") ? rest.substring(0, rest.indexOf(':')) : rest;
            mounts.put(target, source);
        }
        return mounts;
    }

    private static Map<String, String> environment(String name) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        ((Map<?, ?>) service(name).get("environment")).forEach((key, value) ->
                env.put(String.valueOf(key), String.valueOf(value)));
        return env;
    }
}
