package pot.login.domain.port.out;

import pot.login.domain.AccessToken;

/** Who a signed-in user is, as the portal knows them. */
public interface UserDirectory {

    LookupResult lookUp(AccessToken token);
}
