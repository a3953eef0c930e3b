package pot.login.adapters.http;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * Errors raised by the framework rather than by our controllers (no route, wrong method, a malformed request, a
 * missing session on {@code /me}) get the same problem+json or HTML shape, with a stable code per status. Replaces
 * Micronaut's default processor, which answers {@code application/json} without a code.
 */
@Singleton
class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Object> {

    private final SecurityHeaders securityHeaders;

    ProblemErrorResponseProcessor(SecurityHeaders securityHeaders) {
        this.securityHeaders = securityHeaders;
    }

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<Object> processResponse(ErrorContext errorContext, MutableHttpResponse<?> response) {
        // A request Netty could not decode is answered from here without passing any filter.
        securityHeaders.addTo(response);
        if (errorContext.getRequest().getMethod() == HttpMethod.HEAD) {
            return (MutableHttpResponse<Object>) response;
        }
        HttpStatus status = response.getStatus();
        // The framework's own error messages may quote the request, so none of them is passed on.
        return (MutableHttpResponse<Object>) Problems.respond(errorContext.getRequest(), response,
                code(status), title(status), detail(status));
    }

    static String code(HttpStatus status) {
        return (switch (status) {
            case UNAUTHORIZED -> HttpProblemCode.NOT_SIGNED_IN;
            case FORBIDDEN -> HttpProblemCode.FORBIDDEN;
            case NOT_FOUND -> HttpProblemCode.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> HttpProblemCode.METHOD_NOT_ALLOWED;
            case NOT_ACCEPTABLE -> HttpProblemCode.NOT_ACCEPTABLE;
            case REQUEST_ENTITY_TOO_LARGE -> HttpProblemCode.REQUEST_TOO_LARGE;
            case UNSUPPORTED_MEDIA_TYPE -> HttpProblemCode.UNSUPPORTED_MEDIA_TYPE;
            case REQUEST_URI_TOO_LONG -> HttpProblemCode.REQUEST_URI_TOO_LONG;
            case REQUEST_HEADER_FIELDS_TOO_LARGE -> HttpProblemCode.REQUEST_HEADERS_TOO_LARGE;
            default -> status.getCode() < 500 ? HttpProblemCode.BAD_REQUEST : HttpProblemCode.INTERNAL_ERROR;
        }).code();
    }

    private static String title(HttpStatus status) {
        return switch (status) {
            case UNAUTHORIZED -> "You are not signed in";
            case NOT_FOUND -> "Page not found";
            default -> status.getReason();
        };
    }

    private static String detail(HttpStatus status) {
        return switch (status) {
            case UNAUTHORIZED -> "Sign in first, then try again.";
            case NOT_FOUND -> "There is nothing at this address.";
            case REQUEST_ENTITY_TOO_LARGE -> "The request is larger than this site accepts.";
            default -> status.getCode() < 500
                    ? "The request could not be understood."
                    : "Something went wrong on our side. Nobody was signed in.";
        };
    }
}
