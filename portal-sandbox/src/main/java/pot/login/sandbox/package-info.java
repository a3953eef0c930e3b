/**
 * The sandbox portal: a small, real OAuth 2.0 authorization server standing in for the Platform of Trust login portal
 * (DESIGN.md §4). Start it with {@link pot.login.sandbox.PortalSandbox}.
 *
 * <p>Every bean here is off unless {@code portal-sandbox.enabled=true}, which only the sandbox's own application
 * context sets: the app's context scans the same classpath and must see none of these beans or routes.
 */
@Configuration
@Requires(property = "portal-sandbox.enabled", value = "true")
package pot.login.sandbox;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
