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
    void refuses_a_token_without_an_expiry() {
        assertThat(validator.validate(claims(ISSUER, null), null)).isFalse();
    }

    private static Claims claims(String issuer, Date expiry) {
        return new JwtClaimsSetAdapter(new JWTClaimsSet.Builder().subject("demo").issuer(issuer).expirationTime(expiry)
                .build());
    }
}
