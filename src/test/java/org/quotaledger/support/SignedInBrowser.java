package org.quotaledger.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The browser pages as a browser reaches them, without one: a cookie jar signed in through the
 * login form (with its CSRF token), then plain GETs of pages and fragments.
 */
public final class SignedInBrowser {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

    private final HttpClient client;
    private final String base;

    private SignedInBrowser(HttpClient client, String base) {
        this.client = client;
        this.base = base;
    }

    public static SignedInBrowser signIn(RunningLedger ledger, String username) {
        return signIn(ledger, username, TestUsers.PASSWORD);
    }

    public static SignedInBrowser signIn(RunningLedger ledger, String username, String password) {
        HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        SignedInBrowser browser = new SignedInBrowser(client, ledger.baseUrl());
        Matcher token = CSRF.matcher(browser.get("/login").body());
        if (!token.find()) {
            throw new IllegalStateException("the login form has no CSRF token");
        }
        String form = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + token.group(1);
        HttpResponse<String> signedIn = browser.send(HttpRequest.newBuilder(URI.create(browser.base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        if (signedIn.statusCode() != 302 || signedIn.headers().firstValue("Location").orElse("").contains("error")) {
            throw new IllegalStateException("signing in as " + username + " failed: " + signedIn.statusCode());
        }
        return browser;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
