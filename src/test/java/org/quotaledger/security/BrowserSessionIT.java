package org.quotaledger.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.TestUsers;

/** Browser pages sign in with a session, and a form post without the session's CSRF token is refused. */
class BrowserSessionIT {

    @RegisterExtension
    static final LedgerOnPostgres.PerClass service = LedgerOnPostgres.perClass();
    private static String base;

    @BeforeAll
    static void start() {
        base = service.ledger().baseUrl();
    }

    private static HttpResponse<String> postForm(HttpClient browser, String form) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String credentials() {
        return "username=" + TestUsers.REGULATOR + "&password=" + URLEncoder.encode(TestUsers.PASSWORD, StandardCharsets.UTF_8);
    }

    @Test
    void aSignInWithoutTheCsrfTokenIsRefusedAndWithItSucceeds() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        HttpResponse<String> loginPage = browser.send(HttpRequest.newBuilder(URI.create(base + "/login")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher token = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(loginPage.body());
        assertThat(loginPage.statusCode()).isEqualTo(200);
        assertThat(token.find()).as("the login form carries a CSRF token").isTrue();

        HttpResponse<String> forged = postForm(browser, credentials());
        HttpResponse<String> genuine = postForm(browser, credentials() + "&_csrf=" + token.group(1));

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(genuine.statusCode()).isEqualTo(302);
        assertThat(genuine.headers().firstValue("Location").orElse("")).doesNotContain("error");
    }

    @Test
    void aPageAsksAnonymousBrowsersToSignIn() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElse("")).endsWith("/login");
    }
}
