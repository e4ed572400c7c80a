package io.paylink.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real process faults for tests: freeze, thaw and kill a process (a redis-server) by its pid. */
public final class Signals {

    private Signals() {
    }

    /** SIGSTOP: the process keeps its sockets open but answers nothing, like a hung server. */
    public static void freeze(long pid) {
        signal("STOP", pid, true);
    }

    public static void thaw(long pid) {
        signal("CONT", pid, false);
    }

    /** SIGKILL, and waits until the process is gone: whatever it had not written is lost. */
    public static void kill(long pid) {
        try {
            if (new ProcessBuilder("kill", "-KILL", String.valueOf(pid)).inheritIO().start().waitFor() != 0) {
                throw new IllegalStateException("kill -KILL " + pid + " failed");
            }
            ProcessHandle.of(pid).ifPresent(process -> process.onExit().join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends the signal and waits until the process is in the state it asks for (stopped or running). */
    private static void signal(String signal, long pid, boolean wantStopped) {
        try {
            if (new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start().waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
            // /proc/<pid>/stat: "pid (comm) state ..."; T is stopped
            while (Files.readString(Path.of("/proc/" + pid + "/stat")).replaceFirst("^.*\\) ", "").startsWith("T") != wantStopped) {
                Thread.sleep(10);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
