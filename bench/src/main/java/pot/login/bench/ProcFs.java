package pot.login.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU and memory accounting of a process, from Linux's /proc: what the process itself spent, not the driver's view. */
final class ProcFs {

    /** Clock ticks per second of /proc/PID/stat (bench/run passes {@code getconf CLK_TCK}). */
    static final int CLK_TCK = Integer.getInteger("bench.clkTck", 100);

    private ProcFs() {
    }

    /** utime + stime, fields 14 and 15 of /proc/PID/stat, in clock ticks. */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static double rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException gone) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
