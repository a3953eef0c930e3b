package pot.login.adapters.http;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.domain.RefreshToken;
import pot.login.domain.Rejection;
import pot.login.domain.SessionCookie;
import pot.login.domain.port.in.Identity;
import pot.login.domain.port.in.RefreshSignOut;
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
    @Tag(name = "session")
    @Operation(summary = "Who is signed in, and until when", description = "Renews the session first where it can "
            + "(the refresh cookie `__Host-pot-refresh`, ADR-0007).")
    @Parameter(name = "__Host-pot-session", in = ParameterIn.COOKIE, ref = "#/components/parameters/SessionCookie")
    @ApiResponse(responseCode = "200", description = "The signed-in user",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = SignedInUser.class)))
    @ApiResponse(responseCode = "401", description = "No session, or one that is over (`not_signed_in`); its cookies "
            + "are cleared", content = {@Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)),
                    @Content(mediaType = "text/html")})

    @ApiResponse(responseCode = "502", description = "The portal could not say who this is", content = {@Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)),
                    @Content(mediaType = "text/html")})

    @ApiResponse(responseCode = "503", description = "The store is unavailable (`store_unavailable`)", content = {@Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)),
                    @Content(mediaType = "text/html")})

    @ApiResponse(responseCode = "504", description = "The portal did not answer in time (`portal_timeout`)",
            content = {@Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)),
                    @Content(mediaType = "text/html")})

    MutableHttpResponse<?> me(HttpRequest<?> request, @Nullable Authentication authentication) {
        return switch (sessions.read(request, authentication)) {
            case Sessions.Read.None(List<Cookie> cleared) -> withCookies(notSignedIn(request), cleared);
            case Sessions.Read.Unavailable(Rejection reason) ->
                    RejectionResponses.respondDuringRenewal(request, reason);
            case Sessions.Read.Active(Sessions.Session session, List<Cookie> renewed) ->
                    switch (showSignedInUser.show(session.token(), session.subject(), session.expiresAt())) {
                        case Identity.Known known -> withCookies(
                                HttpResponse.ok(SignedInUser.of(known)).header("Cache-Control", "no-store"), renewed);
                        case Identity.Unavailable(Rejection reason) ->
                                withCookies(RejectionResponses.respondToSession(request, reason), renewed);
                        // The portal no longer knows the token: end the session here too.
                        case Identity.SessionOver() -> withCookies(notSignedIn(request), sessions.clearedCookies());
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
    @Tag(name = "session")
    @Operation(summary = "Sign out", description = "Ends the session on the server, clears its cookies with "
            + "identical attributes, and continues at the provider's end-session endpoint where it has one. Only from "
            + "this app's own pages: the `Origin` (else `Referer`) must be the redirect URI's origin.")
    @Parameter(name = "__Host-pot-session", in = ParameterIn.COOKIE, ref = "#/components/parameters/SessionCookie")
    @ApiResponse(responseCode = "303", description = "To `/`, or to the provider's end-session endpoint; the cookies "
            + "are cleared", headers = {@Header(name = "Location", schema = @Schema(type = "string")),
                    @Header(name = "Set-Cookie", schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "403", description = "From another site (`cross_site_request`)", content = {@Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)),
                    @Content(mediaType = "text/html")})

    MutableHttpResponse<?> logout(HttpRequest<?> request, @Nullable Authentication authentication) {
        if (sameOrigin.isCrossSite(request)) {
            LOG.atInfo().setMessage("sign-out refused").addKeyValue("event", "sign_out_refused")
                    .addKeyValue("reason", HttpProblemCode.CROSS_SITE_REQUEST.code()).log();
            return Problems.respond(request, HttpStatus.FORBIDDEN, HttpProblemCode.CROSS_SITE_REQUEST.code(),
                    "Sign-out refused", "Sign out from this site's own page.");
        }
        Optional<Sessions.Session> session = sessions.of(request, authentication);
        // Recorded first, with or without a valid access token: a copy of the refresh cookie must renew nothing after
        // this, whatever the provider makes of the revocation. One that does not open is only cleared.
        RefreshSignOut refreshSignOut = sessions.signOutRefreshCookie(request);
        if (refreshSignOut instanceof RefreshSignOut.CookieClearedOnly(var token, String detail)) {
            LOG.atWarn().setMessage("sign-out in this browser only: the refresh session could not be recorded as signed "
                            + "out, a copy of its cookie renews until the provider refuses its token")
                    .addKeyValue("event", "sign_out_incomplete").addKeyValue("detail", detail).log();
        }
        Optional<RefreshToken> refreshToken = refreshSignOut.toRevoke();
        SignOutOutcome outcome;
        if (session.isEmpty()) {
            LOG.atInfo().setMessage(refreshToken.isEmpty() ? "sign-out without a session"
                            : "sign-out without a valid access token, with a refresh cookie")
                    .addKeyValue("event", "sign_out_without_session").log();
            outcome = new SignOutOutcome.Ended(signOut.signOut(refreshToken));
        } else {
            outcome = signOut.signOut(session.get().token(), session.get().expiresAt(),
                    BrowserCookies.idTokenOf(request, signOut.signOut().name()), refreshToken);
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
        }
        return HttpResponse.seeOther(outcome.continueAt())
                .cookie(BrowserCookies.toCookie(outcome.clearedCookie()))
                .cookie(BrowserCookies.toCookie(outcome.clearedIdTokenCookie()))
                .cookie(sessions.clearedRefreshCookie())
                .header("Cache-Control", "no-store");
    }

    static MutableHttpResponse<?> notSignedIn(HttpRequest<?> request) {
        return Problems.respond(request, HttpStatus.UNAUTHORIZED, HttpProblemCode.NOT_SIGNED_IN.code(),
                "You are not signed in", "Sign in first, then try again.");
    }
}
