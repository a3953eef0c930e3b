package pot.login.app;

/** Turns a missing setting into a start-up failure that names it. */
final class Settings {

    private Settings() {
    }

    static <T> T require(T value, String name) {
        if (value == null || (value instanceof String text && text.isBlank())) {
            throw new IllegalStateException(name + " is missing: set it in configuration or in the environment");
        }
        return value;
    }
}
