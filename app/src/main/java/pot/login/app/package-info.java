/**
 * The composition root: {@code main}, the wiring of the domain to its adapters ({@link pot.login.app.LoginWiring}),
 * configuration checks. The production artifact: it holds no sandbox portal (the {@code demo} module adds one).
 *
 * <p>Switched off with {@code pot-login.enabled=false}, like the adapters, so that a sandbox portal started in this
 * JVM does not pick these beans up in its own application context.
 */
@Configuration
@Requires(property = "pot-login.enabled", notEquals = "false")
package pot.login.app;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
