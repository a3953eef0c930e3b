package pot.login.adapters.portal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The portal's {@code /api/me} answer: a JSON-LD Person. Only the fields we show are read; {@code @context}, {@code @type}
 * and whatever the portal adds later are ignored.
 */
@Serdeable.Deserializable
@JsonIgnoreProperties(ignoreUnknown = true)
record PersonDocument(@JsonProperty("@id") String id, String firstName, String lastName, String email) {
}
