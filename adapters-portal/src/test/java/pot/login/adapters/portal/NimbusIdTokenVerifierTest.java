package pot.login.adapters.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.adapters.portal.NimbusIdTokenVerifierContractTest.NOW;
import static pot.login.adapters.portal.NimbusIdTokenVerifierContractTest.SKEW;
import static pot.login.adapters.portal.NimbusIdTokenVerifierContractTest.idTokenClaims;
import static pot.login.adapters.portal.PortalKeys.AUDIENCE;
import static pot.login.adapters.portal.PortalKeys.ISSUER;
import static pot.login.adapters.portal.PortalKeys.PORTAL;
import static pot.login.adapters.portal.PortalKeys.rs256;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Date;
import org.junit.jupiter.api.Test;
import pot.login.domain.IdToken;
import pot.login.domain.port.out.IdTokenCheck;
import pot.login.domain.port.out.IdTokenResult;
import pot.login.domain.port.out.IdTokenVerifier;

/** The edges of the clock checks, and what the log says; the PEM key as Platform of Trust publishes it. */
class NimbusIdTokenVerifierTest {

    private final IdTokenVerifier verifier = new NimbusIdTokenVerifier(NimbusRs256Signature.fromPem(
            PortalKeys.pem(PORTAL)), ISSUER, AUDIENCE, SKEW, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void an_issue_time_ahead_by_no_more_than_the_allowed_skew_is_accepted_and_one_second_more_is_not() {
        IdToken withinSkew = new IdToken(rs256(PORTAL, idTokenClaims().issueTime(Date.from(NOW.plus(SKEW)))
                .build()).serialize());
        IdToken beyondSkew = new IdToken(rs256(PORTAL, idTokenClaims()
                .issueTime(Date.from(NOW.plus(SKEW).plusSeconds(1))).build()).serialize());

        assertThat(verifier.verify(withinSkew)).isInstanceOf(IdTokenResult.Verified.class);
        assertThat(verifier.verify(beyondSkew)).isEqualTo(new IdTokenResult.Refused(IdTokenCheck.ISSUED_AT));
    }

    @Test
    void an_id_token_that_expires_this_very_second_is_expired() {
        IdToken expiringNow = new IdToken(rs256(PORTAL, idTokenClaims().expirationTime(Date.from(NOW)).build())
                .serialize());

        assertThat(verifier.verify(expiringNow)).isEqualTo(new IdTokenResult.Refused(IdTokenCheck.EXPIRY));
    }

    @Test
    void an_issuer_that_differs_only_in_case_or_by_a_trailing_slash_is_refused() {
        for (String issuer : new String[] {ISSUER.toUpperCase(), ISSUER + "/", ISSUER.replace("https", "http")}) {
            IdToken token = new IdToken(rs256(PORTAL, idTokenClaims().issuer(issuer).build()).serialize());

            assertThat(verifier.verify(token)).as(issuer).isEqualTo(new IdTokenResult.Refused(IdTokenCheck.ISSUER));
        }
    }

    @Test
    void the_log_names_the_refusing_check_and_never_the_token_or_its_nonce() {
        String token = rs256(PORTAL, idTokenClaims().audience("another-client").build()).serialize();
        try (CapturedLogs logs = new CapturedLogs()) {
            verifier.verify(new IdToken(token));

            assertThat(logs.lines()).singleElement().asString().contains("AUDIENCE")
                    .doesNotContain(token, token.split("\\.")[1], NimbusIdTokenVerifierContractTest.NONCE);
        }
    }
}
