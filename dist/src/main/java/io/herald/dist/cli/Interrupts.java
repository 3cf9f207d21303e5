package io.herald.dist.cli;

/**
 * How a long-running command (consume, produce, perf) learns that the user pressed Ctrl-C or the process got SIGTERM,
 * so that it can stop cleanly: commit offsets, flush records, print its summary. The real implementation uses JVM
 * shutdown hooks; tests use one they can trigger.
 *
 * <p>Thread-safety: implementations are thread-safe; the action runs on another thread than the command's.
 */
interface Interrupts {

    /**
     * Runs {@code action} when the process is interrupted, until the returned registration is closed. The process
     * exits when {@code action} returns, so the action should wait (boundedly) for the command to finish its work.
     */
    Registration onInterrupt(Runnable action);

    /** A registered interrupt action; closing it removes the action. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Interrupts as JVM shutdown hooks: Ctrl-C and SIGTERM run them before the JVM exits. */
    static Interrupts shutdownHooks() {
        return action -> {
            Thread hook = new Thread(action, "herald-cli-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            return () -> {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is running or ran: the process is exiting anyway.
                }
            };
        };
    }
}
