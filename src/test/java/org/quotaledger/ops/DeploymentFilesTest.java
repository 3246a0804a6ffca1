package org.quotaledger.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment files are part of the product: docker-compose.yml must describe a runnable stack,
 * the image must never let Axon's update checker phone home, and no real password may be committed.
 * Maven runs tests from the repository root, so the paths below are relative to it.
 */
class DeploymentFilesTest {

    private static final Path COMPOSE_FILE = Path.of("docker-compose.yml");
    private static final Path README = Path.of("README.md");
    private static final Path NGINX_CONFIG = Path.of("ops/nginx/nginx.conf");
    /** The only password allowed in the compose file: an env var that must be set, with no default. */
    private static final String DOCUMENTED_PASSWORD = "${QUOTA_LEDGER_DB_PASSWORD:?set QUOTA_LEDGER_DB_PASSWORD}";

    private static Map<String, Object> compose;

    @BeforeAll
    static void parseComposeFile() throws IOException {
        assertThat(COMPOSE_FILE).as("docker-compose.yml at the repository root").isRegularFile();
        Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(COMPOSE_FILE));
        assertThat(parsed).as("docker-compose.yml must parse to a YAML mapping").isInstanceOf(Map.class);
        compose = asMap(parsed, "docker-compose.yml");
    }

    @Test
    void composeDefinesPostgresAndAppServices() {
        assertThat(services()).containsKeys("postgres", "app");
    }

    @Test
    void postgresServiceIsVersion15WithAHealthcheck() {
        Map<String, Object> postgres = service("postgres");
        assertThat(postgres.get("image")).as("postgres image").isEqualTo("postgres:15");
        Map<String, Object> healthcheck = asMap(postgres.get("healthcheck"), "postgres.healthcheck");
        assertThat(String.valueOf(healthcheck.get("test"))).as("postgres healthcheck").contains("pg_isready");
    }

    @Test
    void appIsBuiltFromOpsDockerfileWhichDisablesTheUpdateChecker() throws IOException {
        Map<String, Object> build = asMap(service("app").get("build"), "app.build");
        assertThat(build.get("dockerfile")).as("app.build.dockerfile").isEqualTo("ops/Dockerfile");
        Path context = Path.of(String.valueOf(build.getOrDefault("context", ".")));
        Path dockerfile = context.resolve("ops/Dockerfile");
        assertThat(dockerfile).as("the Dockerfile that compose builds").isRegularFile();

        String text = Files.readString(dockerfile);
        String runtimeStage = text.substring(text.lastIndexOf("\nFROM "));
        assertThat(runtimeStage)
                .as("the runtime stage of ops/Dockerfile must switch Axon's update checker off")
                .contains("-Daxoniq.update-checker.disabled=true")
                .contains("AXONIQ_UPDATE_CHECKER_DISABLED=true");
    }

    @Test
    void appWaitsForPostgres() {
        Object dependsOn = service("app").get("depends_on");
        assertThat(dependsOn).as("app.depends_on").isNotNull();
        if (dependsOn instanceof List<?> list) {
            assertThat(list.stream().map(String::valueOf).toList()).as("app.depends_on").contains("postgres");
        } else {
            Map<String, Object> postgres = asMap(asMap(dependsOn, "app.depends_on").get("postgres"),
                    "app.depends_on.postgres");
            assertThat(postgres.get("condition")).as("app waits until postgres is healthy")
                    .isEqualTo("service_healthy");
        }
    }

    @Test
    void appUsesThePostgresServiceAndProfile() {
        Map<String, String> env = environment("app");
        assertThat(env.get("SPRING_DATASOURCE_URL")).as("app SPRING_DATASOURCE_URL")
                .isNotNull()
                .matches(Pattern.compile("jdbc:postgresql://postgres(:5432)?/quota_ledger"));
        assertThat(env.get("SPRING_PROFILES_ACTIVE")).as("app SPRING_PROFILES_ACTIVE").isEqualTo("postgres");
        assertThat(env).as("app environment").containsKeys("SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD");
        assertThat(env.get("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI"))
                .as("the postgres profile needs authentication: a JWT issuer from the environment")
                .isEqualTo("${QUOTA_LEDGER_JWT_ISSUER_URI:?set QUOTA_LEDGER_JWT_ISSUER_URI}");
    }

    @Test
    void noPasswordIsCommittedOnlyTheVariableThatMustHoldIt() {
        Map<String, String> passwords = new LinkedHashMap<>();
        collectPasswords(compose, "", passwords);
        assertThat(passwords).as("password settings found in docker-compose.yml")
                .containsKeys("services.postgres.environment.POSTGRES_PASSWORD",
                        "services.app.environment.SPRING_DATASOURCE_PASSWORD");
        assertThat(passwords.get("services.postgres.environment.POSTGRES_PASSWORD")).isEqualTo(DOCUMENTED_PASSWORD);
        assertThat(passwords.get("services.app.environment.SPRING_DATASOURCE_PASSWORD")).isEqualTo(DOCUMENTED_PASSWORD);
        // Others (the monitoring stack's) likewise: a variable that must be set, never a default.
        passwords.forEach((where, value) -> assertThat(value).as("%s must come from the environment", where)
                .matches("\\$\\{[A-Z0-9_]+:\\?set [A-Z0-9_]+}"));
    }

    @Test
    void readmeExplainsHowToRunTheStack() throws IOException {
        if (!Files.isRegularFile(README)) {
            fail("README.md is missing at the repository root: it must explain `docker compose up` "
                    + "and name the compose services " + services().keySet());
        }
        String readme = Files.readString(README);
        assertThat(readme).as("README.md").contains("docker compose up");
        for (String name : services().keySet()) {
            assertThat(readme).as("README.md must name the compose service '%s'", name)
                    .containsPattern("\\b" + Pattern.quote(name) + "\\b");
        }
    }

    @Test
    void appScalesBehindTheLoadBalancerWhichAloneHasTheHostPort() {
        assertThat(service("app")).as("app publishes no host port, or --scale app=3 would clash over it")
                .doesNotContainKey("ports");
        Map<String, Object> lb = service("lb");
        assertThat(String.valueOf(lb.get("image"))).as("lb.image").startsWith("nginx:");
        assertThat(String.valueOf(lb.get("ports"))).as("lb.ports").contains("8080:8080");
        assertThat(String.valueOf(lb.get("volumes"))).as("lb.volumes")
                .contains("./" + NGINX_CONFIG + ":/etc/nginx/nginx.conf:ro");
        assertThat(String.valueOf(lb.get("depends_on"))).as("lb.depends_on").contains("app");
    }

    /**
     * nginx itself checks the configuration ({@code nginx -t}). Docker's DNS, which names the `app`
     * replicas, is not here, so the check runs on a copy whose upstream is this machine instead.
     */
    @Test
    void theLoadBalancerSpreadsOverEveryAppNodeAndNginxAcceptsItsConfiguration() throws Exception {
        String config = Files.readString(NGINX_CONFIG);
        assertThat(config).as("requests go to the compose service `app`").contains("server app:8080")
                .contains("proxy_pass http://ledger;")
                .as("a browser session stays on its node; other requests are spread")
                .contains("hash $affinity consistent;").contains("map $cookie_JSESSIONID $affinity")
                .as("the balance stream must not be buffered").contains("proxy_buffering off;");
        assertThat(config).as("a POST is never resent to another node").doesNotContain("non_idempotent");

        String nginx = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator),
                        new String[] {"/usr/sbin"})
                .flatMap(Arrays::stream).filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, "nginx")).filter(Files::isExecutable)
                .map(Path::toString).findFirst().orElse(null);
        if (nginx == null) {
            fail("nginx is not installed, so ops/nginx/nginx.conf cannot be checked. Install it: on Debian/Ubuntu "
                    + "`apt-get install -y nginx` (no daemon is needed). .ci/run installs it when it is missing.");
        }
        Path scratch = Files.createTempDirectory("nginx-check");
        Path copy = Files.writeString(scratch.resolve("nginx.conf"), config.replace("server app:8080", "server 127.0.0.1:8080"));
        Process check = new ProcessBuilder(nginx, "-t", "-p", scratch.toString(), "-c", copy.toString(),
                "-g", "pid " + scratch.resolve("nginx.pid") + "; error_log " + scratch.resolve("error.log") + ";")
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as("nginx -t says:%n%s", output).isZero();
    }

    @Test
    void prometheusScrapesEveryAppNode() throws IOException {
        String config = Files.readString(Path.of("ops/prometheus/prometheus.yml"));
        assertThat(config).contains("dns_sd_configs:").contains("names: [\"app\"]");
    }

    @Test
    void readmeSaysWhatScalesAndWhatDoesNot() throws IOException {
        String readme = Files.readString(README);
        assertThat(readme).contains("## Running on several machines");
        String section = readme.substring(readme.indexOf("## Running on several machines"));
        section = section.substring(0, section.indexOf("\n## ", 5) < 0 ? section.length() : section.indexOf("\n## ", 5));
        assertThat(section).contains("docker compose up --scale app=3").contains("segment").contains("one PostgreSQL primary")
                .contains("serialised").contains("replica").contains("maximum-pool-size").contains("claim-timeout")
                .contains("initial-segment-count");
    }

    /**
     * Every setting anywhere in the file whose name mentions a password, whether a mapping entry or a
     * KEY=VALUE list item; a password passed as a URL parameter ("password=...") counts as well.
     */
    private static void collectPasswords(Object node, String path, Map<String, String> found) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                String where = path.isEmpty() ? String.valueOf(key) : path + "." + key;
                if (String.valueOf(key).toLowerCase().contains("password") && !(value instanceof Map || value instanceof List)) {
                    found.put(where, String.valueOf(value));
                } else {
                    collectPasswords(value, where, found);
                }
            });
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collectPasswords(list.get(i), path + "[" + i + "]", found);
            }
        } else if (node != null) {
            var matcher = Pattern.compile("(?i)([A-Za-z_]*password)=([^\\s&;]*)").matcher(String.valueOf(node));
            while (matcher.find()) {
                found.put(path + "." + matcher.group(1), matcher.group(2));
            }
        }
    }

    private static Map<String, Object> services() {
        return asMap(compose.get("services"), "services");
    }

    private static Map<String, Object> service(String name) {
        return asMap(services().get(name), "services." + name);
    }

    /** Compose accepts the environment as a mapping or as a list of KEY=VALUE strings. */
    private static Map<String, String> environment(String serviceName) {
        Object env = service(serviceName).get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (env instanceof List<?> list) {
            for (Object entry : list) {
                String[] keyValue = String.valueOf(entry).split("=", 2);
                result.put(keyValue[0], keyValue.length > 1 ? keyValue[1] : null);
            }
        } else if (env != null) {
            asMap(env, serviceName + ".environment")
                    .forEach((key, value) -> result.put(key, value == null ? null : String.valueOf(value)));
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object node, String where) {
        assertThat(node).as("%s must be a YAML mapping", where).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }
}
