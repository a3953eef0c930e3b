package pot.login.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** What {@code users} virtual users did in one timed run: sign-ins, errors, latencies, the CPU the processes spent. */
final class LevelResult {
    final int users;
    final AtomicLong ok = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final ConcurrentLinkedQueue<Long> latenciesNanos = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
    double seconds;
    long appTicks;
    long sandboxTicks;
    /** The redis-server's CPU over the run; 0 when the target uses no Redis. */
    long redisTicks;
    double maxRssMiB;
    private List<Long> sorted;

    LevelResult(int users) {
        this.users = users;
    }

    double perSecond() {
        return ok.get() / seconds;
    }

    double appCpuMsPerOp() {
        return ok.get() == 0 ? Double.NaN : appTicks * 1000.0 / ProcFs.CLK_TCK / ok.get();
    }

    double sandboxCpuMsPerOp() {
        return ok.get() == 0 ? Double.NaN : sandboxTicks * 1000.0 / ProcFs.CLK_TCK / ok.get();
    }

    double redisCpuMsPerOp() {
        return ok.get() == 0 ? Double.NaN : redisTicks * 1000.0 / ProcFs.CLK_TCK / ok.get();
    }

    double percentileMs(int p) {
        if (sorted == null) {
            sorted = new ArrayList<>(latenciesNanos);
            Collections.sort(sorted);
        }
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
    }

    String summary() {
        return String.format(Locale.ROOT,
                "%d users: %d ok (%.1f/s), %d errors, p50 %.1f ms, p99 %.1f ms, app CPU %.2f ms/op, "
                        + "sandbox CPU %.2f ms/op,%s max RSS %.1f MiB%s",
                users, ok.get(), perSecond(), errors.get(), percentileMs(50), percentileMs(99), appCpuMsPerOp(),
                sandboxCpuMsPerOp(),
                redisTicks == 0 ? "" : String.format(Locale.ROOT, " redis CPU %.3f ms/op,", redisCpuMsPerOp()),
                maxRssMiB,
                errorSamples.isEmpty() ? "" : "; first errors: " + List.copyOf(errorSamples));
    }
}
