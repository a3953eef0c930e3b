package pot.login.adapters.portal;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.domain.IdToken;
import pot.login.domain.flow.LoginSettings;
import pot.login.domain.port.out.IdTokenCheck;
import pot.login.domain.port.out.IdTokenResult;
import pot.login.domain.port.out.IdTokenVerifier;

/**
 * The ID token's checks of OIDC Core §3.1.3.7, with Nimbus parsing and the provider's signature check that verifies
 * the access token too ({@code SignatureConfiguration}: RS256 by the provider's PEM key or JWKS). The claims are
 * checked here rather than by micronaut-security-jwt's claims validators because those are the access token's and
 * the session cookie's (their audience and issuer settings), and because the log must name the check that refused.
 *
 * <p>Nonce and subject are returned, not judged: whether they are this login's and this user's is the flow's
 * decision. No log line or result carries the token or a claim's value.
 */
public final class NimbusIdTokenVerifier implements IdTokenVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(NimbusIdTokenVerifier.class);
    private static final String AUTHORIZED_PARTY = "azp";
    private static final String NONCE = "nonce";

    private final SignatureConfiguration signature;
    private final String issuer;
    private final String clientId;
    private final Duration allowedClockSkew;
    private final Clock clock;

    /**
     * @param signature        the provider's signature check, the access token's
     * @param issuer           the provider's issuer identifier, compared exactly
     * @param clientId         our client id: in {@code aud}, and {@code azp} when there is one
     * @param allowedClockSkew how far ahead of our clock an {@code iat} may be
     */
    public NimbusIdTokenVerifier(SignatureConfiguration signature, String issuer, String clientId,
                                 Duration allowedClockSkew, Clock clock) {
        this.signature = Objects.requireNonNull(signature, "signature");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clientId = LoginSettings.checkClientId(clientId);
        this.allowedClockSkew = Objects.requireNonNull(allowedClockSkew, "allowedClockSkew");
        if (allowedClockSkew.isNegative()) {
            throw new IllegalArgumentException("the allowed clock skew is negative: " + allowedClockSkew);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public IdTokenResult verify(IdToken idToken) {
        Objects.requireNonNull(idToken, "idToken");
        IdTokenResult result = judged(idToken);
        switch (result) {
            case IdTokenResult.Verified verified -> {
            }
            case IdTokenResult.Refused(IdTokenCheck check) -> LOG.info("ID token refused by the {} check", check);
            case IdTokenResult.Unavailable(String detail) -> LOG.warn("ID token not judged: {}", detail);
        }
        return result;
    }

    private IdTokenResult judged(IdToken idToken) {
        JWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = JWTParser.parse(idToken.value());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return refused(IdTokenCheck.MALFORMED);
        }
        // OIDC Core §3.1.3.7 step 7: the provider's algorithm (RS256, as registered); never "none".
        if (!(jwt instanceof SignedJWT signed)) {
            return refused(IdTokenCheck.ALGORITHM);
        }
        SignatureVerdict verdict = signature instanceof JudgedSignature judged ? judged.judge(signed)
                : signature.supports(signed.getHeader().getAlgorithm()) && verified(signed) ? SignatureVerdict.VERIFIED
                : SignatureVerdict.SIGNATURE;
        return switch (verdict) {
            case ALGORITHM -> refused(IdTokenCheck.ALGORITHM);
            case UNKNOWN_KEY -> refused(IdTokenCheck.UNKNOWN_KEY);
            case SIGNATURE -> refused(IdTokenCheck.SIGNATURE);
            case KEYS_UNAVAILABLE -> new IdTokenResult.Unavailable("the provider's signing keys cannot be loaded");
            case VERIFIED -> claimsChecked(claims);
            // An ID token's typ is JWT, never at+jwt: the access token's type rule is a bug here, not a refusal.
            case TOKEN_TYPE -> throw new IllegalStateException("an ID token was checked against the access token's "
                    + "typ rule: give NimbusIdTokenVerifier RequiredTokenType.keys()");
        };
    }

    private boolean verified(SignedJWT signed) {
        try {
            return signature.verify(signed);
        } catch (Exception e) {
            return false;
        }
    }

    /** §3.1.3.7 steps 2–4 and 9–10, in that order. */
    private IdTokenResult claimsChecked(JWTClaimsSet claims) {
        // Step 2: simple string comparison (RFC 3986 normalisation would let a look-alike through).
        if (!issuer.equals(claims.getIssuer())) {
            return refused(IdTokenCheck.ISSUER);
        }
        List<String> audience = claims.getAudience();
        if (!audience.contains(clientId)) {
            return refused(IdTokenCheck.AUDIENCE);
        }
        // Steps 3–4 (and the 2023 errata): a token for several clients must say which one it was issued to.
        Object authorizedParty = claims.getClaim(AUTHORIZED_PARTY);
        if (authorizedParty != null ? !clientId.equals(authorizedParty) : audience.size() > 1) {
            return refused(IdTokenCheck.AUTHORIZED_PARTY);
        }
        Instant now = clock.instant();
        Date expiresAt = claims.getExpirationTime();
        if (expiresAt == null || !now.isBefore(expiresAt.toInstant())) {
            return refused(IdTokenCheck.EXPIRY);
        }
        Date issuedAt = claims.getIssueTime();
        if (issuedAt == null || issuedAt.toInstant().isAfter(now.plus(allowedClockSkew))) {
            return refused(IdTokenCheck.ISSUED_AT);
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            return refused(IdTokenCheck.SUBJECT);
        }
        Object nonce = claims.getClaim(NONCE);
        return new IdTokenResult.Verified(new IdTokenResult.VerifiedIdToken(subject,
                nonce instanceof String text ? Optional.of(text) : Optional.empty(), expiresAt.toInstant()));
    }

    private static IdTokenResult refused(IdTokenCheck check) {
        return new IdTokenResult.Refused(check);
    }
}
