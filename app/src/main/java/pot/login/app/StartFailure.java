package pot.login.app;

import java.net.BindException;
import java.util.Optional;

/**
 * A start-up failure whose message alone tells the operator what to fix, naming the setting: the app prints that
 * message, without the framework's stack trace, and exits with status 1 ({@link Application#main}).
 */
public final class StartFailure extends IllegalStateException {

    static final String SERVER_PORT = "micronaut.server.port";

    public StartFailure(String message) {
        super(message);
    }

    public StartFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * What to print instead of a stack trace: the outermost {@code StartFailure} in the chain; else, for a server
     * that could not bind its port, a line naming {@code micronaut.server.port}; else nothing (the framework's own
     * report, stack trace included, is then the most useful).
     */
    static Optional<String> oneLine(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StartFailure ours) {
                return Optional.of(ours.getMessage());
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return Optional.of("the app cannot listen on its port, is it in use? Stop what listens there, or set "
                        + PotLoginConfiguration.named(SERVER_PORT) + " to a free one");
            }
        }
        return Optional.empty();
    }
}
