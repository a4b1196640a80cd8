package dev.ringpark;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.Watchable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The platform's watch service, handing out keys whose {@link WatchKey#watchable()} is the
 * {@link RingPath} that was registered and whose events' contexts are Ringpark paths.
 *
 * <p>{@link #take()} and {@link #poll()} return the very key object that {@code register} returned
 * (programs keep maps from keys to directories): each platform key has one wrapper, kept until the
 * key is cancelled or found invalid, or the service closes.
 */
final class RingWatchService implements WatchService {
    private final RingFileSystem fileSystem;
    private final WatchService platform;
    private final ConcurrentHashMap<WatchKey, Key> keys = new ConcurrentHashMap<>();

    RingWatchService(RingFileSystem fileSystem, WatchService platform) {
        this.fileSystem = fileSystem;
        this.platform = platform;
    }

    /** Registers {@code directory} with the platform's service; see {@link Path#register}. */
    WatchKey register(RingPath directory, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers)
            throws IOException {
        WatchKey key = directory.platformPath().register(platform, events, modifiers);
        return keys.computeIfAbsent(key, registered -> new Key(this, registered, directory));
    }

    @Override
    public void close() throws IOException {
        platform.close();
        keys.clear();
    }

    @Override
    public WatchKey poll() {
        return wrap(platform.poll());
    }

    @Override
    public WatchKey poll(long timeout, TimeUnit unit) throws InterruptedException {
        return wrap(platform.poll(timeout, unit));
    }

    @Override
    public WatchKey take() throws InterruptedException {
        return wrap(platform.take());
    }

    private WatchKey wrap(WatchKey key) {
        if (key == null) {
            return null;
        }
        Key wrapped = keys.computeIfAbsent(key, signalled -> new Key(this, signalled, watchable(signalled)));
        if (!key.isValid()) {
            keys.remove(key); // the program sees it invalid now and lets go of it too
        }
        return wrapped;
    }

    private Watchable watchable(WatchKey key) {
        return key.watchable() instanceof Path path ? fileSystem.wrap(path) : key.watchable();
    }

    /** A platform key seen through Ringpark's paths. */
    private static final class Key implements WatchKey {
        private final RingWatchService service;
        private final WatchKey platform;
        private final Watchable watchable;

        Key(RingWatchService service, WatchKey platform, Watchable watchable) {
            this.service = service;
            this.platform = platform;
            this.watchable = watchable;
        }

        @Override
        public boolean isValid() {
            return platform.isValid();
        }

        @Override
        public List<WatchEvent<?>> pollEvents() {
            List<WatchEvent<?>> events = platform.pollEvents();
            List<WatchEvent<?>> wrapped = new ArrayList<>(events.size());
            for (WatchEvent<?> event : events) {
                wrapped.add(wrap(event, service.fileSystem));
            }
            return wrapped;
        }

        /** The event with its context, when a path, as a Ringpark path. */
        private static <T> WatchEvent<T> wrap(WatchEvent<T> event, RingFileSystem fileSystem) {
            if (event.context() instanceof Path path) {
                @SuppressWarnings("unchecked") // a Ringpark path is a Path, which is what a path event's T is
                T context = (T) fileSystem.wrap(path);
                return new Event<>(event.kind(), event.count(), context);
            }
            return event;
        }

        @Override
        public boolean reset() {
            return platform.reset();
        }

        @Override
        public void cancel() {
            platform.cancel();
            service.keys.remove(platform);
        }

        @Override
        public Watchable watchable() {
            return watchable;
        }

        @Override
        public String toString() {
            return platform.toString();
        }
    }

    /** A platform event with a Ringpark path as its context. */
    private record Event<T>(Kind<T> kind, int count, T context) implements WatchEvent<T> {
    }
}
