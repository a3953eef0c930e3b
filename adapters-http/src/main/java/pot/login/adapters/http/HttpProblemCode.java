package pot.login.adapters.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import pot.login.domain.Rejection;

/**
 * The stable error codes of the HTTP layer itself, beside the domain's {@link Rejection} codes. {@link #every()} is
 * the one list of every code an error body or page can carry: docs/openapi.yml's {@code ProblemCode} enum is
 * generated from it, and docs/errors.md explains each.
 */
public enum HttpProblemCode {
    /** No session, or one that is over ({@code /me}); also a 401 raised by micronaut-security. */
    NOT_SIGNED_IN,
    /** A sign-out whose Origin (or Referer) is not this app's. */
    CROSS_SITE_REQUEST,
    FORBIDDEN,
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    NOT_ACCEPTABLE,
    REQUEST_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    REQUEST_URI_TOO_LONG,
    REQUEST_HEADERS_TOO_LARGE,
    /** Any other 4xx the framework raises for a malformed request. */
    BAD_REQUEST,
    /** A 5xx the framework raises: a bug, never a client's fault. */
    INTERNAL_ERROR;

    /** The code as error bodies carry it, e.g. {@code not_signed_in}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every code an error body or page can carry: the domain's rejections, then the HTTP layer's, each once. */
    public static List<String> every() {
        List<String> codes = new ArrayList<>();
        for (Rejection rejection : Rejection.values()) {
            codes.add(rejection.code());
        }
        for (HttpProblemCode code : values()) {
            codes.add(code.code());
        }
        return List.copyOf(codes);
    }
}
