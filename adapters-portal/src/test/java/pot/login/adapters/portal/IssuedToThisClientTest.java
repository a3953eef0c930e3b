package pot.login.adapters.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.generator.claims.JwtClaimsSetAdapter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import pot.login.domain.port.out.TokenCheck;

class IssuedToThisClientTest {

    static final String OURS = "pot-login-demo";
    final IssuedToThisClient check = new IssuedToThisClient(OURS);

    @Test
    void accepts_our_azp_whatever_the_aud_says() {
        assertThat(check.refusal(claims(OURS, "account"))).isEmpty();
        assertThat(check.refusal(claims(OURS, List.of("account", "api")))).isEmpty();
        assertThat(check.refusal(claims(OURS, null))).isEmpty();
        assertThat(check.validate(claims(OURS, "account"), null)).isTrue();
    }

    @Test
    void refuses_another_clients_azp_even_when_the_aud_is_ours() {
        assertThat(check.refusal(claims("another-client", OURS))).contains(TokenCheck.AUTHORIZED_PARTY);
        assertThat(check.refusal(claims("another-client", List.of(OURS, "account"))))
                .contains(TokenCheck.AUTHORIZED_PARTY);
        // Exact comparison: a client id that merely starts, ends or differs in case from ours is another client.
        for (String other : List.of(OURS + "-2", "x" + OURS, OURS.toUpperCase(), OURS + " ")) {
            assertThat(check.refusal(claims(other, OURS))).as(other).contains(TokenCheck.AUTHORIZED_PARTY);
        }
        assertThat(check.validate(claims("another-client", OURS), null)).isFalse();
    }

    @Test
    void without_a_client_claim_accepts_an_aud_that_is_ours_alone() {
        assertThat(check.refusal(claims(null, OURS))).isEmpty();
        assertThat(check.refusal(claims(null, List.of(OURS)))).isEmpty();
    }

    @Test
    void without_a_client_claim_refuses_several_audiences_even_with_ours_among_them() {
        // A token for another client that names us as one of its resources: nothing says it was issued to us.
        assertThat(check.refusal(claims(null, List.of("account", OURS)))).contains(TokenCheck.AUDIENCE);
        assertThat(check.refusal(claims(null, List.of(OURS, OURS + "-api")))).contains(TokenCheck.AUDIENCE);
    }

    @Test
    void every_client_claim_present_must_be_ours_whatever_the_aud() {
        // RFC 9068 §2.2's client_id, Microsoft Entra v1's appid, Okta's cid: the review found client_id ignored.
        for (String claim : List.of("client_id", "appid", "cid")) {
            assertThat(check.refusal(with(claims(null, OURS), claim, "evil-client"))).as(claim)
                    .contains(TokenCheck.AUTHORIZED_PARTY);
            assertThat(check.refusal(with(claims(null, List.of(OURS, "other-api")), claim, "evil-client"))).as(claim)
                    .contains(TokenCheck.AUTHORIZED_PARTY);
            assertThat(check.refusal(with(claims(OURS, OURS), claim, "evil-client"))).as("azp ours, " + claim + " not")
                    .contains(TokenCheck.AUTHORIZED_PARTY);
            assertThat(check.refusal(with(claims(null, "account"), claim, OURS))).as(claim + " ours").isEmpty();
            assertThat(check.refusal(with(claims(null, List.of("account", OURS)), claim, OURS))).as(claim + " ours")
                    .isEmpty();
        }
    }

    @Test
    void without_azp_refuses_another_aud_or_none() {
        assertThat(check.refusal(claims(null, "account"))).contains(TokenCheck.AUDIENCE);
        assertThat(check.refusal(claims(null, List.of("account", "api")))).contains(TokenCheck.AUDIENCE);
        assertThat(check.refusal(claims(null, List.of()))).contains(TokenCheck.AUDIENCE);
        assertThat(check.refusal(claims(null, null))).contains(TokenCheck.AUDIENCE);
        assertThat(check.refusal(claims(null, OURS.substring(1)))).contains(TokenCheck.AUDIENCE);
        assertThat(check.validate(claims(null, "account"), null)).isFalse();
    }

    @Test
    void refuses_a_blank_or_non_string_azp_whatever_the_aud() {
        for (Object azp : new Object[] {"", " ", 42, List.of(OURS), Map.of("client", OURS), true}) {
            assertThat(check.refusal(claims(azp, OURS))).as(String.valueOf(azp)).contains(TokenCheck.AUTHORIZED_PARTY);
        }
    }

    @Test
    void reads_claims_as_micronaut_security_hands_them_over_from_a_parsed_token() throws Exception {
        JWTClaimsSet parsed = JWTClaimsSet.parse("{\"aud\":\"" + OURS + "\"}");
        JWTClaimsSet parsedArray = JWTClaimsSet.parse("{\"aud\":[\"" + OURS + "\"]}");
        JWTClaimsSet parsedOtherAzp = JWTClaimsSet.parse("{\"aud\":\"" + OURS + "\",\"azp\":\"another-client\"}");

        assertThat(check.refusal(new JwtClaimsSetAdapter(parsed))).isEmpty();
        assertThat(check.refusal(new JwtClaimsSetAdapter(parsedArray))).isEmpty();
        assertThat(check.refusal(new JwtClaimsSetAdapter(parsedOtherAzp))).contains(TokenCheck.AUTHORIZED_PARTY);
    }

    @Test
    void a_blank_client_id_is_refused_at_start() {
        assertThatThrownBy(() -> new IssuedToThisClient(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the client id is blank");
    }

    /** Raw claims, as a {@link Claims} map can hold them (an aud string or list, an azp of any JSON type). */
    private static Claims claims(Object azp, Object aud) {
        return claims(azp, aud, Map.of());
    }

    private static Claims with(Claims claims, String name, Object value) {
        Map<String, Object> more = new HashMap<>();
        claims.names().forEach(existing -> more.put(existing, claims.get(existing)));
        more.put(name, value);
        return claims(null, null, more);
    }

    private static Claims claims(Object azp, Object aud, Map<String, Object> more) {
        Map<String, Object> values = new HashMap<>(more);
        Optional.ofNullable(azp).ifPresent(value -> values.put("azp", value));
        Optional.ofNullable(aud).ifPresent(value -> values.put("aud", value));
        return new Claims() {
            @Override
            public Object get(String name) {
                return values.get(name);
            }

            @Override
            public java.util.Set<String> names() {
                return values.keySet();
            }

            @Override
            public boolean contains(String name) {
                return values.containsKey(name);
            }
        };
    }
}
