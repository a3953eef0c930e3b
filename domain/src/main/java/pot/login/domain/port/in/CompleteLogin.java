package pot.login.domain.port.in;

/** Steps 5–8: the portal sends the user back; we check the state, exchange the code and decide the session. */
public interface CompleteLogin {

    LoginOutcome complete(Callback callback);
}
