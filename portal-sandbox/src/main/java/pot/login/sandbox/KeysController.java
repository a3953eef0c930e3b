package pot.login.sandbox;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** The public half of the token-signing key, for clients that verify the portal's tokens themselves. */
@Controller("/keys")
class KeysController {

    static final String PEM = "application/x-pem-file";

    private final SigningKey signingKey;

    KeysController(SigningKey signingKey) {
        this.signingKey = signingKey;
    }

    /** PEM, at the path where Platform of Trust published theirs. */
    @Get(uri = "/oauth.pub", produces = PEM)
    String publicKey() {
        return signingKey.publicKeyPem();
    }

    @Get(uri = "/jwks.json", produces = MediaType.APPLICATION_JSON)
    String jwks() {
        return signingKey.publicJwks().toString();
    }
}
