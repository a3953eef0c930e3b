package pot.login.adapters.http;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An RFC 9457 problem details object, with our stable error code as an extension member.
 *
 * @param type   a URN naming the problem type ({@code urn:pot-login:problem:<code>})
 * @param code   the stable error code, the same one logs and HTML pages show
 */
@Serdeable
@Schema(name = "Problem", description = "RFC 9457 problem details, with the stable error code")
public record Problem(@Schema(description = "a URN naming the problem type: urn:pot-login:problem:{code}") String type,
                      String title, int status, String detail,
                      @Schema(ref = "#/components/schemas/ProblemCode") String code) {
}
