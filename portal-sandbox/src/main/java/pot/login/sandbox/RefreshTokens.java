package pot.login.sandbox;

import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The refresh tokens issued and not yet used (RFC 6749 §6), when {@link SandboxSettings#refreshTokens()} is on. Each is
 * single use: a refresh rotates it (OAuth 2.1 §4.3.1). A used one presented again is refused, and the token that
 * replaced it is revoked with it (RFC 9700 §4.14.2): one of the two holders is an attacker, and the server cannot tell
 * which. Bounded, oldest dropped first, as the sandbox's codes.
 */
@Singleton
class RefreshTokens {

    static final int MAX_LIVE = 10_000;

    /** What a refresh token was issued for; {@code family} names the chain of rotations it belongs to. */
    record RefreshGrant(String clientId, String username, boolean openId, String family) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, RefreshGrant> live = new LinkedHashMap<>();
    private final Map<String, String> usedToFamily = new LinkedHashMap<>();

    synchronized String issue(String clientId, String username, boolean openId) {
        return issue(new RefreshGrant(clientId, username, openId, randomToken()));
    }

    /** The grant of a live token, which is used up by this call; empty for an unknown or used one. */
    synchronized Optional<RefreshGrant> redeem(String token) {
        RefreshGrant grant = live.remove(token);
        if (grant != null) {
            remember(usedToFamily, token, grant.family());
            return Optional.of(grant);
        }
        String family = usedToFamily.get(token);
        if (family != null) {
            live.values().removeIf(other -> other.family().equals(family));
        }
        return Optional.empty();
    }

    /**
     * RFC 7009 §2.1: a live refresh token issued to this client is revoked, with the rest of its chain (the same
     * grant); anything else is left alone. Either way the caller answers 200 (§2.2), so that a client learns nothing
     * of tokens that are not its own.
     */
    synchronized void revoke(String token, String clientId) {
        RefreshGrant grant = live.get(token);
        if (grant != null && grant.clientId().equals(clientId)) {
            live.values().removeIf(other -> other.family().equals(grant.family()));
        }
    }

    /** The next token of a redeemed grant's chain. */
    synchronized String rotate(RefreshGrant grant) {
        return issue(grant);
    }

    private String issue(RefreshGrant grant) {
        String token = randomToken();
        remember(live, token, grant);
        return token;
    }

    private static <V> void remember(Map<String, V> map, String key, V value) {
        map.put(key, value);
        if (map.size() > MAX_LIVE) {
            map.remove(map.keySet().iterator().next());
        }
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
