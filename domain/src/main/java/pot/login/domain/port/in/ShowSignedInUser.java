package pot.login.domain.port.in;

import java.time.Instant;
import pot.login.domain.AccessToken;

/** The signed-in user asks who they are ({@code /me}, the demo page). */
public interface ShowSignedInUser {

    /**
     * @param token         the session's token, already verified by the adapter that read the cookie
     * @param subject       the verified token's {@code sub}: the only person this session may be shown as
     * @param sessionEndsAt when the token expires
     */
    Identity show(AccessToken token, String subject, Instant sessionEndsAt);
}
