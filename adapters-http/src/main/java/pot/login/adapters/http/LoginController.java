package pot.login.adapters.http;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.domain.ReturnPath;
import pot.login.domain.port.in.Callback;
import pot.login.domain.port.in.CompleteLogin;
import pot.login.domain.port.in.LoginOutcome;
import pot.login.domain.port.in.LoginStarted;
import pot.login.domain.port.in.StartLogin;

/** Steps 1–3 and 5–8 over HTTP: {@code GET /login} and {@code GET /login/complete}. */
// A landing page, an error page or a problem+json body, depending on what the client accepts.
@Controller(value = "/login", produces = {MediaType.TEXT_HTML, MediaType.APPLICATION_JSON, "application/problem+json"})
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "sign-in")
class LoginController {

    private static final Logger LOG = LoggerFactory.getLogger(LoginController.class);

    private final StartLogin startLogin;
    private final CompleteLogin completeLogin;

    LoginController(StartLogin startLogin, CompleteLogin completeLogin) {
        this.startLogin = startLogin;
        this.completeLogin = completeLogin;
    }

    // Pure computation (sign a state, build a URL): stays on the event loop. GET only, as for the callback: a HEAD
    // cannot follow the redirect, and its flow cookie would push a login under way in another tab out of the jar.
    @Get(headRoute = false)
    @Operation(summary = "Start a sign-in (steps 1-3)", description = "Issues a signed state, sets the flow cookie "
            + "`__Host-pot-flow-<login id>` (HttpOnly, Secure, SameSite=Lax, Path=/; at most "
            + "`pot-login.max-concurrent-logins` of them, the oldest expire) and sends the browser to the portal.")
    @ApiResponse(responseCode = "303", description = "To the portal's authorize URL, with `state` and the PKCE "
            + "`code_challenge`", headers = {@Header(name = "Location", schema = @Schema(type = "string")),
                    @Header(name = "Set-Cookie", description = "the flow cookie", schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "4XX", description = "A request the framework refuses (e.g. `bad_request`)",
            content = {@Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)),
                    @Content(mediaType = "text/html")})
    MutableHttpResponse<?> start(HttpRequest<?> request, @Parameter(description = "where to land after the sign-in: a "
            + "local path; anything else lands on `/`") @Nullable @QueryValue("return_to") String returnTo) {
        LoginStarted started = startLogin.start(returnTo, BrowserCookies.flowCookiesOf(request));
        LOG.atInfo().setMessage("login started").addKeyValue("event", "login_started")
                .addKeyValue("login", started.loginId()).log();
        MutableHttpResponse<?> redirect = HttpResponse.seeOther(started.portalUri())
                .cookie(BrowserCookies.toCookie(started.flowCookie()));
        started.expiredFlows().forEach(expired -> redirect.cookie(BrowserCookies.toCookie(expired)));
        return noStore(redirect);
    }

    // Calls the portal (step 7), so it runs off the event loop. GET only: Micronaut also routes HEAD to a @Get, and
    // a link checker or preview bot sending HEAD would spend the code and the state (RFC 9110 9.2.1: HEAD is safe).
    @Get(value = "/complete", headRoute = false)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(summary = "The portal's callback (steps 5-8)", description = "Checks the state (authentic, fresh, "
            + "bound to this browser's flow cookie `__Host-pot-flow-<login id>`, from our portal, unused) before any "
            + "call to the portal, exchanges the code and verifies the token.")
    @ApiResponse(responseCode = "200", description = "Signed in: a landing page that moves on to `return_to`; sets "
            + "the session cookie (`pot-login.session-cookie-name`, HttpOnly, Secure, SameSite=Strict, Path=/) and "
            + "clears the spent flow cookie", content = @Content(mediaType = "text/html"),
            headers = @Header(name = "Set-Cookie", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "Refused: a state that is invalid, expired, from the future, "
            + "not bound to this browser or replayed; another issuer; cancelled or failed at the portal; no code; a "
            + "code the portal refused", content = {
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)),
                    @Content(mediaType = "text/html")})
    @ApiResponse(responseCode = "502", description = "The portal refused this client, was unreachable or answered "
            + "with something we could not use", content = {
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)),
                    @Content(mediaType = "text/html")})
    @ApiResponse(responseCode = "503", description = "The store of used states is unavailable (`store_unavailable`)",
            content = {@Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)),
                    @Content(mediaType = "text/html")})
    @ApiResponse(responseCode = "504", description = "The portal did not answer in time (`portal_timeout`)",
            content = {@Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)),
                    @Content(mediaType = "text/html")})
    MutableHttpResponse<?> complete(HttpRequest<?> request,
                                    @Parameter(description = "the authorization code (RFC 6749 §4.1.2)")
                                    @Nullable @QueryValue String code,
                                    @Parameter(description = "the state that /login issued")
                                    @Nullable @QueryValue String state,
                                    @Parameter(description = "the portal's error instead of a code (RFC 6749 §4.1.2.1)")
                                    @Nullable @QueryValue String error,
                                    @Parameter(description = "the portal's issuer (RFC 9207)")
                                    @Nullable @QueryValue("iss") String issuer) {
        LoginOutcome outcome = completeLogin.complete(
                new Callback(code, state, error, issuer, BrowserCookies.flowCookiesOf(request)));
        MutableHttpResponse<?> response = switch (outcome) {
            case LoginOutcome.Completed completed -> {
                LOG.atInfo().setMessage("login completed").addKeyValue("event", "login_completed")
                        .addKeyValue("login", completed.loginId()).addKeyValue("subject", completed.subject()).log();
                MutableHttpResponse<?> landing = landing(completed.landing())
                        .cookie(BrowserCookies.toCookie(completed.session()));
                completed.idTokenCookie().ifPresent(idToken -> landing.cookie(BrowserCookies.toCookie(idToken)));
                // ADR-0007: the refresh token, sealed, when the provider issued one.
                completed.refreshCookie().ifPresent(refresh -> landing.cookie(BrowserCookies.toCookie(refresh)));
                yield landing;
            }
            case LoginOutcome.Rejected rejected -> {
                LOG.atInfo().setMessage("login refused").addKeyValue("event", "login_refused")
                        .addKeyValue("login", rejected.loginId()).addKeyValue("reason", rejected.reason().code())
                        .addKeyValue("detail", rejected.detail()).log();
                yield RejectionResponses.respond(request, rejected.reason());
            }
        };
        outcome.spentFlows().forEach(spent -> response.cookie(BrowserCookies.toCookie(spent)));
        return noStore(response);
    }

    /**
     * A page that moves on by itself instead of a redirect: the callback arrives from the portal's site, and a
     * browser does not send a {@code SameSite=Strict} cookie on a redirect chain that began on another site. The
     * refresh starts a new, same-site navigation, which carries the new session cookie on the very first page view.
     */
    private static MutableHttpResponse<String> landing(ReturnPath landing) {
        String target = Html.escape(landing.value());
        return HttpResponse.ok(Html.page("Signed in", """
                        <p>You are signed in. <a href="%1$s">Continue</a></p>
                        """.formatted(target),
                        "<meta http-equiv=\"refresh\" content=\"0;url=" + target + "\">"))
                .contentType(MediaType.TEXT_HTML_TYPE);
    }

    /** The login responses carry a state or a code in their URLs: never cache them, never leak them as Referer. */
    private static <T> MutableHttpResponse<T> noStore(MutableHttpResponse<T> response) {
        // set, not add: a refusal's problem response already says no-store.
        response.getHeaders().set("Cache-Control", "no-store").set("Referrer-Policy", "no-referrer");
        return response;
    }
}
