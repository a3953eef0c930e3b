package pot.login.app;

import io.micronaut.context.exceptions.BeanContextException;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.context.exceptions.DependencyInjectionException;
import io.micronaut.http.server.exceptions.ServerStartupException;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.exceptions.ApplicationStartupException;
import java.util.List;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * Starts pot-login. Without {@code MICRONAUT_ENVIRONMENTS} it runs the {@value #SANDBOX} setup: a local sandbox portal
 * on 127.0.0.1:8081 and demo-only secrets. {@code MICRONAUT_ENVIRONMENTS=production} talks to the real portal and
 * takes its secrets from the environment.
 */
public final class Application {

    public static final String SANDBOX = "sandbox";
    public static final String PRODUCTION = "production";

    private Application() {
    }

    /** logback.xml's switch; any other value would leave the app without a log at all, so it does not start. */
    static final String LOG_FORMAT = "POT_LOGIN_LOG_FORMAT";

    public static void main(String[] args) {
        String logFormat = System.getenv(LOG_FORMAT);
        if (logFormat != null && !List.of("text", "json").contains(logFormat)) {
            System.err.println("pot-login cannot start: " + LOG_FORMAT + " is neither text nor json: " + logFormat);
            System.exit(1);
        }
        Micronaut micronaut = Micronaut.build(args)
                .mainClass(Application.class)
                .defaultEnvironments(SANDBOX)
                // The banner is art on stdout: in a stream of JSON lines it would be five lines that do not parse.
                .banner(!"json".equals(logFormat));
        // Micronaut picks the handler by the exact class it caught; these are how a failing bean or bind arrives.
        for (Class<? extends Throwable> type : List.of(StartFailure.class, IllegalStateException.class,
                BeanInstantiationException.class, DependencyInjectionException.class, BeanContextException.class,
                ServerStartupException.class)) {
            reportOnOneLine(micronaut, type);
        }
        // A server that cannot start is reported a second time, wrapped in this: once on one line is enough.
        micronaut.mapError(ApplicationStartupException.class,
                failure -> StartFailure.oneLine(failure).isPresent() ? 0 : 1);
        try {
            micronaut.start();
        } catch (ApplicationStartupException reported) {
            // Reported on one line by ONE_LINE_OR_STACK_TRACE; Micronaut exits itself otherwise.
            System.exit(1);
        }
    }

    private static <T extends Throwable> void reportOnOneLine(Micronaut micronaut, Class<T> type) {
        micronaut.mapError(type, ONE_LINE_OR_STACK_TRACE::apply);
    }

    /** 0 tells Micronaut that the failure is reported (one line, here), 1 to log it with its stack trace and exit. */
    private static final Function<Throwable, Integer> ONE_LINE_OR_STACK_TRACE = failure ->
            StartFailure.oneLine(failure).map(line -> {
                LoggerFactory.getLogger(Application.class).error("pot-login cannot start: {}", line);
                return 0;
            }).orElse(1);
}
