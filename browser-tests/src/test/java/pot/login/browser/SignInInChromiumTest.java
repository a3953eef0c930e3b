package pot.login.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The sign-in as a person does it, in real Chromium, against the app and the sandbox portal started as the demo starts
 * them. What HTTP-level tests cannot show is what the browser itself does with the answers: which cookies it keeps and
 * sends (SameSite=Strict after a cross-site round trip), what a page's script can read, where the address bar ends up.
 */
class SignInInChromiumTest {

    static final String SESSION_COOKIE = "__Host-pot-session";
    static final String FLOW_PREFIX = "__Host-pot-flow-";
    static final Duration WAIT = Duration.ofSeconds(10);

    static DemoServers servers;
    static long classStarted;

    final List<Chromium> browsers = new ArrayList<>();
    long started;

    @BeforeAll
    static void startTheDemo() {
        classStarted = System.nanoTime();
        servers = DemoServers.start();
    }

    @AfterAll
    static void stopTheDemo() {
        servers.close();
        System.out.printf("browser tests: all scenarios, servers included, took %d ms%n", millisSince(classStarted));
    }

    @BeforeEach
    void startClock() {
        started = System.nanoTime();
    }

    @AfterEach
    void closeBrowsers(TestInfo test) {
        browsers.forEach(Chromium::close);
        System.out.printf("browser scenario %s took %d ms%n", test.getTestMethod().orElseThrow().getName(),
                millisSince(started));
    }

    @Test
    void a_person_signs_in_and_sees_their_name_on_the_very_first_page() {
        Chromium chromium = browser();
        ChromeDriver driver = chromium.driver;
        driver.get(servers.app("/").toString());
        driver.findElement(By.id("sign-in")).click();

        signInAtPortal(driver, "demo", "demo");

        // The landing page moves on by itself to "/"; the first view of "/" must already carry the Strict cookie.
        waitForPage(driver, servers.app("/"));
        assertThat(driver.findElements(By.id("user-name"))).as("signed in on the first page after the login")
                .singleElement().satisfies(name -> assertThat(name.getText()).isEqualTo("Demo User"));
        chromium.screenshot("signed-in");

        // The cookie as Chromium stores it: every attribute survived, and __Host- means Secure, Path=/, host-only.
        Cookie session = driver.manage().getCookieNamed(SESSION_COOKIE);
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.isSecure()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getPath()).isEqualTo("/");
        assertThat(session.getDomain()).isEqualTo("localhost");
        assertThat(session.getExpiry()).as("persistent, bounded by Max-Age").isNotNull();
        assertThat(chromium.allCookies()).filteredOn(cookie -> SESSION_COOKIE.equals(cookie.get("name")))
                .singleElement().satisfies(cookie -> assertThat(cookie).containsEntry("domain", "localhost")
                        .containsEntry("httpOnly", true).containsEntry("secure", true)
                        .containsEntry("sameSite", "Strict"));
        // The flow cookie was spent with the login.
        assertThat(flowCookies(chromium)).isEmpty();

        // Nothing of the callback stays in the address bar, nor in the tab's history (the refresh replaced it).
        assertThat(driver.getCurrentUrl()).isEqualTo(servers.app("/").toString())
                .doesNotContain("code=").doesNotContain("state=");
        assertThat(historyUrls(driver)).noneMatch(url -> url.contains("/login/complete"));

        driver.navigate().refresh();
        assertThat(driver.findElement(By.id("user-name")).getText()).as("still signed in after a reload")
                .isEqualTo("Demo User");

        // Sign-out posts the form and comes back to "/": wait for the old page to go, since the URL stays the same.
        WebElement signOut = driver.findElement(By.xpath("//button[normalize-space()='Sign out']"));
        signOut.click();
        // The signed-in page has no sign-in button: its appearance is the new page. (Polling the old button for
        // staleness races Chromium's navigation: it may answer "node does not belong to the document".)
        new WebDriverWait(driver, WAIT).ignoring(WebDriverException.class)
                .until(d -> !d.findElements(By.id("sign-in")).isEmpty());
        waitForPage(driver, servers.app("/"));
        assertThat(driver.findElements(By.id("sign-in"))).as("signed out").hasSize(1);
        assertThat(driver.findElements(By.id("user-name"))).isEmpty();
        assertThat(chromium.allCookies()).noneMatch(cookie -> SESSION_COOKIE.equals(cookie.get("name")));
    }

    @Test
    void a_deep_link_that_needs_a_session_lands_back_on_that_page_after_the_login() {
        Chromium chromium = browser();
        ChromeDriver driver = chromium.driver;
        // Without a session the page answers 401 (no redirect: it is an API); the frontend then sends the person to
        // /login with the page as return_to.
        driver.get(servers.app("/me").toString());
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("You are not signed in");
        assertThat(driver.getPageSource()).contains("not_signed_in");
        chromium.screenshot("not-signed-in");

        driver.get(servers.app("/login?return_to=/me").toString());
        signInAtPortal(driver, "demo", "demo");

        waitForPage(driver, servers.app("/me"));
        assertThat(driver.findElement(By.tagName("body")).getText())
                .contains("\"id\":\"demo\"", "\"name\":\"Demo User\"");
    }

    @Test
    void cancelling_at_the_portal_shows_the_cancelled_page_and_leaves_no_session() {
        Chromium chromium = browser();
        ChromeDriver driver = chromium.driver;
        driver.get(servers.app("/").toString());
        driver.findElement(By.id("sign-in")).click();
        waitForPortalForm(driver);

        driver.findElement(By.cssSelector("button[name=action][value=cancel]")).click();

        new WebDriverWait(driver, WAIT).until(d -> d.getCurrentUrl().startsWith(servers.app("/login/complete").toString()));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Sign-in was cancelled");
        assertThat(driver.getPageSource()).contains("login_cancelled");
        chromium.screenshot("cancelled");
        assertThat(chromium.allCookies()).noneMatch(cookie -> SESSION_COOKIE.equals(cookie.get("name")));

        driver.get(servers.app("/").toString());
        assertThat(driver.findElements(By.id("sign-in"))).hasSize(1);
    }

    @Test
    void two_tabs_each_start_a_login_and_both_finish() {
        Chromium chromium = browser();
        ChromeDriver driver = chromium.driver;
        driver.get(servers.app("/login?return_to=/me").toString());
        waitForPortalForm(driver);
        String first = driver.getWindowHandle();

        driver.switchTo().newWindow(WindowType.TAB);
        driver.get(servers.app("/login?return_to=/").toString());
        assertThat(flowCookies(chromium)).as("one login under way per tab").hasSize(2);

        // The second tab finishes first...
        signInAtPortal(driver, "demo", "demo");
        waitForPage(driver, servers.app("/"));
        assertThat(driver.findElement(By.id("user-name")).getText()).isEqualTo("Demo User");

        // ...and the first one, whose form has been waiting, still finishes.
        driver.switchTo().window(first);
        signInAtPortal(driver, "demo", "demo");
        waitForPage(driver, servers.app("/me"));
        assertThat(driver.findElement(By.tagName("body")).getText()).contains("\"id\":\"demo\"");
        assertThat(flowCookies(chromium)).as("both logins spent their flow cookie").isEmpty();
    }

    @Test
    void login_csrf_the_attackers_callback_opened_in_the_victims_browser_signs_nobody_in() {
        // The attacker starts a login in his own browser and signs in with his own account, but keeps the portal's
        // answer instead of following it: his form is sent without following the redirect, and its Location is the
        // callback URL he will get the victim to open.
        Chromium attacker = browser();
        ChromeDriver attackers = attacker.driver;
        attackers.get(servers.app("/login").toString());
        waitForPortalForm(attackers);
        URI callback = submitWithoutFollowing(attackers, "demo", "demo");
        assertThat(callback.toString()).startsWith(servers.app("/login/complete").toString()).contains("code=", "state=");

        Chromium victim = browser();
        ChromeDriver victims = victim.driver;
        victims.get(callback.toString());

        assertThat(victims.findElement(By.tagName("h1")).getText())
                .isEqualTo("This sign-in was started in another browser");
        assertThat(victims.getPageSource()).contains("state_not_bound");
        victim.screenshot("login-csrf-refused");
        assertThat(victim.allCookies()).noneMatch(cookie -> SESSION_COOKIE.equals(cookie.get("name")));
        victims.get(servers.app("/").toString());
        assertThat(victims.findElement(By.id("sign-in")).getText()).isEqualTo("Sign in with Platform of Trust");
        assertThat(victim.allCookies()).noneMatch(cookie -> SESSION_COOKIE.equals(cookie.get("name")));

        // The same URL in the browser that started it does sign in: the refusal was the binding, not a dud callback.
        attackers.get(callback.toString());
        waitForPage(attackers, servers.app("/"));
        assertThat(attackers.findElement(By.id("user-name")).getText()).isEqualTo("Demo User");
    }

    @Test
    void a_leaked_unused_callback_opened_in_another_browser_with_a_flow_cookie_built_from_it_signs_nobody_in() {
        // RFC 9700 attacker A3: the victim's authorization response leaks before the victim's browser follows it. The
        // attacker reads the callback URL (here: the portal's answer, taken off the wire) and, in his own Chromium,
        // plants the flow cookie that the state's login id names, valued with what the state itself carries.
        Chromium victim = browser();
        ChromeDriver victims = victim.driver;
        victims.get(servers.app("/login").toString());
        waitForPortalForm(victims);
        URI leaked = submitWithoutFollowing(victims, "demo", "demo");
        String flowName = flowCookies(victim).get(0);
        String state = java.net.URLDecoder.decode(leaked.getRawQuery().replaceAll(".*(?:^|&)state=([^&]*).*", "$1"),
                StandardCharsets.UTF_8);
        byte[] payload = java.util.Base64.getUrlDecoder().decode(state.split("\\.")[1]);
        String builtFromTheState = java.nio.ByteBuffer.wrap(payload, 1, 8).getLong() + "."
                + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(java.util.Arrays.copyOfRange(payload, 25, 57));   // the state's binding, as a secret

        Chromium attacker = browser();
        ChromeDriver attackers = attacker.driver;
        attackers.executeCdpCommand("Network.enable", Map.of());
        attackers.executeCdpCommand("Network.setCookie", Map.of("name", flowName, "value", builtFromTheState,
                "url", servers.app("/").toString(), "path", "/", "secure", true, "httpOnly", true, "sameSite", "Lax"));
        assertThat(attacker.allCookies()).anyMatch(cookie -> flowName.equals(cookie.get("name")));
        attackers.get(leaked.toString());

        assertThat(attackers.findElement(By.tagName("h1")).getText())
                .isEqualTo("This sign-in was started in another browser");
        assertThat(attackers.getPageSource()).contains("state_not_bound");
        attacker.screenshot("leaked-callback-refused");
        assertThat(attacker.allCookies()).noneMatch(cookie -> SESSION_COOKIE.equals(cookie.get("name")));

        // The victim's own browser, which holds the secret, still completes the very same callback.
        victims.get(leaked.toString());
        waitForPage(victims, servers.app("/"));
        assertThat(victims.findElement(By.id("user-name")).getText()).isEqualTo("Demo User");
    }

    @Test
    void javascript_on_the_page_cannot_read_the_session_cookie() {
        Chromium chromium = browser();
        ChromeDriver driver = chromium.driver;
        driver.get(servers.app("/login").toString());
        signInAtPortal(driver, "demo", "demo");
        waitForPage(driver, servers.app("/"));
        assertThat(driver.manage().getCookieNamed(SESSION_COOKIE)).isNotNull();

        // A cookie that script may read, set and read back through document.cookie: proves the probe runs in the
        // page and sees its cookies at all, so an absent session cookie means HttpOnly, not a blind probe.
        Object seen = driver.executeScript("document.cookie = 'probe=1; path=/'; return document.cookie;");

        assertThat(seen).asString().contains("probe=1").doesNotContain(SESSION_COOKIE).doesNotContain(FLOW_PREFIX);
    }

    // ---- helpers

    private Chromium browser() {
        Chromium chromium = Chromium.start();
        browsers.add(chromium);
        return chromium;
    }

    /** Fills in and submits the sandbox portal's form, as a person types into it. */
    private static void signInAtPortal(WebDriver driver, String username, String password) {
        waitForPortalForm(driver);
        driver.findElement(By.name("username")).sendKeys(username);
        driver.findElement(By.name("password")).sendKeys(password);
        driver.findElement(By.cssSelector("button[name=action][value=sign-in]")).click();
    }

    /**
     * Sends the portal form shown in this browser as the browser would (its fields as Chromium parsed them, plus
     * the credentials and the sign-in button), but from outside the browser and without following the answer.
     * The portal keeps no cookies, so this is the very request the browser would make. Returns the callback URL.
     */
    private static URI submitWithoutFollowing(ChromeDriver driver, String username, String password) {
        WebElement form = driver.findElement(By.tagName("form"));
        Map<String, String> fields = new LinkedHashMap<>();
        for (WebElement hidden : form.findElements(By.cssSelector("input[type=hidden]"))) {
            fields.put(hidden.getDomAttribute("name"), hidden.getDomProperty("value"));
        }
        fields.put("username", username);
        fields.put("password", password);
        fields.put("action", "sign-in");
        String body = fields.entrySet().stream()
                .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        // The attribute, not the DOM property: the form's buttons are named "action", so form.action is them.
        URI action = URI.create(driver.getCurrentUrl()).resolve(form.getDomAttribute("action"));
        HttpRequest post = HttpRequest.newBuilder(action)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", servers.portal().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<Void> answer = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                    .send(post, HttpResponse.BodyHandlers.discarding());
            assertThat(answer.statusCode()).as("the portal's answer to the sign-in").isEqualTo(302);
            return action.resolve(answer.headers().firstValue("Location").orElseThrow());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void waitForPortalForm(WebDriver driver) {
        new WebDriverWait(driver, WAIT).until(d -> d.getCurrentUrl().startsWith(servers.portal().toString())
                && !d.findElements(By.name("username")).isEmpty());
    }

    /** Waits until the tab shows exactly this URL, fully loaded (the landing page's refresh has happened). */
    private static void waitForPage(WebDriver driver, URI page) {
        new WebDriverWait(driver, WAIT).until(d -> d.getCurrentUrl().equals(page.toString())
                && "complete".equals(((ChromeDriver) d).executeScript("return document.readyState")));
    }

    /** The URLs of the tab's back/forward history, as Chromium keeps it. */
    @SuppressWarnings("unchecked")
    private static List<String> historyUrls(ChromeDriver driver) {
        Map<String, Object> history = driver.executeCdpCommand("Page.getNavigationHistory", Map.of());
        return ((List<Map<String, Object>>) history.get("entries")).stream()
                .map(entry -> String.valueOf(entry.get("url"))).toList();
    }

    /** The names of the flow cookies the browser holds for the app, whichever site the tab is on. */
    private static List<String> flowCookies(Chromium chromium) {
        return chromium.allCookies().stream().map(cookie -> String.valueOf(cookie.get("name")))
                .filter(name -> name.startsWith(FLOW_PREFIX)).toList();
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
