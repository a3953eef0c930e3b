package pot.login.domain.port.in;

import java.net.URI;
import java.util.Objects;

/**
 * Where to send the browser to sign in.
 *
 * @param portalUri the portal's authorize URL with {@code response_type=code}, client id, redirect URI and state
 * @param state     the state inside it, for adapters that bind it to the browser
 */
public record LoginStarted(URI portalUri, String state) {

    public LoginStarted {
        Objects.requireNonNull(portalUri, "portalUri");
        Objects.requireNonNull(state, "state");
    }
}
