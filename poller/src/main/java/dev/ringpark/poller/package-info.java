/**
 * The poller: one platform thread that owns the kernel's completion mechanism, and the hand-off
 * through which any thread gives it an {@link dev.ringpark.poller.Operation} and parks until the
 * operation completes.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li><em>Callers</em>: any thread, usually virtual. They create an operation, hand it over with
 *       {@link dev.ringpark.poller.Poller#execute} and park in it.</li>
 *   <li><em>The poller</em>: one daemon platform thread, {@code ringpark-poller}. It alone touches
 *       the driver (the ring, or the AIO context), the {@link dev.ringpark.poller.SlotTable} and
 *       every field of an operation documented as "poller only".</li>
 *   <li><em>Pool workers</em>, {@code ringpark-io-N}: platform threads of the {@code threads} and
 *       {@code aio} drivers that make blocking system calls and hand results back to the poller
 *       (queue, then signal: see {@code BlockingCallPool}).</li>
 * </ul>
 *
 * <h2>Memory-ordering vocabulary</h2>
 * <ul>
 *   <li><em>Publish</em>: a caller's plain writes to an operation happen-before the poller reads them,
 *       because the caller pushes the operation with a CAS on the queue head that the poller's
 *       {@code getAndSet} of the same head reads.</li>
 *   <li><em>Complete</em>: the poller writes an operation's result with a plain store, then
 *       stores its state with a <em>volatile</em> store; the caller <em>acquires</em> the state
 *       before reading the result. {@code LockSupport.unpark} follows the store, so a caller that
 *       parks after it has a permit and one that parks before it is woken. A release would order the
 *       result but not keep the state from becoming visible after unpark's own read of the permit,
 *       which for a virtual thread holding a stale permit is all unpark does (see
 *       {@code Operation.publishDone}).</li>
 *   <li><em>Sleep</em>: the poller swaps an empty queue head for a sleeping marker with a CAS before
 *       it blocks (in the kernel, or parked, by driver); a caller whose CAS replaced that marker wakes it. Both act on the
 *       same word, so either the poller sees the caller's operation or the caller sees the marker.</li>
 *   <li><em>Close</em>: a file handle's in-flight count and closing bit share one word, so no
 *       operation enters after close has begun and close sees every one that entered before.</li>
 * </ul>
 */
package dev.ringpark.poller;
