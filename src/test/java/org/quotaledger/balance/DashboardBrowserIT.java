package org.quotaledger.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.TestUsers;

/**
 * The dashboard in a real browser (Debian's chromium, headless, through /usr/bin/chromedriver;
 * Selenium never downloads a driver or a browser here): sign in on the form, see every country,
 * and watch a country's row change when a shipment is recorded, with no reload.
 */
class DashboardBrowserIT {

    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String CHROMIUM = "/usr/bin/chromium";

    private static LedgerOnPostgres service;
    private static Path profile;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        service = LedgerOnPostgres.start();
        profile = Files.createTempDirectory("ql-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + profile);
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(driver, options);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            try {
                service.close();
            } finally {
                try (Stream<Path> files = Files.walk(profile)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    private static WebDriverWait waiting(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private static String cell(String country, String field) {
        return browser.findElement(By.cssSelector("#row-" + country + " [data-field='" + field + "']")).getText();
    }

    @Test
    void aSignedInRegulatorSeesEveryCountryAndARowChangeLive() {
        browser.get(service.ledger().baseUrl() + "/");
        waiting(10).until(ExpectedConditions.urlContains("/login"));
        browser.findElement(By.name("username")).sendKeys(TestUsers.REGULATOR);
        browser.findElement(By.name("password")).sendKeys(TestUsers.PASSWORD);
        browser.findElement(By.cssSelector("button[type='submit'], input[type='submit']")).click();

        waiting(10).until(ExpectedConditions.presenceOfElementLocated(By.id("balances")));
        List<WebElement> rows = browser.findElements(By.cssSelector("#balances tbody tr"));
        assertThat(rows).hasSize(LedgerOnPostgres.COUNTRIES);
        assertThat(cell("CN", "status")).isEqualTo("prohibited");
        assertThat(cell("OM", "status")).isEqualTo("open");
        assertThat(cell("OM", "consumed")).isEqualTo("0");
        waiting(10).until(ExpectedConditions.attributeToBe(By.id("live"), "data-state", "live"));
        ((JavascriptExecutor) browser).executeScript("document.getElementById('row-OM').dataset.marker = 'same page';");

        assertThat(service.ledger().as(TestUsers.EXPORTER_A).post("/api/v1/shipments", """
                {"shipmentId":"DASH-1","consignee":{"id":"c-dash","name":"Consignee","headquartersCountry":"OM"},
                 "destinationCountry":"OM","shipDate":"2025-03-01","items":[{"model":"H100","quantity":2000}]}""")
                .status()).isEqualTo(201);

        waiting(5).until(ignored -> cell("OM", "consumed").equals("31,664,000"));
        assertThat(cell("OM", "consumedH100e")).isEqualTo("2,000");
        assertThat(browser.findElement(By.id("row-OM")).getAttribute("data-marker"))
                .as("the row changed in place, without a reload").isEqualTo("same page");

        // filter by status: only prohibited countries remain visible
        new Select(browser.findElement(By.id("filter-status"))).selectByValue("prohibited");
        assertThat(browser.findElement(By.id("row-CN")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("row-OM")).isDisplayed()).isFalse();
    }
}
