package pot.login.sandbox;

import java.util.Objects;

/** A user who can sign in at the sandbox portal, with the profile {@code /api/me} returns. */
public record DemoUser(String username, String password, String firstName, String lastName, String email) {

    public DemoUser {
        RegisteredClient.requireText(username, "username");
        RegisteredClient.requireText(password, "password");
        Objects.requireNonNull(firstName, "firstName");
        Objects.requireNonNull(lastName, "lastName");
        Objects.requireNonNull(email, "email");
    }

    /** The user of the demo: {@code demo} / {@code demo}. */
    public static DemoUser demo() {
        return new DemoUser("demo", "demo", "Demo", "User", "demo@example.com");
    }

    boolean hasPassword(String candidate) {
        return ConstantTime.equal(password, candidate);
    }

    @Override
    public String toString() {
        return "DemoUser[username=" + username + ", password=(hidden), firstName=" + firstName + ", lastName="
                + lastName + ", email=" + email + "]";
    }
}
