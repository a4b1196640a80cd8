/**
 * Everything in Ringpark that touches the kernel: system-call bindings, the kernel's struct layouts,
 * the io_uring rings, the poller thread and the hand-off that parks and unparks callers.
 *
 * <p>Nothing here is public API. The seam to {@code dev.ringpark} is the protocol package (operations,
 * the poller, file handles, the calls made on the caller) and the driver ladder; the bindings
 * ({@code linux}) and the drivers are exported to nobody.
 */
@SuppressWarnings("module") // the friend modules are compiled after this one
module dev.ringpark.poller {
    exports dev.ringpark.poller to dev.ringpark;
    exports dev.ringpark.poller.ladder to dev.ringpark;
}
