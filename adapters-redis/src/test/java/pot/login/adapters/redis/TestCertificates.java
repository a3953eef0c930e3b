package pot.login.adapters.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private CA and a server certificate it signed for {@code 127.0.0.1} and {@code localhost}, made by openssl in a
 * temporary directory for one test run, as an operator makes them for a Redis on the network.
 *
 * @param caCertificate     the CA's certificate (PEM): what a client must trust
 * @param serverCertificate the server's certificate (PEM), signed by the CA
 * @param serverKey         the server's private key (PEM)
 */
public record TestCertificates(Path caCertificate, Path serverCertificate, Path serverKey) {

    /** The JDK's own trust store. */
    private static final Path JDK_CACERTS = Paths.get(System.getProperty("java.home"), "lib", "security", "cacerts");

    public static TestCertificates make() {
        try {
            Path dir = Files.createTempDirectory("redis-tls");
            Path extensions = Files.writeString(dir.resolve("server.ext"),
                    "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
            openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=pot-login test CA",
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
            openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
            openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", extensions.toString());
            return new TestCertificates(dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A trust store for {@code -Djavax.net.ssl.trustStore}, made as docs/configuration.md tells an operator: a copy
     * of the JDK's {@code cacerts} (password {@code changeit}) with the private CA added by keytool. The property
     * replaces the JDK's store for the whole JVM, so without the public CAs the portal's https would stop working.
     */
    public Path trustStoreWithTheJdkCas() {
        try {
            Path file = caCertificate.resolveSibling("redis-truststore.p12");
            Files.copy(JDK_CACERTS, file, StandardCopyOption.REPLACE_EXISTING);
            run(caCertificate.getParent(), List.of(Paths.get(System.getProperty("java.home"), "bin", "keytool")
                    .toString(), "-importcert", "-noprompt", "-alias", "redis-ca", "-file", caCertificate.toString(),
                    "-keystore", file.toString(), "-storepass", "changeit"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        run(dir, command);
    }

    private static void run(Path dir, List<String> command) throws IOException {
        Path log = dir.resolve("tools.log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command.subList(0, 2)) + " failed: "
                        + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.getFirst(), e);
        }
    }
}
