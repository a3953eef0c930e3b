package pot.login.domain.port.in;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import pot.login.domain.FlowCookie;

/**
 * Where to send the browser to sign in, and the cookies to set on the way.
 *
 * @param portalUri    the portal's authorize URL: {@code response_type=code}, client id, redirect URI, state and,
 *                     with PKCE, the code challenge
 * @param loginId      a short id of this login for logs (part of the nonce; grants nothing)
 * @param flowCookie   binds this login to the browser
 * @param expiredFlows older logins' flow cookies to drop, so a browser never holds more than the configured number
 */
public record LoginStarted(URI portalUri, String loginId, FlowCookie flowCookie, List<FlowCookie> expiredFlows) {

    public LoginStarted {
        Objects.requireNonNull(portalUri, "portalUri");
        Objects.requireNonNull(loginId, "loginId");
        Objects.requireNonNull(flowCookie, "flowCookie");
        expiredFlows = List.copyOf(expiredFlows);
    }
}
