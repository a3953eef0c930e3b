package pot.login.sandbox;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

/** An OAuth error body: RFC 6749 §5.2 at the token endpoint, RFC 6750 §3 at {@code /api/me}. */
@Serdeable
record OAuthError(String error, @JsonProperty("error_description") String errorDescription) {
}
