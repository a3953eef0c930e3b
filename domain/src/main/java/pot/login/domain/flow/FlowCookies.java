package pot.login.domain.flow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import pot.login.domain.FlowCookie;
import pot.login.domain.state.StateClaims;

/**
 * The policy for flow cookies: one per login, named {@code __Host-pot-flow-<login id>}, valued
 * {@code <issued-at seconds>.<nonce>}, living as long as the state. The issue time in the value lets {@code /login}
 * drop the oldest logins when a browser has too many under way; the nonce ties the cookie to exactly one state.
 */
final class FlowCookies {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    /** 6 of the nonce's 16 bytes: 48 bits keep a browser's few concurrent logins apart; the rest stays unguessable. */
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

    FlowCookie issue(StateClaims claims) {
        return new FlowCookie(FlowCookie.PREFIX + loginId(claims), value(claims), lifetime);
    }

    /** Whether the browser presented this login's flow cookie, with the value this state calls for. */
    boolean isBound(StateClaims claims, Map<String, String> presented) {
        String value = presented.get(FlowCookie.PREFIX + loginId(claims));
        return value != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.US_ASCII),
                value(claims).getBytes(StandardCharsets.US_ASCII));
    }

    /** The flow cookies to drop before adding one more: all but the newest {@code max - 1}, and any unreadable one. */
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
        return evicted;
    }

    private static String value(StateClaims claims) {
        return claims.issuedAt().getEpochSecond() + "." + ENCODER.encodeToString(claims.nonce());
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
