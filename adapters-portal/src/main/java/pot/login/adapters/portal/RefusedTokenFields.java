package pot.login.adapters.portal;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import pot.login.domain.AccessToken;
import pot.login.domain.port.out.TokenCheck;

/**
 * The parts of a refused token that may be logged, so that an operator sees why a server's tokens are refused without
 * decoding one by hand: the header's {@code alg}, {@code kid} and {@code typ}, and {@code iss}, {@code sub}, {@code aud},
 * {@code azp}, {@code exp}, {@code nbf}. Never the token, its signature or any other claim (they can hold personal
 * data or secrets). {@code sub} is shown because the app logs the subject of every completed sign-in already.
 *
 * <p>A refused token is unverified: anyone can have written these values, so each is cut short and stripped of
 * control characters, which would otherwise let a forger write lines of their own into the log (CWE-117).
 */
final class RefusedTokenFields {

    private static final int MAX_VALUE_LENGTH = 120;
    /** More audiences than a real token has; beyond them a forged token would only make the line long. */
    private static final int MAX_AUDIENCES = 5;

    private RefusedTokenFields() {
    }

    /** The check's name as the log says it: "audience", "unknown key". */
    static String label(TokenCheck check) {
        return check.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    static String of(AccessToken token) {
        JWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = JWTParser.parse(token.value());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return "not a JWT";
        }
        Header header = jwt.getHeader();
        String kid = header instanceof JWSHeader jws ? jws.getKeyID() : null;
        return "alg=" + safe(header.getAlgorithm() == null ? null : header.getAlgorithm().getName())
                + " kid=" + safe(kid)
                + " typ=" + safe(header.getType() == null ? null : header.getType().getType())
                + " iss=" + safe(claims.getClaim("iss"))
                + " sub=" + safe(claims.getClaim("sub"))
                + " aud=" + audience(claims.getAudience())
                + " azp=" + safe(claims.getClaim(IssuedToThisClient.AUTHORIZED_PARTY))
                + " exp=" + instant(claims.getClaim("exp"))
                + " nbf=" + instant(claims.getClaim("nbf"));
    }

    private static String audience(List<String> audience) {
        if (audience.isEmpty()) {
            return "none";
        }
        List<String> shown = audience.stream().limit(MAX_AUDIENCES).map(RefusedTokenFields::safe).toList();
        return audience.size() > MAX_AUDIENCES ? shown + " (" + (audience.size() - MAX_AUDIENCES) + " more)"
                : shown.toString();
    }

    /** RFC 3339 in UTC, as {@link java.time.Instant#toString()} writes it. */
    private static String instant(Object value) {
        return value instanceof Date date ? date.toInstant().toString() : safe(value);
    }

    /** A value from outside (a token, a provider's answer) as a log may show it: one line, bounded, nothing hidden. */
    static String safe(Object value) {
        if (value == null) {
            return "none";
        }
        String text = String.valueOf(value);
        StringBuilder shown = new StringBuilder();
        text.codePoints().limit(MAX_VALUE_LENGTH).forEach(c -> shown.appendCodePoint(
                Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                        || Character.getType(c) == Character.PARAGRAPH_SEPARATOR
                        // Bidi overrides and other invisible format characters make a log line read otherwise.
                        || Character.getType(c) == Character.FORMAT ? '?' : c));
        return text.codePointCount(0, text.length()) > MAX_VALUE_LENGTH ? shown + "…" : shown.toString();
    }
}
