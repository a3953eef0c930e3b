package pot.login.domain.port.out;

/** Who a signed-in user is, as the portal knows them. */
public interface UserDirectory {

    UserLookup lookUp(String token);
}
