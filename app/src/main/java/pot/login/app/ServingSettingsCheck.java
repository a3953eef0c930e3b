package pot.login.app;

import io.micronaut.context.BeanContext;
import io.micronaut.context.DefaultBeanContext;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.annotation.Controller;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;

/**
 * In every environment, not only production: before the server listens, every controller is made, and with it every
 * bean a request would need (the flow, the token request, the user lookup, the keys). A setup that lacks a setting
 * one of them needs, such as {@code user-lookup: oidc-userinfo} without a {@code userinfo-uri}, then stops the start
 * with one line naming the setting, instead of listening and answering 500 to the first user.
 *
 * <p>Run when the server is made, not as a {@code @Context} bean: an application context without a server (the
 * configuration tests, a key-ring probe) has no requests to answer and need not be complete. Such a context makes its
 * server bean only when it stops (graceful shutdown asks every bean that can drain), which is no start to check.
 */
@Singleton
class ServingSettingsCheck implements BeanCreatedEventListener<EmbeddedServer> {

    private final BeanContext beans;

    ServingSettingsCheck(BeanContext beans) {
        this.beans = beans;
    }

    @Override
    public EmbeddedServer onCreated(BeanCreatedEvent<EmbeddedServer> event) {
        if (madeWhileStopping()) {
            return event.getBean();
        }
        try {
            beans.getBeanDefinitions(Qualifiers.byStereotype(Controller.class)).forEach(beans::getBean);
        } catch (RuntimeException incomplete) {
            if (StartFailure.oneLine(incomplete).isPresent()) {
                throw incomplete;
            }
            throw new StartFailure("a request could not be served: " + innermost(incomplete), incomplete);
        }
        return event.getBean();
    }

    /**
     * Whether the server is made by the context's stop. Micronaut offers no "stopping" state, and a listener of its
     * ShutdownEvent is told only after the graceful shutdown's listener, whose making makes the server, is made.
     */
    private static boolean madeWhileStopping() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(frame -> frame.getMethodName().equals("stop")
                && frame.getClassName().equals(DefaultBeanContext.class.getName())));
    }

    /** The message of the failure's first cause: what a bean refused, without the framework's injection path. */
    private static String innermost(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
