package pot.login.domain.flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import pot.login.domain.FlowCookie;
import pot.login.domain.state.StateClaims;

/**
 * The policy for flow cookies: one per login, named {@code __Host-pot-flow-<login id>}, valued
 * {@code <issued-at seconds>.<flow secret>}, living as long as the state. The secret is what binds the login to this
 * browser (ADR-0005); the issue time lets {@code /login} drop the oldest logins when a browser has too many under way.
 */
final class FlowCookies {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    /** 6 of the nonce's 16 bytes: 48 bits keep a browser's few concurrent logins apart. The id is public. */
    private static final int LOGIN_ID_BYTES = 6;

    private final Duration lifetime;
    private final int maxConcurrent;

    FlowCookies(Duration lifetime, int maxConcurrent) {
        this.lifetime = lifetime;
        this.maxConcurrent = maxConcurrent;
    }

    static String loginId(StateClaims claims) {
        return ENCODER.encodeToString(Arrays.copyOf(claims.nonce(), LOGIN_ID_BYTES));
    }

    FlowCookie issue(StateClaims claims, FlowSecret secret) {
        return new FlowCookie(name(claims), claims.issuedAt().getEpochSecond() + "." + secret.encoded(), lifetime);
    }

    /** This login's flow cookie, emptied, so that the browser drops it. */
    FlowCookie spent(StateClaims claims) {
        return new FlowCookie(name(claims), "", Duration.ZERO);
    }

    /**
     * The secret of this login, if the browser presented this login's flow cookie holding the secret whose binding the
     * state carries; empty for a missing cookie, another login's, or one whose secret does not match.
     */
    Optional<FlowSecret> boundSecret(StateClaims claims, Map<String, String> presented) {
        String value = presented.get(name(claims));
        if (value == null) {
            return Optional.empty();
        }
        int dot = value.indexOf('.');
        return FlowSecret.decode(value.substring(dot + 1)).filter(secret -> secret.binds(claims.binding()));
    }

    /**
     * The flow cookies to drop before adding one more: all but the newest {@code max - 1}, and any unreadable one. At
     * most {@code max} a response: a browser never holds more than we set, so more can only be made up, and the
     * answer to made-up cookies stays small.
     */
    List<FlowCookie> toEvict(Map<String, String> presented) {
        List<Map.Entry<String, String>> readable = new ArrayList<>();
        List<FlowCookie> evicted = new ArrayList<>();
        presented.forEach((name, value) -> {
            if (!FlowCookie.isFlowCookie(name)) {
                return;
            }
            if (issuedAt(value) < 0) {
                evicted.add(new FlowCookie(name, "", Duration.ZERO));
            } else {
                readable.add(Map.entry(name, value));
            }
        });
        readable.sort(Comparator.comparingLong((Map.Entry<String, String> e) -> issuedAt(e.getValue())).reversed());
        for (int i = maxConcurrent - 1; i < readable.size(); i++) {
            evicted.add(new FlowCookie(readable.get(i).getKey(), "", Duration.ZERO));
        }
        return evicted.size() > maxConcurrent ? List.copyOf(evicted.subList(0, maxConcurrent)) : evicted;
    }

    private static String name(StateClaims claims) {
        return FlowCookie.PREFIX + loginId(claims);
    }

    private static long issuedAt(String value) {
        int dot = value.indexOf('.');
        if (dot < 1 || dot > 19) {
            return -1;
        }
        try {
            return Long.parseLong(value.substring(0, dot));
        } catch (NumberFormatException unreadable) {
            return -1;
        }
    }
}
