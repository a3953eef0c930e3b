package pot.login.domain.port.in;

import java.util.Map;

/**
 * The callback to {@code /login/complete} exactly as the browser brought it; any part may be missing (null) or hostile.
 *
 * @param code        the authorization code, on success
 * @param state       the state we issued in step 2, echoed by the portal
 * @param error       the RFC 6749 §4.1.2.1 error code, when the portal did not sign the user in
 * @param issuer      the RFC 9207 {@code iss} parameter, when the portal sends one
 * @param flowCookies the browser's flow cookies ({@link pot.login.domain.FlowCookie#PREFIX}), name to value
 */
public record Callback(String code, String state, String error, String issuer, Map<String, String> flowCookies) {

    public Callback {
        flowCookies = flowCookies == null ? Map.of() : Map.copyOf(flowCookies);
    }

    @Override
    public String toString() {
        // Codes and states are credentials in transit: keep them out of any log line that prints a callback.
        return "Callback[code=" + (code == null ? "absent" : "hidden") + ", state=" + (state == null ? "absent" : "hidden")
                + ", error=" + (error == null ? "absent" : "present") + ", flowCookies=" + flowCookies.size() + "]";
    }
}
