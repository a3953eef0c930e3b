package pot.login.adapters.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import pot.login.domain.AccessToken;
import pot.login.domain.port.out.LookupResult;
import pot.login.domain.port.out.UserDirectory;

/**
 * Remembers, for a short time, who the portal said a token belongs to, in front of the real {@link UserDirectory}.
 * A signed-in page view then costs no round trip to the portal when the previous one was seconds ago: a sign-in
 * alone asks twice, for the landing page and for {@code /me}.
 *
 * <p>Only found users are remembered, never a refusal or a failure, and never longer than {@code ttl}: a token the
 * portal revokes is noticed within that time. Keys are SHA-256 digests, so the tokens themselves are not kept here;
 * a token has one subject, so the token alone is the key.
 */
public final class CaffeineUserDirectory implements UserDirectory {

    private final UserDirectory portal;
    private final Cache<String, LookupResult.Found> found;

    public CaffeineUserDirectory(UserDirectory portal, Duration ttl, long maximumSize, Clock clock) {
        this.portal = Objects.requireNonNull(portal, "portal");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(clock, "clock");
        if (ttl.isNegative() || ttl.isZero() || maximumSize < 1) {
            throw new IllegalArgumentException("a positive ttl and maximum size, got " + ttl + " and " + maximumSize);
        }
        this.found = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maximumSize)
                .ticker(() -> Duration.ofMillis(clock.millis()).toNanos())
                .build();
    }

    @Override
    public LookupResult lookUp(AccessToken token, String subject) {
        String key = digest(token);
        LookupResult.Found remembered = found.getIfPresent(key);
        if (remembered != null) {
            return remembered;
        }
        LookupResult answer = portal.lookUp(token, subject);
        switch (answer) {
            case LookupResult.Found user -> found.put(key, user);
            // A refusal or a failure may end at any moment: asking again is the only way to notice.
            case LookupResult.TokenRefused refused -> {
            }
            case LookupResult.Failed failed -> {
            }
        }
        return answer;
    }

    private static String digest(AccessToken token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.value().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException missingFromTheJdk) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", missingFromTheJdk);
        }
    }
}
