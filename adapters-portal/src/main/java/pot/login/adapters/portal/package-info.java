/**
 * The outbound adapters to the login portal: the token exchange of step 7 and the user lookup over Micronaut's HTTP
 * client, and the verification of the portal's tokens through micronaut-security-jwt with an RS256-only key source.
 *
 * <p>Nothing here is a bean: the {@code app} module constructs each class in its wiring factory, so the HTTP client
 * settings (timeouts, max content length, redirects) and the JWT claims validators are configured there.
 */
package pot.login.adapters.portal;
