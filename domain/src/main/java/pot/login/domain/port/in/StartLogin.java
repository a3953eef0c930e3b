package pot.login.domain.port.in;

/** Steps 1–3: the user asks to sign in; we issue a state and send them to the portal. */
public interface StartLogin {

    /**
     * @param returnTo where the user wants to land afterwards, as the browser sent it (may be null or hostile:
     *                 anything that is not a local path lands on {@code /})
     */
    LoginStarted start(String returnTo);
}
