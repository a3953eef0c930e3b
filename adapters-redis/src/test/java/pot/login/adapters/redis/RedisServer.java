package pot.login.adapters.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian's) for one test, on a free loopback port, with nothing written to disk. It can
 * be stopped and started again on the same port, and paused (SIGSTOP) so that it keeps its connections open and
 * answers nothing, as a server does that is swapping or stuck. Started with {@link #startTls}, it speaks TLS only.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofSeconds(10);

    private final int port;
    private final TestCertificates tls;
    private final Path workDir;
    private Process process;
    private RedisClient adminClient;
    private StatefulRedisConnection<String, String> adminConnection;

    private RedisServer(int port, TestCertificates tls) {
        this.port = port;
        this.tls = tls;
        try {
            this.workDir = Files.createTempDirectory("redis-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A started server; the caller closes it (try-with-resources or an after-hook), which also kills it. */
    public static RedisServer start() {
        RedisServer server = new RedisServer(freePort(), null);
        server.startAgain();
        return server;
    }

    /**
     * A started server that speaks TLS only, with the server certificate of {@code certificates}: no plaintext
     * listener, so a client that fell back to plaintext would find nothing. Clients need not show a certificate.
     */
    public static RedisServer startTls(TestCertificates certificates) {
        RedisServer server = new RedisServer(freePort(), Objects.requireNonNull(certificates));
        server.startAgain();
        return server;
    }

    /** {@code redis://127.0.0.1:port}, or {@code rediss://} for a TLS server. */
    public URI uri() {
        return URI.create((tls == null ? "redis" : "rediss") + "://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Starts the server again, on the same port and empty. */
    public synchronized void startAgain() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server is already running on port " + port);
        }
        try {
            List<String> command = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--dir", workDir.toString()));
            if (tls == null) {
                command.addAll(List.of("--port", Integer.toString(port)));
            } else {
                // --port 0: no plaintext listener at all.
                command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
                        "--tls-cert-file", tls.serverCertificate().toString(),
                        "--tls-key-file", tls.serverKey().toString(),
                        "--tls-ca-cert-file", tls.caCertificate().toString(), "--tls-auth-clients", "no"));
            }
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not run redis-server (apt-get install redis-server)", e);
        }
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (!accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-server did not listen on port " + port + "; see "
                        + workDir.resolve("redis.log"));
            }
            sleep(20);
        }
    }

    /** How many keys the server holds, asked over the admin connection. */
    public long keysStored() {
        return admin().dbsize();
    }

    /**
     * The test's own view of the server: a plain Lettuce connection of its own (trusting the test CA), made on first
     * use, reconnecting after a restart, closed with the server.
     */
    public synchronized RedisCommands<String, String> admin() {
        if (adminConnection == null) {
            adminClient = RedisClient.create(RedisURI.create(uri()));
            if (tls != null) {
                adminClient.setOptions(ClientOptions.builder()
                        .sslOptions(SslOptions.builder().trustManager(tls.caCertificate().toFile()).build()).build());
            }
            adminConnection = adminClient.connect();
        }
        return adminConnection.sync();
    }

    /** Kills the server (its connections are closed, its data is gone). */
    public synchronized void stop() {
        if (process != null) {
            signal("CONT");
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGSTOP: connections stay open, nothing is answered. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT: answers again, including what it was sent while paused. */
    public void resume() {
        signal("CONT");
    }

    @Override
    public void close() {
        try {
            synchronized (this) {
                if (adminClient != null) {
                    adminClient.shutdown();
                }
            }
        } finally {
            stop();
        }
    }

    private synchronized void signal(String name) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port nothing listens on now: bound to 0, read, closed. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }
}
