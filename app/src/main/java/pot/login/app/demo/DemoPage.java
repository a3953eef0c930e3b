package pot.login.app.demo;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import pot.login.adapters.http.Html;
import pot.login.adapters.http.Sessions;
import pot.login.domain.port.in.Identity;
import pot.login.domain.port.in.ShowSignedInUser;

/**
 * The demo's start page: a sign-in button, or who you are and a sign-out button. Rendered on the server from the same
 * use case as {@code /me}, so it needs no script.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
class DemoPage {

    private final ShowSignedInUser showSignedInUser;
    private final Sessions sessions;

    DemoPage(ShowSignedInUser showSignedInUser, Sessions sessions) {
        this.showSignedInUser = showSignedInUser;
        this.sessions = sessions;
    }

    @Get(produces = MediaType.TEXT_HTML)
    @ExecuteOn(TaskExecutors.BLOCKING)
    MutableHttpResponse<String> home(HttpRequest<?> request, @Nullable Authentication authentication) {
        Optional<Identity> identity = sessions.of(request, authentication)
                .map(session -> showSignedInUser.show(session.token(), session.expiresAt()));
        String body = identity.map(DemoPage::signedIn).orElseGet(DemoPage::signedOut);
        return HttpResponse.ok(Html.page("pot-login demo", body))
                .contentType(MediaType.TEXT_HTML_TYPE)
                .header("Cache-Control", "no-store");
    }

    private static String signedIn(Identity identity) {
        if (identity instanceof Identity.Known known) {
            return """
                    <p class="who">Signed in as <strong id="user-name">%s</strong></p>
                    <p>%s · session ends <time>%s</time></p>
                    <form method="post" action="/logout"><button type="submit">Sign out</button></form>
                    """.formatted(Html.escape(known.profile().displayName()), Html.escape(known.profile().email()),
                    DateTimeFormatter.ISO_INSTANT.format(known.sessionEndsAt()));
        }
        if (identity instanceof Identity.Unavailable unavailable) {
            return """
                    <p>You are signed in, but the login portal cannot tell us who you are right now
                    (<code>%s</code>).</p>
                    <form method="post" action="/logout"><button type="submit">Sign out</button></form>
                    """.formatted(Html.escape(unavailable.reason().code()));
        }
        return signedOut();
    }

    private static String signedOut() {
        return """
                <p>This demo signs you in through the Platform of Trust login portal (a local sandbox here).</p>
                <p><a class="button" id="sign-in" href="/login">Sign in with Platform of Trust</a></p>
                """;
    }
}
