package pot.login.sandbox;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization codes issued and not yet redeemed: random, single use, short-lived, each bound to what it was
 * issued for. In memory and bounded twice, so that a flood of sign-ins neither exhausts the process nor locks anyone
 * out:
 * <ul>
 *   <li>each (client, user) pair holds at most {@link SandboxSettings#pendingCodesPerUser()} codes, and a new one
 *       pushes out that pair's oldest: whoever signs one user in again and again only ever replaces that user's own
 *       codes at that client, and the newest sign-in always gets a code that works;</li>
 *   <li>the whole pool holds at most {@link #MAX_PENDING} codes, and a new one pushes out the oldest overall: a
 *       sign-in is never refused.</li>
 * </ul>
 * The pairs are registered clients times configured users whose password was given, so no one can invent new ones.
 * To push out another user's code through the second bound, a party (say a registered client with many users) must
 * sign in as at least {@code MAX_PENDING / pendingCodesPerUser} distinct pairs (1 000 by default), and issue
 * {@code MAX_PENDING} codes between that code's issue and its redemption, which its client makes at once.
 */
@Singleton
class AuthorizationCodes {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationCodes.class);

    static final int MAX_PENDING = 10_000;
    /** 256 bits, well over the 128 that RFC 6749 §10.10 asks of a guess-proof code. */
    private static final int CODE_BYTES = 32;

    /**
     * What a code was issued for; {@code codeChallenge} is null when the request did not use PKCE, {@code nonce} when
     * it sent none. {@code openId}: the request's scope had {@code openid}, so the token response carries an ID token.
     */
    record Grant(String clientId, String redirectUri, String codeChallenge, String username, boolean openId,
                 String nonce) {

        /** A plain OAuth 2.0 grant. */
        Grant(String clientId, String redirectUri, String codeChallenge, String username) {
            this(clientId, redirectUri, codeChallenge, username, false, null);
        }

        private Holder holder() {
            return new Holder(clientId, username);
        }
    }

    private record Holder(String clientId, String username) {
    }

    private record Pending(Grant grant, Instant expiresAt) {
    }

    /** In order of issue, oldest first; guarded by {@code this}, as is {@link #byHolder}. */
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    /** Each holder's pending codes, oldest first; a holder with none has no entry. */
    private final Map<Holder, ArrayDeque<String>> byHolder = new HashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Duration lifetime;
    private final int perHolder;
    private final Clock clock;

    @Inject
    AuthorizationCodes(SandboxSettings settings) {
        this(settings.codeLifetime(), settings.pendingCodesPerUser(), settings.clock());
    }

    AuthorizationCodes(Duration lifetime, int pendingCodesPerUser, Clock clock) {
        this.lifetime = lifetime;
        this.perHolder = pendingCodesPerUser;
        this.clock = clock;
    }

    /** A new code for this grant, making room by dropping its holder's oldest code, or else the oldest of all. */
    String issue(Grant grant) {
        byte[] bytes = new byte[CODE_BYTES];
        random.nextBytes(bytes);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Holder holder = grant.holder();
        synchronized (this) {
            Instant now = clock.instant();
            dropExpired(now);
            ArrayDeque<String> held = byHolder.get(holder);
            if (held != null && held.size() >= perHolder) {
                pending.remove(held.removeFirst());
                LOG.info("a pending code of client_id={} user={} was dropped: {} newer ones are pending",
                        holder.clientId(), holder.username(), perHolder);
            } else if (pending.size() >= MAX_PENDING) {
                Map.Entry<String, Pending> oldest = pending.entrySet().iterator().next();
                Holder dropped = oldest.getValue().grant().holder();
                forget(oldest.getKey(), dropped);
                LOG.warn("the oldest pending code (client_id={} user={}) was dropped: {} codes are pending",
                        dropped.clientId(), dropped.username(), MAX_PENDING);
            }
            pending.put(code, new Pending(grant, now.plus(lifetime)));
            byHolder.computeIfAbsent(holder, any -> new ArrayDeque<>()).addLast(code);
        }
        return code;
    }

    /** The grant of a code, which is used up by asking; empty if it is unknown, used, dropped or expired. */
    Optional<Grant> redeem(String code) {
        Pending redeemed;
        synchronized (this) {
            redeemed = pending.get(code);
            if (redeemed == null) {
                return Optional.empty();
            }
            forget(code, redeemed.grant().holder());
        }
        if (!clock.instant().isBefore(redeemed.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(redeemed.grant());
    }

    /** How many codes are pending, expired ones not yet dropped included. */
    synchronized int size() {
        return pending.size();
    }

    /**
     * Codes are in order of issue, so with one lifetime the expired ones come first. Should the system clock step
     * back, a few expired codes may stay behind a later one: redeeming still refuses them, and the bounds drop them.
     */
    private void dropExpired(Instant now) {
        Iterator<Map.Entry<String, Pending>> oldestFirst = pending.entrySet().iterator();
        while (oldestFirst.hasNext()) {
            Map.Entry<String, Pending> entry = oldestFirst.next();
            if (now.isBefore(entry.getValue().expiresAt())) {
                return;
            }
            oldestFirst.remove();
            removeFromHolder(entry.getKey(), entry.getValue().grant().holder());
        }
    }

    private void forget(String code, Holder holder) {
        pending.remove(code);
        removeFromHolder(code, holder);
    }

    private void removeFromHolder(String code, Holder holder) {
        ArrayDeque<String> held = byHolder.get(holder);
        if (held != null && held.remove(code) && held.isEmpty()) {
            byHolder.remove(holder);
        }
    }
}
