package pot.login.domain.port.out;

import pot.login.domain.AccessToken;

/** Who a signed-in user is, as the portal knows them. */
public interface UserDirectory {

    /**
     * @param token   the session's token, already verified
     * @param subject the token's verified {@code sub}: an answer about anyone else is a {@link LookupResult.Failed}
     *                with {@code portal_bad_response}, never a profile (a token substitution: OIDC Core §5.3.2)
     */
    LookupResult lookUp(AccessToken token, String subject);
}
