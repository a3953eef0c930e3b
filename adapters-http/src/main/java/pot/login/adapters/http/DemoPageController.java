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
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import pot.login.domain.Rejection;
import pot.login.domain.port.in.Identity;
import pot.login.domain.port.in.ShowSignedInUser;
import pot.login.domain.port.out.UserProfile;

/**
 * The demo's start page: a sign-in button, or who you are and a sign-out button. Rendered on the server from the same
 * use case as {@code /me}, so it needs no script.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
class DemoPageController {

    private final ShowSignedInUser showSignedInUser;
    private final Sessions sessions;

    DemoPageController(ShowSignedInUser showSignedInUser, Sessions sessions) {
        this.showSignedInUser = showSignedInUser;
        this.sessions = sessions;
    }

    @Get(produces = MediaType.TEXT_HTML)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Tag(name = "demo")
    @Operation(summary = "The demo page", description = "Who is signed in, with sign-in and sign-out buttons.")
    @Parameter(name = "__Host-pot-session", in = ParameterIn.COOKIE, ref = "#/components/parameters/SessionCookie")
    @ApiResponse(responseCode = "200", description = "The page", content = @Content(mediaType = "text/html"))
    @ApiResponse(responseCode = "502", description = "The session could not be renewed now: try again",
            content = @Content(mediaType = "text/html"))
    @ApiResponse(responseCode = "503", description = "The session could not be renewed now: try again",
            content = @Content(mediaType = "text/html"))
    @ApiResponse(responseCode = "504", description = "The session could not be renewed now: try again",
            content = @Content(mediaType = "text/html"))
    MutableHttpResponse<?> home(HttpRequest<?> request, @Nullable Authentication authentication) {
        // Renewed first (ADR-0007): an expired access token may still have a refresh cookie behind it.
        Optional<Identity> identity;
        List<Cookie> cookies;
        switch (sessions.read(request, authentication)) {
            case Sessions.Read.Active(Sessions.Session session, List<Cookie> renewed) -> {
                identity = Optional.of(showSignedInUser.show(session.token(), session.subject(), session.expiresAt()));
                cookies = renewed;
            }
            case Sessions.Read.None(List<Cookie> cleared) -> {
                identity = Optional.empty();
                cookies = cleared;
            }
            // As on /me: the same status and code, and no cookie changes, so that the next request tries again.
            case Sessions.Read.Unavailable(Rejection reason) -> {
                return RejectionResponses.respondDuringRenewal(request, reason);
            }
        }
        MutableHttpResponse<String> response = HttpResponse.ok(Html.page("pot-login demo",
                        identity.map(DemoPageController::page).orElseGet(DemoPageController::signedOut)))
                .contentType(MediaType.TEXT_HTML_TYPE)
                .header("Cache-Control", "no-store");
        // A session that is over (signed out, or refused by the portal): its cookies go, as on /me.
        if (identity.orElse(null) instanceof Identity.SessionOver) {
            sessions.clearedCookies().forEach(response::cookie);
        } else {
            cookies.forEach(response::cookie);
        }
        return response;
    }

    private static String page(Identity identity) {
        return switch (identity) {
            case Identity.Known(UserProfile profile, Instant sessionEndsAt) -> """
                    <p class="who">Signed in as <strong id="user-name">%s</strong></p>
                    <p>%s · session ends <time>%s</time></p>
                    <form method="post" action="/logout"><button type="submit">Sign out</button></form>
                    """.formatted(Html.escape(profile.displayName()), Html.escape(profile.email()),
                    DateTimeFormatter.ISO_INSTANT.format(sessionEndsAt));
            case Identity.Unavailable(Rejection reason) -> """
                    <p>You are signed in, but we cannot tell who you are right now. %s</p>
                    <p>Error code: (<code>%s</code>)</p>
                    <form method="post" action="/logout"><button type="submit">Sign out</button></form>
                    """.formatted(Html.escape(RejectionResponses.remedy(reason).sentence), Html.escape(reason.code()));
            // Signed out here, or the portal no longer accepts the token: the user may sign in again.
            case Identity.SessionOver() -> signedOut();
        };
    }

    private static String signedOut() {
        return """
                <p>This demo signs you in through the Platform of Trust login portal (a local sandbox here).</p>
                <p><a class="button" id="sign-in" href="/login">Sign in with Platform of Trust</a></p>
                """;
    }
}
