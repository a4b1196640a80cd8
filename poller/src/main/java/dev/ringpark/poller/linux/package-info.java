/**
 * Bindings to Linux system calls through {@link java.lang.foreign} and the layouts of the kernel
 * structs they exchange.
 *
 * <p>Conventions, after liburing: every wrapper returns the system call's result when it succeeds
 * and {@code -errno} when it fails, never throws for a kernel error and never sets global state.
 * Turning {@code -errno} into an exception is the caller's business ({@link
 * dev.ringpark.poller.Errno} names the codes). A wrapper that captures {@code errno} takes a
 * {@code callState} segment of at least {@link dev.ringpark.poller.linux.LibC#CALL_STATE_BYTES}
 * bytes, used by one call at a time.
 *
 * <p>One class per kernel struct owns that struct's offsets; nothing else spells them.
 */
package dev.ringpark.poller.linux;
