/**
 * The io_uring instance: its setup, the memory it shares with the kernel, and the submission and
 * completion queues over that memory.
 *
 * <h2>Memory ordering</h2>
 * The kernel and the poller thread share two ring buffers. Every access to a word the kernel also
 * touches goes through {@link dev.ringpark.poller.uring.RingMemory}, with the ordering liburing's
 * {@code barrier.h} uses:
 * <ul>
 *   <li>SQ tail: the poller fills SQEs with plain stores, then <em>releases</em> the tail; the kernel
 *       reads the tail with {@code smp_load_acquire}, so it sees the filled SQEs.</li>
 *   <li>SQ head: the kernel releases the head after it has read the SQEs; the poller <em>acquires</em>
 *       it before reusing an entry.</li>
 *   <li>CQ tail: the kernel writes CQEs, then releases the tail; the poller <em>acquires</em> the tail
 *       before reading CQEs.</li>
 *   <li>CQ head: the poller reads CQEs, then <em>releases</em> the head; the kernel acquires it before
 *       overwriting an entry.</li>
 *   <li>SQ flags: set atomically by the kernel; read with acquire.</li>
 * </ul>
 * Only the poller thread touches a ring ({@code IORING_SETUP_SINGLE_ISSUER} enforces it), so
 * nothing here is thread-safe and nothing needs to be.
 */
package dev.ringpark.poller.uring;
