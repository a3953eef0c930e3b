/**
 * The inbound HTTP adapter: Micronaut controllers for the login flow, the cookie writer, error responses and
 * security headers. Statuses are chosen here, never in the domain.
 *
 * <p>The package is a bean configuration that can be switched off ({@code pot-login.enabled=false}), which is how a
 * sandbox portal running in the same JVM keeps these routes out of its own server.
 */
@Configuration
@Requires(property = "pot-login.enabled", notEquals = "false")
package pot.login.adapters.http;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
