package pot.login.adapters.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.reader.TokenResolver;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import pot.login.domain.AccessToken;

/**
 * The session behind a request that micronaut-security has already authenticated from the cookie: the raw token (to
 * call the portal with) and when it expires. Shared by {@code /me} and the demo page.
 */
@Singleton
public class Sessions {

    private final TokenResolver<HttpRequest<?>> tokenResolver;

    Sessions(TokenResolver<HttpRequest<?>> tokenResolver) {
        this.tokenResolver = tokenResolver;
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
