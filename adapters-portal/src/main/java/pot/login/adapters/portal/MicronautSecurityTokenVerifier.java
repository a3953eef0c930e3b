package pot.login.adapters.portal;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.generator.claims.JwtClaimsSetAdapter;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import io.micronaut.security.token.jwt.validator.AudienceJwtClaimsValidator;
import io.micronaut.security.token.jwt.validator.ExpirationJwtClaimsValidator;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import io.micronaut.security.token.jwt.validator.IssuerJwtClaimsValidator;
import io.micronaut.security.token.jwt.validator.JsonWebTokenValidator;
import io.micronaut.security.token.jwt.validator.NotBeforeJwtClaimsValidator;
import io.micronaut.security.token.jwt.validator.SubjectNotNullJwtClaimsValidator;
import java.text.ParseException;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.domain.AccessToken;
import pot.login.domain.port.out.TokenCheck;
import pot.login.domain.port.out.TokenVerifier;
import pot.login.domain.port.out.VerificationResult;
import pot.login.domain.port.out.VerifiedToken;

/**
 * Verifies the portal's token with micronaut-security-jwt's validator: the very check that later guards every
 * protected route (signature by the registered {@code SignatureConfiguration}s, then the configured claims validators:
 * expiry, issuer, audience). A token accepted here is therefore one the session cookie will be accepted with.
 *
 * <p>The validator only says yes or no. When it says no, the same signature and claims checks are asked one by one
 * which of them refused, so that the log names the check, and a key outage is not mistaken for a forgery. The log
 * line also carries the token's claims that are safe to show ({@link RefusedTokenFields}), never the token itself.
 */
public final class MicronautSecurityTokenVerifier implements TokenVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(MicronautSecurityTokenVerifier.class);

    private final JsonWebTokenValidator<JWT, HttpRequest<?>> validator;
    private final SignatureConfiguration signature;
    private final List<GenericJwtClaimsValidator<HttpRequest<?>>> claimsValidators;

    /**
     * @param validator        decides
     * @param signature        the portal's signature check the validator uses, asked again to say why it refused
     * @param claimsValidators the claims checks the validator uses, asked again to say which refused
     */
    public MicronautSecurityTokenVerifier(JsonWebTokenValidator<JWT, HttpRequest<?>> validator,
                                          SignatureConfiguration signature,
                                          List<? extends GenericJwtClaimsValidator<HttpRequest<?>>> claimsValidators) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.signature = Objects.requireNonNull(signature, "signature");
        this.claimsValidators = List.copyOf(claimsValidators);
    }

    @Override
    public VerificationResult verify(AccessToken token) {
        Objects.requireNonNull(token, "token");
        VerificationResult result = validator.validate(token.value(), null)
                .map(MicronautSecurityTokenVerifier::accepted)
                .orElseGet(() -> diagnosed(token));
        switch (result) {
            case VerificationResult.Verified verified -> {
            }
            case VerificationResult.Refused(TokenCheck check) -> LOG.info("Token refused by the {} check: {}{}",
                    RefusedTokenFields.label(check), RefusedTokenFields.of(token), expectation(check));
            case VerificationResult.Unavailable(String detail) -> LOG.warn("Token not judged: {}", detail);
        }
        return result;
    }

    /**
     * What the validator accepted, if it is a login token. Subject and expiry are required here, not only by
     * configuration: micronaut-security's expiration validator lets a token without {@code exp} pass, and such a token
     * would make a session that never ends.
     */
    private static VerificationResult accepted(JWT jwt) {
        // The validator accepts an unsigned JWT when no signature is configured; a login token is always signed.
        if (!(jwt instanceof SignedJWT)) {
            return new VerificationResult.Refused(TokenCheck.ALGORITHM);
        }
        try {
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            String subject = claims.getSubject();
            Date expiresAt = claims.getExpirationTime();
            if (subject == null || subject.isBlank()) {
                return new VerificationResult.Refused(TokenCheck.SUBJECT);
            }
            if (expiresAt == null) {
                return new VerificationResult.Refused(TokenCheck.EXPIRY);
            }
            return new VerificationResult.Verified(new VerifiedToken(subject, expiresAt.toInstant()));
        } catch (ParseException e) {
            return new VerificationResult.Refused(TokenCheck.MALFORMED);
        }
    }

    /** Which check refused a token the validator refused, in the validator's order: shape, signature, claims. */
    private VerificationResult diagnosed(AccessToken token) {
        JWT jwt;
        Claims claims;
        try {
            jwt = JWTParser.parse(token.value());
            claims = new JwtClaimsSetAdapter(jwt.getJWTClaimsSet());
        } catch (ParseException e) {
            return new VerificationResult.Refused(TokenCheck.MALFORMED);
        }
        if (!(jwt instanceof SignedJWT signed)) {
            return new VerificationResult.Refused(TokenCheck.ALGORITHM);
        }
        SignatureVerdict verdict = signature instanceof JudgedSignature judged ? judged.judge(signed)
                : SignatureVerdict.SIGNATURE;
        return switch (verdict) {
            case ALGORITHM -> new VerificationResult.Refused(TokenCheck.ALGORITHM);
            case TOKEN_TYPE -> new VerificationResult.Refused(TokenCheck.TOKEN_TYPE);
            case UNKNOWN_KEY -> new VerificationResult.Refused(TokenCheck.UNKNOWN_KEY);
            case SIGNATURE -> new VerificationResult.Refused(TokenCheck.SIGNATURE);
            case KEYS_UNAVAILABLE -> new VerificationResult.Unavailable("the portal's signing keys cannot be loaded");
            case VERIFIED -> new VerificationResult.Refused(refusedClaim(claims));
        };
    }

    private TokenCheck refusedClaim(Claims claims) {
        for (GenericJwtClaimsValidator<HttpRequest<?>> check : claimsValidators) {
            if (!check.validate(claims, null)) {
                return switch (check) {
                    case PortalTokenClaims portal -> portal.refusal(claims).orElse(TokenCheck.OTHER_CLAIM);
                    case IssuedToThisClient ours -> ours.refusal(claims).orElse(TokenCheck.OTHER_CLAIM);
                    case NotBeforeJwtClaimsValidator<?> notBefore -> TokenCheck.NOT_YET_VALID;
                    case ExpirationJwtClaimsValidator<?> expiry -> TokenCheck.EXPIRY;
                    case AudienceJwtClaimsValidator<?> audience -> TokenCheck.AUDIENCE;
                    case IssuerJwtClaimsValidator<?> issuer -> TokenCheck.ISSUER;
                    case SubjectNotNullJwtClaimsValidator<?> subject -> TokenCheck.SUBJECT;
                    default -> TokenCheck.OTHER_CLAIM;
                };
            }
        }
        return TokenCheck.OTHER_CLAIM;
    }

    /** What the refusing check wanted instead, where it is our configuration and not a secret. */
    private String expectation(TokenCheck check) {
        if (check == TokenCheck.TOKEN_TYPE) {
            return " (expected typ " + RequiredTokenType.AT_JWT + ")";
        }
        for (GenericJwtClaimsValidator<HttpRequest<?>> validator : claimsValidators) {
            switch (validator) {
                case IssuedToThisClient ours when check == TokenCheck.AUDIENCE || check == TokenCheck.AUTHORIZED_PARTY -> {
                    return " (expected client " + ours.clientId() + ")";
                }
                case PortalTokenClaims portal when check == TokenCheck.ISSUER -> {
                    return " (expected issuer " + portal.issuer() + ")";
                }
                default -> {
                }
            }
        }
        return "";
    }
}
