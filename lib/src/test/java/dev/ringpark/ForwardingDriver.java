package dev.ringpark;

import dev.ringpark.poller.CompletionReaper;
import dev.ringpark.poller.Driver;
import dev.ringpark.poller.Operation;

import java.io.IOException;

/** A driver that hands every call to another: the base of the test drivers that watch or bend one. */
abstract class ForwardingDriver implements Driver {
    final Driver delegate;

    ForwardingDriver(Driver delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String description() {
        return delegate.description();
    }

    @Override
    public int capacity() {
        return delegate.capacity();
    }

    @Override
    public long submit(Operation operation, long userData) {
        return delegate.submit(operation, userData);
    }

    @Override
    public boolean mayHaveReachedKernel(long ticket) {
        return delegate.mayHaveReachedKernel(ticket);
    }

    @Override
    public void await(boolean block, CompletionReaper reaper) throws IOException {
        delegate.await(block, reaper);
    }

    @Override
    public long kernelCalls() {
        return delegate.kernelCalls();
    }

    @Override
    public long kernelSubmissions() {
        return delegate.kernelSubmissions();
    }

    @Override
    public boolean timesOutInKernel() {
        return delegate.timesOutInKernel();
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
