package pot.login.domain.port.in;

import java.time.Instant;
import pot.login.domain.AccessToken;

/** The signed-in user asks who they are ({@code /me}, the demo page). */
public interface ShowSignedInUser {

    /**
     * @param token         the session's token, already verified by the adapter that read the cookie
     * @param sessionEndsAt when the token expires
     */
    Identity show(AccessToken token, Instant sessionEndsAt);
}
