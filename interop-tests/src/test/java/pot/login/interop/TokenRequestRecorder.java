package pot.login.interop;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records what the micronaut-security-oauth2 client app sends to the sandbox's token endpoint (the filter runs just
 * before the request leaves), so a test can tell which client authentication it really used.
 */
@ClientFilter("/api/auth/v1/oauth/token/request")
@Requires(property = "spec.name", value = MicronautOauthClientAgainstSandboxTest.SPEC)
class TokenRequestRecorder {

    /** What one token request carried: its Authorization header (or null) and the names of its form fields. */
    record Sent(String authorization, List<String> formFields) {
    }

    static final List<Sent> SENT = new CopyOnWriteArrayList<>();

    @RequestFilter
    void record(MutableHttpRequest<?> request) {
        List<String> fields = request.getBody()
                .filter(Map.class::isInstance)
                .map(body -> ((Map<?, ?>) body).keySet().stream().map(String::valueOf).sorted().toList())
                .orElse(List.of());
        SENT.add(new Sent(request.getHeaders().get("Authorization"), fields));
    }
}
