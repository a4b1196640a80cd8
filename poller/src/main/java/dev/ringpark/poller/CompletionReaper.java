package dev.ringpark.poller;

/** Receives each completion as the poller reaps it. */
@FunctionalInterface
public interface CompletionReaper {
    /**
     * @param userData the {@code user_data} of the submission that completed
     * @param result   what the system call would have returned, or {@code -errno}
     */
    void reap(long userData, int result);
}
