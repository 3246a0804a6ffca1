package org.quotaledger.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
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
 * watch a country's row change and an alert appear when shipments are recorded, with no reload;
 * sort the table from the keyboard; open a country's page and see its chart. Screenshots go to
 * target/ (dashboard.png is the README's).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
                "--no-first-run", "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
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
                if (service != null) {
                    service.close();
                }
            } finally {
                if (profile != null) {
                    try (Stream<Path> files = Files.walk(profile)) {
                        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                    }
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

    private static void screenshot(String name) throws Exception {
        Path file = Path.of("target", name);
        Files.createDirectories(file.getParent());
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** What the console said since last asked: nothing the Content-Security-Policy blocked, no script error. */
    private static void assertNoBrowserErrors() {
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll())
                .filteredOn(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                .extracting(LogEntry::getMessage)
                .filteredOn(message -> !message.contains("favicon.ico"))
                .isEmpty();
    }

    private static WebElement focused() {
        return browser.switchTo().activeElement();
    }

    @Test
    @Order(1)
    void aSignedInRegulatorSeesEveryCountryAndARowChangeLive() throws Exception {
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

        // Poland turns critical: the stream shows its new status, the alerts panel (htmx) lists it, and
        // under a filter for critical quotas its row appears
        new Select(browser.findElement(By.id("filter-status"))).selectByValue("critical");
        assertThat(browser.findElement(By.id("shown")).getText()).isEqualTo("0 countries");
        assertThat(service.ledger().as(TestUsers.EXPORTER_A).post("/api/v1/shipments", """
                {"shipmentId":"DASH-2","consignee":{"id":"c-dash-pl","name":"Consignee","headquartersCountry":"PL"},
                 "destinationCountry":"PL","shipDate":"2025-03-01","items":[{"model":"H100","quantity":45000}]}""")
                .status()).isEqualTo(201);
        waiting(10).until(ignored -> cell("PL", "status").equals("critical"));
        assertThat(browser.findElement(By.id("shown")).getText()).isEqualTo("1 countries");
        assertThat(browser.findElement(By.id("row-OM")).isDisplayed()).isFalse();
        waiting(10).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#alerts li[data-country='PL'][data-status='critical']")));
        assertThat(browser.findElement(By.cssSelector("#alerts li[data-country='PL']")).getText())
                .contains("PL").contains("open").contains("critical").contains("DASH-2");
        assertThat(browser.findElement(By.id("row-OM")).getAttribute("data-marker"))
                .as("the alert arrived without a reload").isEqualTo("same page");
        screenshot("dashboard-live.png");
        assertNoBrowserErrors();

        // filter by status: only prohibited countries remain visible
        new Select(browser.findElement(By.id("filter-status"))).selectByValue("prohibited");
        assertThat(browser.findElement(By.id("row-CN")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("row-OM")).isDisplayed()).isFalse();
    }

    @Test
    @Order(2)
    void theTableSortsFromTheKeyboardAndEveryStatusIsWrittenNotOnlyColoured() {
        browser.get(service.ledger().baseUrl() + "/");
        waiting(10).until(ExpectedConditions.attributeToBe(By.id("live"), "data-state", "live"));
        WebElement countryHeader = browser.findElement(By.cssSelector("th[data-sort='country']"));
        assertThat(countryHeader.getAttribute("aria-sort")).isEqualTo("ascending");

        browser.findElement(By.id("filter-name")).click();
        for (int presses = 0; presses < 60 && !"country".equals(focused().findElement(By.xpath("..")).getAttribute("data-sort"));
             presses++) {
            focused().sendKeys(Keys.TAB);
        }
        assertThat(focused().getTagName()).isEqualTo("button");
        assertThat(focused().getText()).isEqualTo("Country");

        focused().sendKeys(Keys.ENTER);
        assertThat(countryHeader.getAttribute("aria-sort")).isEqualTo("descending");
        assertThat(browser.findElement(By.cssSelector("#balances tbody tr")).getAttribute("data-country")).isEqualTo("ZW");

        focused().sendKeys(Keys.TAB);
        assertThat(focused().getText()).isEqualTo("Tier");
        focused().sendKeys(Keys.SPACE);
        assertThat(browser.findElement(By.cssSelector("th[data-sort='tier']")).getAttribute("aria-sort")).isEqualTo("ascending");
        assertThat(countryHeader.getAttribute("aria-sort")).isEqualTo("none");

        // the colour is never the only sign: every status badge says its status in words
        List<WebElement> rows = browser.findElements(By.cssSelector("#balances tbody tr"));
        assertThat(rows).hasSize(LedgerOnPostgres.COUNTRIES).allSatisfy(row -> {
            WebElement badge = row.findElement(By.cssSelector("[data-field='status'] .status"));
            assertThat(badge.getText()).isEqualTo(row.getAttribute("data-status"))
                    .isIn("open", "critical", "exhausted", "prohibited", "unrestricted");
        });
        assertThat(browser.findElements(By.cssSelector("#balances .bar[aria-hidden='true']"))).hasSize(LedgerOnPostgres.COUNTRIES);
        assertThat(browser.findElements(By.cssSelector("#balances thead th[aria-sort]"))).hasSize(11);
        assertThat(browser.findElement(By.cssSelector("#balances caption")).getAttribute("textContent")).isNotBlank();
        assertThat(browser.findElement(By.id("live")).getAttribute("role")).isEqualTo("status");
    }

    @Test
    @Order(3)
    void aCountryPageDrawsItsBalanceOverTime() throws Exception {
        browser.get(service.ledger().baseUrl() + "/");
        browser.findElement(By.cssSelector("#row-OM a")).click();
        waiting(10).until(ExpectedConditions.urlContains("/countries/OM"));

        WebElement consumed = waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("chart-consumed")));
        assertThat(consumed.getSize().getWidth()).as("the line spans the chart").isGreaterThan(300);
        assertThat(browser.findElement(By.id("chart-cap")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("chart-desc")).getAttribute("textContent"))
                .startsWith("OM: consumed TPP over time, 2 points");
        assertThat(browser.findElement(By.id("shipments")).getText()).contains("DASH-1").contains("recorded");
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("ai-diffusion-2025-01");
        assertNoBrowserErrors();
        screenshot("country-OM.png");

        browser.findElement(By.linkText("Policies")).click();
        waiting(10).until(ExpectedConditions.presenceOfElementLocated(By.id("policy-ai-diffusion-2025-01")));
        assertThat(browser.findElement(By.id("policy-ai-diffusion-2025-01")).getText()).contains("249 of 249 countries");
    }

    private static int post(String user, String path, String json) {
        return service.ledger().as(user).post(path, json).status();
    }

    private static String shipment(String id, String country, String date, String model, int quantity) {
        return """
                {"shipmentId":"%s","consignee":{"id":"c-%s","name":"Consignee","headquartersCountry":"%s"},
                 "destinationCountry":"%s","shipDate":"%s","items":[{"model":"%s","quantity":%d}]}"""
                .formatted(id, id, country, country, date, model, quantity);
    }

    /** The README's walk-through, then the pages as it leaves them: the README's screenshot is taken here. */
    @Test
    @Order(4)
    void afterTheReadmeWalkThroughThePagesShowTheRevision() throws Exception {
        String may = "ai-diffusion-rescission-2025-05";
        assertThat(post(TestUsers.EXPORTER_A, "/api/v1/shipments", shipment("WALK-1", "AE", "2025-03-10", "H100", 2000))).isEqualTo(201);
        assertThat(post(TestUsers.EXPORTER_A, "/api/v1/shipments", shipment("WALK-2", "IN", "2025-04-01", "H100", 100))).isEqualTo(201);
        assertThat(post(TestUsers.EXPORTER_A, "/api/v1/shipments", shipment("WALK-3", "CN", "2025-03-10", "H20", 10))).isEqualTo(422);
        assertThat(post(TestUsers.EXPORTER_A, "/api/v1/shipments", shipment("WALK-4", "AE", "2025-06-20", "H100", 50_000))).isEqualTo(422);
        assertThat(post(TestUsers.EXPORTER_A, "/api/v1/shipments", shipment("WALK-5", "AE", "2025-06-20", "H100", 2000))).isEqualTo(201);
        assertThat(post(TestUsers.EXPORTER_A, "/api/v1/shipments/WALK-1/void", "{\"reason\":\"entered twice in the ERP\"}"))
                .isEqualTo(200);

        // the revision reaches all 249 countries while the dashboard is open: every row follows, no reload
        browser.get(service.ledger().baseUrl() + "/");
        waiting(10).until(ExpectedConditions.attributeToBe(By.id("live"), "data-state", "live"));
        ((JavascriptExecutor) browser).executeScript("document.body.dataset.marker = 'same page';");
        long enacted = System.nanoTime();
        assertThat(post(TestUsers.REGULATOR, "/api/v1/policies",
                Files.readString(Path.of("src/main/resources/policies/" + may + ".json")))).isEqualTo(201);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> service.ledger().get("/api/v1/policies/" + may + "/impact").body().path("countriesApplied")
                        .asInt() == LedgerOnPostgres.COUNTRIES);
        long fannedOut = System.nanoTime();
        // one script call looks at every row (249 WebDriver calls a poll would be slower than the page)
        waiting(90).pollingEvery(Duration.ofMillis(100)).until(ignored -> Boolean.TRUE.equals(((JavascriptExecutor) browser)
                .executeScript("var policy = arguments[0]; return Array.prototype.every.call(document.querySelectorAll("
                        + "'#balances tbody td[data-field=\"policy\"]'), function (cell) { return cell.textContent === policy; });",
                        may)));
        long everyRow = System.nanoTime();
        waiting(10).until(ignored -> browser.findElements(By.cssSelector("#alerts li[data-status='unrestricted']")).size()
                == DashboardController.LATEST_ALERTS);
        System.out.printf("[figure] the revision reached all %d countries' ledgers %d ms after it was enacted; "
                        + "the open dashboard showed it in every row %d ms after it was enacted%n",
                LedgerOnPostgres.COUNTRIES, (fannedOut - enacted) / 1_000_000, (everyRow - enacted) / 1_000_000);
        assertThat(browser.findElement(By.tagName("body")).getAttribute("data-marker")).isEqualTo("same page");
        assertThat(cell("AE", "status")).isEqualTo("unrestricted");
        assertThat(cell("CN", "status")).isEqualTo("prohibited");
        assertThat(browser.findElements(By.cssSelector("#balances tbody tr"))).hasSize(LedgerOnPostgres.COUNTRIES);
        Object loadMillis = ((JavascriptExecutor) browser).executeScript(
                "var n = performance.getEntriesByType('navigation')[0]; return Math.round(n.loadEventEnd - n.startTime);");
        System.out.printf("[figure] the dashboard (%d rows) loaded in %s ms%n", LedgerOnPostgres.COUNTRIES, loadMillis);
        screenshot("dashboard.png");

        browser.get(service.ledger().baseUrl() + "/countries/AE");
        assertThat(browser.findElement(By.id("chart-desc")).getAttribute("textContent"))
                .startsWith("AE: consumed TPP over time, 5 points");
        assertThat(browser.findElement(By.id("shipments")).getText()).contains("WALK-4").contains("QUOTA_EXCEEDED")
                .contains("voided: entered twice in the ERP");
        assertThat(browser.findElement(By.id("timeline")).getText()).contains(may);
        screenshot("country-AE.png");

        browser.get(service.ledger().baseUrl() + "/policies");
        WebElement revision = browser.findElement(By.id("policy-" + may));
        assertThat(revision.findElement(By.cssSelector("tr[data-country='AE']")).getText())
                .contains("TIER_2").contains("open").contains("unrestricted").contains("790,000,000 → —");
        screenshot("policies.png");
        assertNoBrowserErrors();
    }
}
