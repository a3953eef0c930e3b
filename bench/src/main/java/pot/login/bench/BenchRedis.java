package pot.login.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The bench's own redis-server, a process of its own on a free loopback port, with nothing written to disk (no RDB
 * snapshot, no append-only file: the bench measures memory and CPU, and a fork for a snapshot would add both), and a
 * client of its own that reads {@code INFO memory} and {@code DBSIZE} without touching the app's connection.
 */
final class BenchRedis implements AutoCloseable {

    private final Process process;
    private final String uri;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private BenchRedis(Process process, String uri, RedisClient client,
            StatefulRedisConnection<String, String> connection) {
        this.process = process;
        this.uri = uri;
        this.client = client;
        this.connection = connection;
    }

    /** Starts redis-server in {@code dir} and waits until it answers PING. */
    static BenchRedis start(Path dir) throws Exception {
        Files.createDirectories(dir);
        int port = Processes.freePort();
        // --port 0 would mean "no TCP listener", not "any port": the port is chosen here.
        Process process = Processes.startCommand("redis-server", Map.of(), List.of("redis-server",
                "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", dir.toAbsolutePath().toString()));
        String uri = "redis://127.0.0.1:" + port;
        RedisClient client = RedisClient.create(RedisURI.create(uri));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            if (!process.isAlive()) {
                client.shutdown();
                throw new IllegalStateException("redis-server exited at start; see " + Processes.logs
                        + "/redis-server.log");
            }
            try {
                StatefulRedisConnection<String, String> connection = client.connect();
                connection.sync().ping();
                return new BenchRedis(process, uri, client, connection);
            } catch (RedisConnectionException notYet) {
                if (System.nanoTime() > deadline) {
                    client.shutdown();
                    throw new IllegalStateException("redis-server did not answer at " + uri + " within 30 s");
                }
                Thread.sleep(20);
            }
        }
    }

    String uri() {
        return uri;
    }

    long pid() {
        return process.pid();
    }

    /** What Redis's allocator holds ({@code used_memory} of {@code INFO memory}), and the number of keys. */
    Sample sample(String moment) {
        RedisCommands<String, String> commands = connection.sync();
        long usedMemory = commands.info("memory").lines().filter(line -> line.startsWith("used_memory:"))
                .map(line -> Long.parseLong(line.substring("used_memory:".length()).trim())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no used_memory in INFO memory"));
        return new Sample(moment, usedMemory, commands.dbsize());
    }

    long cpuTicks() throws IOException {
        return ProcFs.cpuTicks(process.pid());
    }

    /** One reading of the server: when, {@code used_memory} in bytes, {@code DBSIZE}. */
    record Sample(String moment, long usedMemory, long keys) {
        /** Bytes per key added since {@code before}. */
        double bytesPerKeySince(Sample before) {
            long keys = this.keys - before.keys;
            return keys <= 0 ? Double.NaN : (double) (usedMemory - before.usedMemory) / keys;
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
