package pot.login.bench;

import java.net.URI;
import java.net.http.HttpResponse;

/** One unit of work (a whole sign-in, or one request) done by one virtual user with its own browser. */
interface Scenario {
    void once(LoadBrowser browser) throws Exception;

    /** One {@code GET /login}, answered 303. */
    static Scenario loginOnly(String loginUri) {
        URI uri = URI.create(loginUri);
        return browser -> expect(browser.get(uri), 303);
    }

    /** pot-login: /login → sandbox authorize (form) → sandbox sign-in → /login/complete → landing → /me. */
    static Scenario ours(String app) {
        URI login = URI.create(app + "/login");
        URI me = URI.create(app + "/me");
        return browser -> {
            URI authorize = location(expect(browser.get(login), 303));
            URI callback = atPortal(browser, authorize);
            HttpResponse<String> landing = expect(browser.get(callback), 200);
            if (!landing.body().contains("http-equiv=\"refresh\"")
                    || browser.cookie(callback, "__Host-pot-session") == null) {
                throw new IllegalStateException("no landing page or no session cookie");
            }
            expect(browser.get(callback.resolve("/")), 200);
            HttpResponse<String> who = expect(browser.get(me), 200);
            if (!who.body().contains("\"id\":\"demo\"") || !who.body().contains("\"name\":\"Demo User\"")) {
                throw new IllegalStateException("/me does not name demo: " + who.body());
            }
        };
    }

    /** The Micronaut peer: /oauth/login/sandbox → sandbox authorize (form) → sign-in → /oauth/callback/sandbox → / → /me. */
    static Scenario peer(String peer) {
        return redirectingPeer(peer, "/oauth/login/sandbox", "JWT");
    }

    /** The Spring peer: /oauth2/authorization/sandbox → sandbox (form, sign-in) → /login/oauth2/code/sandbox → / → /me. */
    static Scenario spring(String spring) {
        return redirectingPeer(spring, "/oauth2/authorization/sandbox", "JSESSIONID");
    }

    /**
     * A peer whose first hop ({@code loginPath}) redirects to the sandbox and whose callback redirects to {@code /}
     * with its session in {@code sessionCookie}; then {@code /} and {@code /me}.
     */
    static Scenario redirectingPeer(String base, String loginPath, String sessionCookie) {
        URI login = URI.create(base + loginPath);
        URI me = URI.create(base + "/me");
        return browser -> {
            URI authorize = location(expect(browser.get(login), 302, 303));
            URI callback = atPortal(browser, authorize);
            HttpResponse<String> signedIn = expect(browser.get(callback), 302, 303);
            URI landing = location(signedIn);
            if (!"/".equals(landing.getPath()) || browser.cookie(callback, sessionCookie) == null) {
                throw new IllegalStateException("not signed in: " + landing);
            }
            expect(browser.get(landing), 200);
            HttpResponse<String> who = expect(browser.get(me), 200);
            if (!who.body().contains("\"id\":\"demo\"") || !who.body().contains("\"name\":\"Demo User\"")) {
                throw new IllegalStateException("/me does not name demo: " + who.body());
            }
        };
    }

    /** The sandbox's form (GET authorize), then its sign-in (POST, the form's fields are the authorize query). */
    static URI atPortal(LoadBrowser browser, URI authorize) throws Exception {
        HttpResponse<String> form = expect(browser.get(authorize), 200);
        if (!form.body().contains("<form")) {
            throw new IllegalStateException("no login form at " + authorize.getPath());
        }
        String body = authorize.getRawQuery() + "&username=demo&password=demo&action=sign-in";
        return location(expect(browser.postForm(authorize.resolve("/login"), body), 302));
    }

    static HttpResponse<String> expect(HttpResponse<String> response, int... statuses) {
        for (int status : statuses) {
            if (response.statusCode() == status) {
                return response;
            }
        }
        throw new IllegalStateException(response.statusCode() + " from " + response.uri().getPath());
    }

    static URI location(HttpResponse<?> response) {
        return response.uri().resolve(response.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("no Location from " + response.uri().getPath())));
    }

    /**
     * pot-login's sign-in as lean as it is still a whole one, for the heap soak: {@code /login} (303 to the portal)
     * → the sandbox's sign-in POST at once (its fields are the authorize query, so the form's GET adds a page render
     * and nothing the app sees) → {@code /login/complete} (the landing page and the session cookie) → {@code /me}
     * (names demo). The app does all it does in a real sign-in: state, PKCE, code exchange, token check, session.
     */
    static Scenario signInForSoak(String app) {
        URI login = URI.create(app + "/login");
        URI me = URI.create(app + "/me");
        return browser -> {
            URI authorize = location(expect(browser.get(login), 303));
            String body = authorize.getRawQuery() + "&username=demo&password=demo&action=sign-in";
            URI callback = location(expect(browser.postForm(authorize.resolve("/login"), body), 302));
            HttpResponse<String> landing = expect(browser.get(callback), 200);
            if (!landing.body().contains("http-equiv=\"refresh\"")
                    || browser.cookie(callback, "__Host-pot-session") == null) {
                throw new IllegalStateException("no landing page or no session cookie");
            }
            HttpResponse<String> who = expect(browser.get(me), 200);
            if (!who.body().contains("\"id\":\"demo\"") || !who.body().contains("\"name\":\"Demo User\"")) {
                throw new IllegalStateException("/me does not name demo: " + who.body());
            }
        };
    }
}
