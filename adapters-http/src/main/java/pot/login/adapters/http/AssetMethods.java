package pot.login.adapters.http;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.exceptions.NotAllowedException;
import java.util.Set;

/**
 * Static assets ({@code /assets/**}) answer {@code GET} and {@code HEAD} only. Micronaut serves a static resource to
 * a request of any method that no route claims, so a {@code POST} or {@code DELETE} of the style sheet was a 200.
 * The refusal is Micronaut's own 405 (with {@code Allow}), as for any route asked with the wrong method.
 */
@ServerFilter("/assets/**")
class AssetMethods {

    private static final Set<String> READS = Set.of(HttpMethod.GET.name(), HttpMethod.HEAD.name());

    @RequestFilter
    void onlyReads(HttpRequest<?> request) {
        if (!READS.contains(request.getMethodName())) {
            throw new NotAllowedException(request.getMethodName(), request.getUri(), READS);
        }
    }
}
