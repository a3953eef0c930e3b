package pot.login.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import pot.login.domain.MovableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import pot.login.sandbox.PortalSandbox;
import pot.login.sandbox.RegisteredClient;
import pot.login.sandbox.SandboxSettings;

/**
 * ADR-0007 in real Chromium: a sandbox that issues refresh tokens and access tokens that are, from the moment they are
 * issued, within the app's {@code pot-login.session.renew-before} (30 s), so every page that reads the session renews
 * it. The sandbox's clock runs behind the system's and the test moves it one second per page: each renewed token has
 * its own {@code iat} (so its own bytes), and none has an {@code nbf} ahead of the system's clock, by which
 * micronaut-security judges it.
 */
class RenewingSessionInChromiumTest {

    static final String SESSION_COOKIE = "__Host-pot-session";
    static final String REFRESH_COOKIE = "__Host-pot-refresh";
    static final String CLIENT_ID = "browser-renewal-client";
    static final String CLIENT_SECRET = "browser-renewal-client-secret-0123456789abcdef";
    static final Duration WAIT = Duration.ofSeconds(10);
    /** Issued 25 s in the past (the sandbox's clock), valid for 50 s: 25 s left, within renew-before. */
    static final Duration TOKEN_LIFETIME = Duration.ofSeconds(50);
    static final Duration PORTAL_BEHIND = Duration.ofSeconds(25);

    private final MovableClock portalClock = new MovableClock(Instant.now().minus(PORTAL_BEHIND));
    private PortalSandbox portal;
    private EmbeddedServer app;
    private Chromium chromium;

    @BeforeEach
    void start() {
        int appPort = freePort();
        String origin = "http://localhost:" + appPort;
        portal = PortalSandbox.start(SandboxSettings.defaults().withPort(0)
                        .withClients(List.of(new RegisteredClient(CLIENT_ID, CLIENT_SECRET,
                                List.of(origin + "/login/complete"))))
                        .withRefreshTokens(true).withTokenLifetime(TOKEN_LIFETIME).withClock(portalClock),
                Map.of("pot-login.enabled", false));
        Map<String, Object> settings = new HashMap<>();
        settings.put("micronaut.server.port", appPort);
        settings.put("micronaut.server.host", "localhost");
        settings.put("pot-login.sandbox.start", "false");
        settings.put("pot-login.api-root", portal.uri().toString().replaceAll("/$", ""));
        settings.put("pot-login.issuer", portal.issuer());
        settings.put("pot-login.client-id", CLIENT_ID);
        settings.put("pot-login.client-secret", CLIENT_SECRET);
        settings.put("pot-login.redirect-uri", origin + "/login/complete");
        settings.put("pot-login.session.refresh-cookie-keys.b1", "browser-test-refresh-cookie-key-0123456789ab");
        settings.put("pot-login.session.refresh-cookie-key-id", "b1");
        app = ApplicationContext.run(EmbeddedServer.class, settings, "sandbox");
        chromium = Chromium.start();
    }

    @AfterEach
    void stop() {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            try {
                app.getApplicationContext().close();
            } finally {
                portal.close();
            }
        }
    }

    @Test
    void a_signed_in_person_stays_signed_in_on_reloads_with_a_rotated_session_and_signs_out_leaving_no_cookie() {
        ChromeDriver driver = chromium.driver;
        portalClock.set(Instant.now().minus(PORTAL_BEHIND));
        driver.get(app("/").toString());
        driver.findElement(By.id("sign-in")).click();
        signInAtPortal(driver);
        waitForPage(driver, app("/"));
        assertThat(driver.findElement(By.id("user-name")).getText()).isEqualTo("Demo User");
        Cookie session = driver.manage().getCookieNamed(SESSION_COOKIE);
        Cookie refresh = driver.manage().getCookieNamed(REFRESH_COOKIE);
        assertThat(session).isNotNull();
        assertThat(refresh).isNotNull();
        assertThat(refresh.isHttpOnly()).isTrue();
        assertThat(refresh.isSecure()).isTrue();
        assertThat(refresh.getSameSite()).isEqualTo("Strict");

        portalClock.advance(Duration.ofSeconds(1));
        driver.navigate().refresh();
        waitForPage(driver, app("/"));
        assertThat(driver.findElement(By.id("user-name")).getText()).as("still signed in after a reload")
                .isEqualTo("Demo User");
        Cookie renewedSession = driver.manage().getCookieNamed(SESSION_COOKIE);
        Cookie renewedRefresh = driver.manage().getCookieNamed(REFRESH_COOKIE);
        assertThat(renewedSession.getValue()).as("a renewed session cookie").isNotEqualTo(session.getValue());
        assertThat(renewedRefresh.getValue()).as("a rotated refresh cookie").isNotEqualTo(refresh.getValue());

        portalClock.advance(Duration.ofSeconds(1));
        driver.get(app("/me").toString());
        assertThat(driver.findElement(By.tagName("body")).getText()).contains("\"id\":\"demo\"");
        assertThat(driver.manage().getCookieNamed(SESSION_COOKIE).getValue()).as("renewed again by /me")
                .isNotEqualTo(renewedSession.getValue());
        assertThat(driver.manage().getCookieNamed(REFRESH_COOKIE).getValue())
                .isNotEqualTo(renewedRefresh.getValue());

        portalClock.advance(Duration.ofSeconds(1));
        driver.get(app("/").toString());
        WebElement signOut = driver.findElement(By.xpath("//button[normalize-space()='Sign out']"));
        // A token issued after the sign-out must differ from the signed-out one, or a refresh cookie left behind
        // would renew into that very token, which the app remembers as signed out, and go unnoticed.
        portalClock.advance(Duration.ofSeconds(1));
        signOut.click();
        // The signed-in page has no sign-in button: its appearance is the new page. (Polling the old button for
        // staleness races Chromium's navigation: it may answer "node does not belong to the document".)
        new WebDriverWait(driver, WAIT).ignoring(WebDriverException.class)
                .until(d -> !d.findElements(By.id("sign-in")).isEmpty());
        waitForPage(driver, app("/"));
        assertThat(driver.findElements(By.id("sign-in"))).as("signed out").hasSize(1);
        assertThat(chromium.allCookies()).as("no session and no refresh cookie is left")
                .noneMatch(cookie -> SESSION_COOKIE.equals(cookie.get("name"))
                        || REFRESH_COOKIE.equals(cookie.get("name")));
    }

    private URI app(String path) {
        return URI.create("http://localhost:" + app.getPort()).resolve(path);
    }

    private void signInAtPortal(WebDriver driver) {
        new WebDriverWait(driver, WAIT).until(d -> d.getCurrentUrl().startsWith(portal.uri().toString())
                && !d.findElements(By.name("username")).isEmpty());
        driver.findElement(By.name("username")).sendKeys("demo");
        driver.findElement(By.name("password")).sendKeys("demo");
        driver.findElement(By.cssSelector("button[name=action][value=sign-in]")).click();
    }

    private static void waitForPage(WebDriver driver, URI page) {
        new WebDriverWait(driver, WAIT).until(d -> d.getCurrentUrl().equals(page.toString())
                && "complete".equals(((ChromeDriver) d).executeScript("return document.readyState")));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
