package pot.login.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/** The small helpers of the app's system test that these tests need too, and free ports. */
final class Hops {

    private Hops() {
    }

    static URI location(HttpResponse<?> response) {
        return response.uri().resolve(response.headers().firstValue("Location").orElseThrow(
                () -> new AssertionError("no Location on a " + response.statusCode() + " from " + response.uri())));
    }

    static HttpResponse<String> signInAtSandbox(ScriptedBrowser browser, URI authorize, String username,
                                                String password) {
        return submitSandboxForm(browser, authorize, username, password, "sign-in");
    }

    /** Fills in and submits the sandbox's form the way a browser would: every field of the form, plus ours. */
    static HttpResponse<String> submitSandboxForm(ScriptedBrowser browser, URI authorize, String username,
                                                  String password, String action) {
        HttpResponse<String> page = browser.get(authorize);
        assertThat(page.statusCode()).as("the sandbox's login form").isEqualTo(200);
        Document document = Jsoup.parse(page.body(), authorize.toString());
        Element form = document.selectFirst("form");
        assertThat(form).isNotNull();
        Map<String, String> fields = new LinkedHashMap<>();
        for (Element input : form.select("input[name]")) {
            fields.put(input.attr("name"), input.attr("value"));
        }
        fields.put("username", username);
        fields.put("password", password);
        fields.put("action", action);
        // Chromium sends "Origin: null" from a page whose Referrer-Policy is no-referrer, else the page's origin.
        boolean noReferrer = page.headers().firstValue("Referrer-Policy").filter("no-referrer"::equals).isPresent();
        String origin = noReferrer ? "null" : authorize.getScheme() + "://" + authorize.getRawAuthority();
        return browser.postForm(URI.create(form.absUrl("action")), fields, origin);
    }

    static String cookieNamed(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith(name + "="))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " cookie set by " + response.uri()));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
