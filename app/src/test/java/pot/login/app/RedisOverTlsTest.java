package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pot.login.adapters.redis.RedisServer;
import pot.login.adapters.redis.TestCertificates;

/**
 * The app's Redis stores over {@code rediss://} to a redis-server that speaks TLS only, with a certificate from a
 * private CA: trusted the way docs/configuration.md tells an operator ({@code -Djavax.net.ssl.trustStore}, which a
 * JVM reads once, hence a child JVM per case), and not trusted.
 */
class RedisOverTlsTest {

    /** The connect and command timeouts, plus what a loaded 2-core machine adds. */
    private static final Duration FAILS_WITHIN = RedisStoreProbe.TIMEOUT.multipliedBy(2).plusSeconds(1);

    private static TestCertificates certificates;
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        certificates = TestCertificates.make();
        redis = RedisServer.startTls(certificates);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void both_stores_work_over_rediss_when_the_private_ca_is_in_the_jvms_trust_store() {
        Path trustStore = certificates.trustStoreWithTheJdkCas();

        List<String> lines = probe(List.of("-Djavax.net.ssl.trustStore=" + trustStore,
                "-Djavax.net.ssl.trustStorePassword=changeit"));

        assertThat(lines.subList(1, lines.size())).containsExactly("mark Marked", "mark again AlreadyUsed", "remember Remembered",
                "check SignedOut");
    }

    @Test
    void with_the_ca_not_trusted_both_stores_are_unavailable_within_the_timeouts_and_nothing_is_stored() {
        redis.stop();
        redis.startAgain();

        List<String> lines = probe(List.of());

        assertThat(lines.subList(1, lines.size())).containsExactly("mark Unavailable", "mark again Unavailable",
                "remember Unavailable", "check Unavailable");
        // Refused at the handshake, so at once: not after the command timeout, nor Lettuce's 10 s handshake timeout.
        assertThat(lines.getFirst()).startsWith("first answer within ");
        assertThat(Duration.ofMillis(Long.parseLong(lines.getFirst().replaceAll("\\D", ""))))
                .isLessThan(FAILS_WITHIN);
        assertThat(redis.keysStored()).as("no command reached the server").isZero();
    }

    /** The probe's lines: how long the first answer took, then what each store answered. */
    private static List<String> probe(List<String> jvmOptions) {
        ChildJvm.Result result = ChildJvm.run(RedisStoreProbe.class, Map.of(), jvmOptions,
                List.of(redis.uri().toString()));
        assertThat(result.exitCode()).as(result.output()).isZero();
        List<String> lines = result.output().lines().filter(line -> line.startsWith(RedisStoreProbe.PREFIX))
                .map(line -> line.substring(RedisStoreProbe.PREFIX.length())).toList();
        System.out.println("RedisOverTlsTest: " + lines);
        return lines;
    }
}
