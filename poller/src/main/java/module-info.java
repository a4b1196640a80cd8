/**
 * Everything in Ringpark that touches the kernel: system-call bindings, the kernel's struct layouts,
 * the io_uring rings, the poller thread and the hand-off that parks and unparks callers.
 *
 * <p>Nothing here is public API: the packages are exported to the {@code dev.ringpark} module only.
 */
@SuppressWarnings("module") // the friend modules are compiled after this one
module dev.ringpark.poller {
    exports dev.ringpark.poller to dev.ringpark;
    exports dev.ringpark.poller.linux to dev.ringpark;
}
