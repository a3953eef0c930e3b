package pot.login.sandbox;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

/** The signed-in user as Platform of Trust describes a person: JSON-LD with its identity context. */
@Serdeable
record Person(@JsonProperty("@context") String context,
              @JsonProperty("@type") String type,
              @JsonProperty("@id") String id,
              String firstName,
              String lastName,
              String email) {

    static final String CONTEXT = "https://standards.oftrust.net/v2/Context/Identity/LegalParty/Person/";

    static Person of(DemoUser user) {
        return new Person(CONTEXT, "Person", user.username(), user.firstName(), user.lastName(), user.email());
    }
}
