package pot.login.adapters.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.generator.claims.JwtClaimsSetAdapter;
import java.util.Date;
import org.junit.jupiter.api.Test;

class PortalTokenClaimsTest {

    static final String ISSUER = "https://portal.example.test";
    final PortalTokenClaims validator = new PortalTokenClaims(ISSUER);

    @Test
    void accepts_our_exact_issuer_with_an_expiry() {
        assertThat(validator.validate(claims(ISSUER, new Date()), null)).isTrue();
    }

    @Test
    void refuses_an_issuer_that_only_ends_like_ours_or_is_missing() {
        for (String issuer : new String[] {"example.test", "test", "http://portal.example.test", "",
                "https://portal.example.test/", "https://evil.example/portal.example.test"}) {
            assertThat(validator.validate(claims(issuer, new Date()), null)).as(issuer).isFalse();
        }
        assertThat(validator.validate(claims(null, new Date()), null)).isFalse();
    }

    @Test
    void refuses_an_issuer_that_merely_starts_or_ends_with_ours_or_differs_only_in_case() {
        // iss is a case-sensitive string (RFC 7519 §4.1.1), compared whole: a host or a path that an attacker can
        // register around ours, starting or ending with it, names another issuer.
        for (String issuer : new String[] {ISSUER + "/evil", ISSUER + ".evil.example", ISSUER + "@evil.example",
                "https://evil.example/" + ISSUER, "https://evil.example?" + ISSUER, "evil" + ISSUER, " " + ISSUER,
                ISSUER + " ", "HTTPS://PORTAL.EXAMPLE.TEST", "https://Portal.Example.Test"}) {
            assertThat(validator.validate(claims(issuer, new Date()), null)).as(issuer).isFalse();
        }
    }

    @Test
    void refuses_a_token_without_an_expiry() {
        assertThat(validator.validate(claims(ISSUER, null), null)).isFalse();
    }

    private static Claims claims(String issuer, Date expiry) {
        return new JwtClaimsSetAdapter(new JWTClaimsSet.Builder().subject("demo").issuer(issuer).expirationTime(expiry)
                .build());
    }
}
