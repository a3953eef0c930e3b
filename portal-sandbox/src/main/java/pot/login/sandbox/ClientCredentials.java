package pot.login.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The credentials a client presented at the token endpoint, by exactly one of the two methods (RFC 6749 §2.3.1). */
record ClientCredentials(String clientId, String secret) {

    @Override
    public String toString() {
        return "ClientCredentials[clientId=" + clientId + ", secret=(hidden)]";
    }

    /**
     * Reads {@code client_secret_basic} from the Authorization header or {@code client_secret_post} from the form.
     * Empty when there are none, both, or a malformed header, and when the form names another client than the header.
     */
    static Optional<ClientCredentials> read(String authorization, Parameters form) {
        String formId = form.get("client_id");
        String formSecret = form.get("client_secret");
        if (!isBasic(authorization)) {
            return formId == null || formSecret == null ? Optional.empty()
                    : Optional.of(new ClientCredentials(formId, formSecret));
        }
        if (formSecret != null) {
            return Optional.empty();
        }
        return basic(authorization).filter(basic -> formId == null || formId.equals(basic.clientId()));
    }

    /** Whether the client tried HTTP Basic, which RFC 6749 §5.2 answers with 401 and WWW-Authenticate. */
    static boolean isBasic(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, "Basic ".length());
    }

    private static Optional<ClientCredentials> basic(String authorization) {
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring("Basic ".length()).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            // Both parts are form-urlencoded before they are joined (RFC 6749 §2.3.1).
            String id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            String secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
            return id.isEmpty() || secret.isEmpty() ? Optional.empty() : Optional.of(new ClientCredentials(id, secret));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
