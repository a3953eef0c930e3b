/**
 * A round-robin load balancer for trying several app instances on one machine ({@code ./run-cluster}): demo code,
 * never in the production artifact. Its beans are on only in the balancer's own application context, which switches
 * the app's beans off; in the app's context (the same jar, the same classpath) they stay off.
 */
@Configuration
@Requires(property = RoundRobinBalancer.ENABLED, value = "true")
package pot.login.cluster;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
