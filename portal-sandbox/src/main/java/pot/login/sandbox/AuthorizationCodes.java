package pot.login.sandbox;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authorization codes issued and not yet redeemed: random, single use, short-lived, each bound to what it was
 * issued for. In memory and bounded: the sandbox is one process, and a flood of sign-ins must not exhaust it.
 */
@Singleton
class AuthorizationCodes {

    static final int MAX_PENDING = 10_000;
    /** 256 bits, well over the 128 that RFC 6749 §10.10 asks of a guess-proof code. */
    private static final int CODE_BYTES = 32;

    /** What a code was issued for; {@code codeChallenge} is null when the request did not use PKCE. */
    record Grant(String clientId, String redirectUri, String codeChallenge, String username) {
    }

    private record Pending(Grant grant, Instant expiresAt) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Duration lifetime;
    private final Clock clock;

    @Inject
    AuthorizationCodes(SandboxSettings settings) {
        this(settings.codeLifetime(), settings.clock());
    }

    AuthorizationCodes(Duration lifetime, Clock clock) {
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A new code for this grant; empty when {@value #MAX_PENDING} codes are already pending. */
    Optional<String> issue(Grant grant) {
        Instant now = clock.instant();
        pending.values().removeIf(code -> !now.isBefore(code.expiresAt()));
        if (pending.size() >= MAX_PENDING) {
            return Optional.empty();
        }
        byte[] bytes = new byte[CODE_BYTES];
        random.nextBytes(bytes);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        pending.put(code, new Pending(grant, now.plus(lifetime)));
        return Optional.of(code);
    }

    /** The grant of a code, which is used up by asking; empty if it is unknown, used or expired. */
    Optional<Grant> redeem(String code) {
        Pending redeemed = pending.remove(code);
        if (redeemed == null || !clock.instant().isBefore(redeemed.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(redeemed.grant());
    }
}
