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
 *   <li>SQ head: the kernel {@code smp_store_release}s the head after it has read the SQEs; the poller
 *       <em>acquires</em> it before reusing an entry.</li>
 *   <li>CQ tail: the kernel writes CQEs, then {@code smp_store_release}s the tail; the poller
 *       <em>acquires</em> the tail before reading CQEs.</li>
 *   <li>CQ head: the poller reads CQEs, then <em>releases</em> the head. The kernel reads it with
 *       {@code READ_ONCE} and writes an entry only when the head leaves room: a control dependency,
 *       not an acquire, orders its store after the load, and our release keeps our reads before it.</li>
 *   <li>SQ flags: changed by the kernel with {@code atomic_or}/{@code atomic_andnot}, which order
 *       nothing; read <em>opaque</em> (liburing's {@code READ_ONCE}). The flag is a hint: the poller's
 *       every {@code GETEVENTS} enter flushes overflowed completions anyway.</li>
 *   <li>Words written once at setup (ring masks and sizes) and words only the poller writes (the SQ
 *       tail, the CQ head, the SQ index array) are read or written plainly where no other party can
 *       be writing them; each place says so.</li>
 * </ul>
 * Only the poller thread touches a ring ({@code IORING_SETUP_SINGLE_ISSUER} enforces it), so
 * nothing here is thread-safe and nothing needs to be.
 */
package dev.ringpark.poller.uring;
