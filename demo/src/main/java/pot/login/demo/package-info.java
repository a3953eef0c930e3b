/**
 * The demo: the app with the sandbox portal started next to it, in one process ({@code ./run-demo}). Kept out of
 * {@code app} so that the production artifact holds no sandbox class.
 *
 * <p>Switched off with {@code pot-login.enabled=false}, like the app, so that the sandbox portal's own application
 * context, which sees this JVM's classpath, does not start a second sandbox.
 */
@Configuration
@Requires(property = "pot-login.enabled", notEquals = "false")
package pot.login.demo;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
