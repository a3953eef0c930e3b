package pot.login.domain.port.out;

import pot.login.domain.IdToken;

/**
 * Checks that an ID token is the provider's and meant for us, as OIDC Core §3.1.3.7 lists: signed (RS256) by the
 * provider's keys, {@code iss} exactly the provider's, {@code aud} containing our client id, {@code azp} our client id
 * when present (and present when {@code aud} has several values), {@code exp} ahead, {@code iat} present and not ahead
 * beyond the allowed clock skew, a {@code sub}. It answers every outcome as an {@link IdTokenResult}, never with an
 * exception. Whether the token belongs to this login (its {@code nonce}) and to the user of the access token (its
 * {@code sub}) is the flow's decision, from the claims it returns.
 */
public interface IdTokenVerifier {

    IdTokenResult verify(IdToken idToken);
}
