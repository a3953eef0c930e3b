package pot.login.adapters.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.reader.TokenResolver;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.domain.AccessToken;
import pot.login.domain.Rejection;
import pot.login.domain.SessionCookie;
import pot.login.domain.port.in.RefreshSignOut;
import pot.login.domain.port.in.RenewSession;
import pot.login.domain.port.in.Renewal;
import pot.login.domain.port.in.SignOut;

/**
 * The session behind a request that micronaut-security has already authenticated from the cookie: the raw token (to
 * call the portal with) and when it expires. Shared by {@code /me} and the demo page, which read it renewed
 * ({@link #read}, ADR-0007), and sign-out, which takes it as it is ({@link #of}).
 */
@Singleton
public class Sessions {

    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    private final TokenResolver<HttpRequest<?>> tokenResolver;
    private final RenewSession renewSession;
    private final SignOut signOut;

    Sessions(TokenResolver<HttpRequest<?>> tokenResolver, RenewSession renewSession, SignOut signOut) {
        this.tokenResolver = tokenResolver;
        this.renewSession = renewSession;
        this.signOut = signOut;
    }

    /** What a route that reads the session goes on with, once an expiring session has been renewed (ADR-0007). */
    public sealed interface Read {

        /** @param cookies to set on the response: the renewed session's two cookies, or none */
        record Active(Session session, List<Cookie> cookies) implements Read {
        }

        /** @param cookies to clear on the response: those of a session that just ended, or none */
        record None(List<Cookie> cookies) implements Read {
        }

        /** The provider could not renew now; no cookie changes. */
        record Unavailable(Rejection reason) implements Read {
        }
    }

    /**
     * micronaut-security has refused an expired token before this runs, so the session may come from the refresh
     * cookie alone.
     */
    public Read read(HttpRequest<?> request, Authentication authentication) {
        Optional<Session> current = of(request, authentication);
        Optional<String> refreshCookie = request.getCookies()
                .findCookie(renewSession.clearedRefreshCookie().name()).map(Cookie::getValue);
        Renewal renewal = renewSession.renew(
                current.map(session -> new Renewal.Current(session.token(), session.subject(), session.expiresAt())),
                refreshCookie);
        return switch (renewal) {
            case Renewal.NotNeeded() -> current.<Read>map(session -> new Read.Active(session, List.of()))
                    .orElseGet(() -> new Read.None(List.of()));
            case Renewal.Postponed(Rejection reason, String detail) -> {
                LOG.atWarn().setMessage("session renewal postponed: the access token is still valid")
                        .addKeyValue("event", "session_renewal_postponed").addKeyValue("reason", reason.code())
                        .addKeyValue("detail", detail).log();
                yield current.<Read>map(session -> new Read.Active(session, List.of()))
                        .orElseGet(() -> new Read.Unavailable(reason));
            }
            case Renewal.Renewed(Renewal.Current renewed, SessionCookie session, SessionCookie refresh) -> {
                LOG.atInfo().setMessage("session renewed").addKeyValue("event", "session_renewed")
                        .addKeyValue("subject", renewed.subject()).addKeyValue("until", renewed.expiresAt()).log();
                yield new Read.Active(new Session(renewed.token(), renewed.subject(), renewed.expiresAt()),
                        List.of(BrowserCookies.toCookie(session), BrowserCookies.toCookie(refresh)));
            }
            case Renewal.Ended(List<SessionCookie> cleared, String detail) -> {
                LOG.atInfo().setMessage("session ended").addKeyValue("event", "session_ended")
                        .addKeyValue("detail", detail).log();
                yield new Read.None(withAllOfTheSession(cleared));
            }
            case Renewal.Unavailable(Rejection reason, String detail) -> {
                LOG.atWarn().setMessage("session renewal failed").addKeyValue("event", "session_renewal_failed")
                        .addKeyValue("reason", reason.code()).addKeyValue("detail", detail).log();
                yield new Read.Unavailable(reason);
            }
        };
    }

    /**
     * Sign-out of the request's refresh cookie, whether or not its access token still holds (ADR-0007): recorded as
     * signed out, its refresh token handed back for revocation.
     */
    public RefreshSignOut signOutRefreshCookie(HttpRequest<?> request) {
        return request.getCookies().findCookie(renewSession.clearedRefreshCookie().name()).map(Cookie::getValue)
                .map(renewSession::signOut).orElseGet(RefreshSignOut.NothingToEnd::new);
    }

    /** Every cookie of a session that is over, cleared: the session cookie, its kept ID token, the refresh cookie. */
    public List<Cookie> clearedCookies() {
        SessionCookie session = signOut.signOut();
        return List.of(BrowserCookies.toCookie(session),
                BrowserCookies.toCookie(SessionCookie.cleared(SessionCookie.idTokenCookieName(session.name()))),
                clearedRefreshCookie());
    }

    // A session that ends without a sign-out takes its kept ID token with it too, as sign-out does.
    private List<Cookie> withAllOfTheSession(List<SessionCookie> cleared) {
        Map<String, Cookie> byName = new LinkedHashMap<>();
        cleared.forEach(cookie -> byName.put(cookie.name(), BrowserCookies.toCookie(cookie)));
        clearedCookies().forEach(cookie -> byName.putIfAbsent(cookie.getName(), cookie));
        return List.copyOf(byName.values());
    }

    /** The refresh cookie, cleared: sign-out sends it next to the cleared session cookie. */
    public Cookie clearedRefreshCookie() {
        return BrowserCookies.toCookie(renewSession.clearedRefreshCookie());
    }

    public Optional<Session> of(HttpRequest<?> request, Authentication authentication) {
        if (authentication == null) {
            return Optional.empty();
        }
        Optional<Instant> expiresAt = expiry(authentication.getAttributes().get("exp"));
        Optional<String> token = tokenResolver.resolveToken(request);
        if (expiresAt.isEmpty() || token.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Session(new AccessToken(token.get()), authentication.getName(), expiresAt.get()));
    }

    /** micronaut-security keeps the claims as nimbus parsed them: {@code exp} is a {@link Date}, or seconds. */
    private static Optional<Instant> expiry(Object exp) {
        if (exp instanceof Date date) {
            return Optional.of(date.toInstant());
        }
        if (exp instanceof Number seconds) {
            return Optional.of(Instant.ofEpochSecond(seconds.longValue()));
        }
        return Optional.empty();
    }

    /**
     * The token hides itself in {@code toString()}, so a logged session does not leak it.
     *
     * @param subject the verified token's {@code sub} (micronaut-security's authentication name)
     */
    public record Session(AccessToken token, String subject, Instant expiresAt) {
    }
}
