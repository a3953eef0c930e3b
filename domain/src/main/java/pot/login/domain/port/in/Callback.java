package pot.login.domain.port.in;

/**
 * The query of {@code /login/complete} exactly as the browser brought it; any part may be missing (null) or hostile.
 *
 * @param code  the authorization code, on success
 * @param state the state we issued in step 2, echoed by the portal
 * @param error the RFC 6749 §4.1.2.1 error code, when the portal did not sign the user in
 */
public record Callback(String code, String state, String error) {

    public static Callback success(String code, String state) {
        return new Callback(code, state, null);
    }

    public static Callback failure(String error, String state) {
        return new Callback(null, state, error);
    }

    @Override
    public String toString() {
        // Codes and states are credentials in transit: keep them out of any log line that prints a callback.
        return "Callback[code=" + (code == null ? "absent" : "hidden") + ", state=" + (state == null ? "absent" : "hidden")
                + ", error=" + (error == null ? "absent" : "present") + "]";
    }
}
