package pot.login.domain.port.in;

import java.util.Map;

/** Steps 1–3: the user asks to sign in; we issue a state and send them to the portal. */
public interface StartLogin {

    /**
     * @param returnTo    where the user wants to land afterwards, as the browser sent it (may be null or hostile:
     *                    anything that is not a local path lands on {@code /})
     * @param flowCookies the flow cookies of logins this browser already has under way, name to value
     */
    LoginStarted start(String returnTo, Map<String, String> flowCookies);
}
