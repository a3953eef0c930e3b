package pot.login.domain.port.out;

import java.util.Objects;

/**
 * A person as the portal describes them.
 *
 * @param id        the portal's identifier for the person
 * @param firstName may be empty, never null
 * @param lastName  may be empty, never null
 * @param email     may be empty, never null
 */
public record UserProfile(String id, String firstName, String lastName, String email) {

    public UserProfile {
        Objects.requireNonNull(id, "id");
        firstName = Objects.requireNonNullElse(firstName, "");
        lastName = Objects.requireNonNullElse(lastName, "");
        email = Objects.requireNonNullElse(email, "");
    }

    /** The name to greet the person with. */
    public String displayName() {
        String full = (firstName + " " + lastName).trim();
        return full.isEmpty() ? id : full;
    }
}
