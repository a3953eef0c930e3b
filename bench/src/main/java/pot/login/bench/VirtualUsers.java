package pot.login.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The load: virtual users, each a thread with its own {@link LoadBrowser} (its own client and cookie jar), repeating a
 * {@link Scenario} for a fixed time, while the app's and the sandbox's CPU and the app's RSS are read from /proc.
 */
final class VirtualUsers {

    private VirtualUsers() {
    }

    /** {@code users} virtual users repeat the scenario until {@code seconds} have passed; in-flight work completes. */
    static LevelResult run(long appPid, long sandboxPid, int users, int seconds, Scenario scenario) throws Exception {
        return run(appPid, sandboxPid, 0, users, seconds, scenario);
    }

    /** The same, also reading the CPU of the target's redis-server ({@code redisPid}; 0: none). */
    static LevelResult run(long appPid, long sandboxPid, long redisPid, int users, int seconds, Scenario scenario)
            throws Exception {
        LevelResult result = new LevelResult(users);
        long appBefore = ProcFs.cpuTicks(appPid);
        long sandboxBefore = ProcFs.cpuTicks(sandboxPid);
        long redisBefore = redisPid == 0 ? 0 : ProcFs.cpuTicks(redisPid);
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            Thread vu = new Thread(() -> virtualUser(scenario, deadline, result), "vu-" + i);
            threads.add(vu);
            vu.start();
        }
        double maxRss = 0;
        while (threads.stream().anyMatch(Thread::isAlive)) {
            maxRss = Math.max(maxRss, ProcFs.rssMiB(appPid));
            // Bounded: no virtual user outlives the deadline by more than its request timeouts.
            if (System.nanoTime() > deadline + Duration.ofSeconds(200).toNanos()) {
                throw new IllegalStateException("virtual users did not stop");
            }
            Thread.sleep(200);
        }
        result.seconds = (System.nanoTime() - start) / 1e9;
        result.appTicks = ProcFs.cpuTicks(appPid) - appBefore;
        result.sandboxTicks = ProcFs.cpuTicks(sandboxPid) - sandboxBefore;
        result.redisTicks = redisPid == 0 ? 0 : ProcFs.cpuTicks(redisPid) - redisBefore;
        result.maxRssMiB = Math.max(maxRss, ProcFs.rssMiB(appPid));
        return result;
    }

    /** What {@link #repeat} did: sign-ins completed, failures, the first failure (null: none). */
    record Count(long ok, long errors, String firstError) {
    }

    /**
     * {@code users} virtual users repeat the scenario until it has succeeded {@code total} times (the AOT cache's
     * training); they give up after {@code total} failures, so that a trainee that cannot sign in ends the bench.
     */
    static Count repeat(int users, int total, Scenario scenario) throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            Thread vu = new Thread(() -> {
                LoadBrowser browser = new LoadBrowser();
                // Up to users - 1 runs more than asked for: the ones in flight when the total is reached.
                while (ok.get() < total && errors.get() < total) {
                    try {
                        scenario.once(browser);
                        ok.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, String.valueOf(e));
                        browser = new LoadBrowser();
                    }
                }
            }, "trainer-" + i);
            threads.add(vu);
            vu.start();
        }
        for (Thread vu : threads) {
            vu.join();
        }
        return new Count(ok.get(), errors.get(), firstError.get());
    }

    /** One virtual user: a browser of its own repeats the scenario until the deadline; a failure costs it its browser. */
    private static void virtualUser(Scenario scenario, long deadline, LevelResult result) {
        LoadBrowser browser = new LoadBrowser();
        while (System.nanoTime() < deadline) {
            long t = System.nanoTime();
            try {
                scenario.once(browser);
                result.latenciesNanos.add(System.nanoTime() - t);
                result.ok.incrementAndGet();
            } catch (Exception e) {
                result.errors.incrementAndGet();
                if (result.errorSamples.size() < 3) {
                    result.errorSamples.add(String.valueOf(e));
                }
                browser = new LoadBrowser(); // a fresh browser after a failure
                try {
                    Thread.sleep(10);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }
}
