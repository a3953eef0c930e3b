package pot.login.adapters.http;

import io.micronaut.serde.annotation.Serdeable;

/**
 * An RFC 9457 problem details object, with our stable error code as an extension member.
 *
 * @param type   a URN naming the problem type ({@code urn:pot-login:problem:<code>})
 * @param code   the stable error code, the same one logs and HTML pages show
 */
@Serdeable
public record Problem(String type, String title, int status, String detail, String code) {
}
