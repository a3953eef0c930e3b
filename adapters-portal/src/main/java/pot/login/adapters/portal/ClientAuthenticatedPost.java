package pot.login.adapters.portal;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A form POST to one of the portal's client endpoints (token, revocation), authenticated as this client the one way
 * it is configured to: the secret in the form ({@code client_secret_post}) or in a Basic header
 * ({@code client_secret_basic}). Written once, so that every endpoint authenticates alike.
 */
final class ClientAuthenticatedPost {

    private ClientAuthenticatedPost() {
    }

    /** @param form the endpoint's own fields; the client's are added to it */
    static MutableHttpRequest<Map<String, String>> to(URI endpoint, Map<String, String> form,
                                                      TokenRequestSettings client) {
        if (client.authentication() == ClientAuthentication.CLIENT_SECRET_POST) {
            form.putIfAbsent("client_id", client.clientId());
            form.put("client_secret", client.clientSecret().reveal());
        }
        MutableHttpRequest<Map<String, String>> request = HttpRequest.POST(endpoint.toString(), form)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE);
        if (client.authentication() == ClientAuthentication.CLIENT_SECRET_BASIC) {
            // RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding, unlike plain RFC 7617.
            request.basicAuth(formEncoded(client.clientId()), formEncoded(client.clientSecret().reveal()));
        }
        return request;
    }

    private static String formEncoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
