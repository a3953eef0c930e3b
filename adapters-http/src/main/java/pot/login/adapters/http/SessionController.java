package pot.login.adapters.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.domain.Rejection;
import pot.login.domain.SessionCookie;
import pot.login.domain.port.in.Identity;
import pot.login.domain.port.in.ShowSignedInUser;
import pot.login.domain.port.in.SignOut;
import pot.login.domain.port.in.SignOutOutcome;

/** {@code GET /me} and {@code POST /logout}: what a signed-in browser does with its session. */
@Controller
class SessionController {

    private static final Logger LOG = LoggerFactory.getLogger(SessionController.class);

    private final ShowSignedInUser showSignedInUser;
    private final SignOut signOut;
    private final Sessions sessions;
    private final SameOrigin sameOrigin;

    SessionController(ShowSignedInUser showSignedInUser, SignOut signOut, Sessions sessions, SameOrigin sameOrigin) {
        this.showSignedInUser = showSignedInUser;
        this.signOut = signOut;
        this.sessions = sessions;
        this.sameOrigin = sameOrigin;
    }

    // Anonymous on purpose: micronaut-security refuses an expired cookie before this runs, and the refresh cookie may
    // still renew the session (ADR-0007); without either, this is a 401 as before.
    @Get("/me")
    @Secured(SecurityRule.IS_ANONYMOUS)
    @ExecuteOn(TaskExecutors.BLOCKING)
    MutableHttpResponse<?> me(HttpRequest<?> request, @Nullable Authentication authentication) {
        return switch (sessions.read(request, authentication)) {
            case Sessions.Read.None(List<Cookie> cleared) -> withCookies(notSignedIn(request), cleared);
            case Sessions.Read.Unavailable(Rejection reason) -> RejectionResponses.respond(request, reason);
            case Sessions.Read.Active(Sessions.Session session, List<Cookie> renewed) ->
                    switch (showSignedInUser.show(session.token(), session.subject(), session.expiresAt())) {
                        case Identity.Known known -> withCookies(
                                HttpResponse.ok(SignedInUser.of(known)).header("Cache-Control", "no-store"), renewed);
                        case Identity.Unavailable(Rejection reason) ->
                                withCookies(RejectionResponses.respond(request, reason), renewed);
                        // The portal no longer knows the token: end the session here too.
                        case Identity.SessionOver() -> notSignedIn(request)
                                .cookie(BrowserCookies.toCookie(signOut.signOut()))
                                .cookie(sessions.clearedRefreshCookie());
                    };
        };
    }

    private static MutableHttpResponse<?> withCookies(MutableHttpResponse<?> response, List<Cookie> cookies) {
        cookies.forEach(response::cookie);
        return response;
    }

    // The demo page's sign-out button is an HTML form: it posts form-encoded, with an empty body.
    @Post(value = "/logout", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL}, produces = MediaType.ALL)
    @Secured(SecurityRule.IS_ANONYMOUS)
    // Revocation (RFC 7009) may call the provider: never on the event loop.
    @ExecuteOn(TaskExecutors.BLOCKING)
    MutableHttpResponse<?> logout(HttpRequest<?> request, @Nullable Authentication authentication) {
        if (sameOrigin.isCrossSite(request)) {
            LOG.atInfo().setMessage("sign-out refused").addKeyValue("event", "sign_out_refused")
                    .addKeyValue("reason", "cross_site_request").log();
            return Problems.respond(request, HttpStatus.FORBIDDEN, "cross_site_request", "Sign-out refused",
                    "Sign out from this site's own page.");
        }
        Optional<Sessions.Session> session = sessions.of(request, authentication);
        SessionCookie clearedSession = signOut.signOut();
        Cookie cleared;
        Cookie clearedIdToken = BrowserCookies.toCookie(
                SessionCookie.cleared(SessionCookie.idTokenCookieName(clearedSession.name())));
        URI next = SignOutOutcome.HOME;
        if (session.isEmpty()) {
            LOG.atInfo().setMessage("sign-out without a session").addKeyValue("event", "sign_out_without_session")
                    .log();
            cleared = BrowserCookies.toCookie(clearedSession);
        } else {
            SignOutOutcome outcome = signOut.signOut(session.get().token(), session.get().expiresAt(),
                    BrowserCookies.idTokenOf(request, clearedSession.name()));
            switch (outcome) {
                case SignOutOutcome.Ended ended -> LOG.atInfo().setMessage("sign-out").addKeyValue("event", "sign_out")
                        .addKeyValue("subject", authentication.getName()).log();
                // The user still leaves this browser; a copy of the cookie stays valid until the token expires.
                case SignOutOutcome.CookieClearedOnly(var cookie, String detail, var continueAt) -> LOG.atWarn()
                        .setMessage("sign-out in this browser only: the session could not be ended on the server, "
                                + "a copy of its cookie stays valid until its token expires")
                        .addKeyValue("event", "sign_out_incomplete").addKeyValue("subject", authentication.getName())
                        .addKeyValue("detail", detail).log();
            }
            cleared = BrowserCookies.toCookie(outcome.clearedCookie());
            clearedIdToken = BrowserCookies.toCookie(outcome.clearedIdTokenCookie());
            next = outcome.continueAt();
        }
        return HttpResponse.seeOther(next)
                .cookie(cleared)
                .cookie(clearedIdToken)
                .cookie(sessions.clearedRefreshCookie())
                .header("Cache-Control", "no-store");
    }

    static MutableHttpResponse<?> notSignedIn(HttpRequest<?> request) {
        return Problems.respond(request, HttpStatus.UNAUTHORIZED, "not_signed_in", "You are not signed in",
                "Sign in first, then try again.");
    }
}
