package pot.login.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One real Chromium with a profile of its own (a fresh, empty one: its own cookie jar), driven by Debian's
 * chromedriver. Both binaries are named, so Selenium Manager never tries to download anything.
 */
final class Chromium implements AutoCloseable {

    static final File BROWSER = new File("/usr/bin/chromium");
    static final File DRIVER = new File("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");

    final ChromeDriver driver;
    private final Path profile;

    private Chromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static Chromium start() {
        // Fail, not skip: a browser test that skips itself when the browser is missing can never fail.
        if (!BROWSER.canExecute() || !DRIVER.canExecute()) {
            throw new IllegalStateException("browser tests need " + BROWSER + " and " + DRIVER
                    + " (Debian packages chromium and chromium-driver); .ci/run installs them with apt-get");
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("pot-login-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1024,768", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER)
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        return new Chromium(driver, profile);
    }

    /** Every cookie this browser holds, for every site, as Chromium's cookie store has it (DevTools protocol). */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> allCookies() {
        Map<String, Object> result = driver.executeCdpCommand("Storage.getCookies", Map.of());
        return (List<Map<String, Object>>) result.get("cookies");
    }

    /** A picture of the current page, for people to look at: target/screenshots/{name}.png. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp profile is harmless.
        }
    }
}
