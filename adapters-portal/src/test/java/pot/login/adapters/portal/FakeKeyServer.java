package pot.login.adapters.portal;

import com.nimbusds.jose.jwk.JWKSet;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.concurrent.atomic.AtomicInteger;

/** The portal's JWKS document, whose keys a test can rotate; counts how often it is fetched. */
@Requires(property = "spec.name", value = "NimbusRs256SignatureTest")
@Controller("/keys")
class FakeKeyServer {

    final AtomicInteger fetches = new AtomicInteger();
    volatile JWKSet keys = new JWKSet();

    @Get("/jwks.json")
    HttpResponse<String> jwks() {
        fetches.incrementAndGet();
        return HttpResponse.ok(keys.toPublicJWKSet().toString()).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
