package pot.login.domain.port.out;

import java.util.Objects;

/**
 * A person as the portal describes them.
 *
 * @param id        the portal's identifier for the person: the token's subject
 * @param firstName may be empty, never null
 * @param lastName  may be empty, never null
 * @param email     may be empty, never null
 * @param name      the whole name to greet the person with when the portal gives one (OIDC's {@code name}, or its
 *                  {@code preferred_username}); may be empty, never null
 */
public record UserProfile(String id, String firstName, String lastName, String email, String name) {

    public UserProfile {
        Objects.requireNonNull(id, "id");
        firstName = Objects.requireNonNullElse(firstName, "");
        lastName = Objects.requireNonNullElse(lastName, "");
        email = Objects.requireNonNullElse(email, "");
        name = Objects.requireNonNullElse(name, "");
    }

    /** A person whose portal gives first and last names only (Platform of Trust). */
    public UserProfile(String id, String firstName, String lastName, String email) {
        this(id, firstName, lastName, email, "");
    }

    /** The name to greet the person with: the whole name, else first and last, else the id. */
    public String displayName() {
        if (!name.isBlank()) {
            return name.trim();
        }
        String full = (firstName + " " + lastName).trim();
        return full.isEmpty() ? id : full;
    }
}
