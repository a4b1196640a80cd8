package dev.ringpark.poller;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NativeBufferPoolTest {
    @Test
    void buffersComeInPowersOfTwoAndPagesAreAligned() {
        NativeBufferPool pool = new NativeBufferPool();
        MemorySegment small = pool.acquire(1);
        MemorySegment page = pool.acquire(4000);
        MemorySegment large = pool.acquire(NativeBufferPool.MAX_BUFFER_BYTES);
        assertEquals(NativeBufferPool.MIN_BUFFER_BYTES, small.byteSize());
        assertEquals(4096, page.byteSize());
        assertEquals(0, page.address() % 4096);
        assertEquals(0, large.address() % 4096);
        pool.release(small);
        pool.release(page);
        pool.release(large);
    }

    @Test
    void aReleasedBufferIsReused() {
        NativeBufferPool pool = new NativeBufferPool();
        MemorySegment first = pool.acquire(4096);
        pool.release(first);
        assertEquals(first.address(), pool.acquire(4096).address());
    }

    @Test
    void aRetiredBufferIsNeverHandedOutAgain() {
        NativeBufferPool pool = new NativeBufferPool();
        MemorySegment retired = pool.acquire(4096);
        pool.retire(retired);
        for (int i = 0; i < 64; i++) {
            assertNotEquals(retired.address(), pool.acquire(4096).address());
        }
        assertEquals(4096, pool.retiredBytes());
    }

    @Test
    void aLargerBufferIsItsOwnWholePagesAndIsFreedOnRelease() {
        NativeBufferPool pool = new NativeBufferPool();
        MemorySegment large = pool.acquire(NativeBufferPool.MAX_BUFFER_BYTES + 1L);
        assertEquals(NativeBufferPool.MAX_BUFFER_BYTES + 4096L, large.byteSize());
        assertEquals(0, large.address() % 4096);
        assertEquals(large.byteSize(), pool.allocatedBytes());
        pool.release(large);
        assertEquals(0, pool.allocatedBytes(), "not kept in the pool");
    }

    @Test
    void negativeSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new NativeBufferPool().acquire(-1));
    }

    @Test
    void allocatedBytesReturnToTheStartOnceThePoolOverflows() {
        NativeBufferPool pool = new NativeBufferPool();
        MemorySegment[] buffers = new MemorySegment[300];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = pool.acquire(NativeBufferPool.MAX_BUFFER_BYTES);
        }
        assertEquals(300L * NativeBufferPool.MAX_BUFFER_BYTES, pool.allocatedBytes());
        for (MemorySegment buffer : buffers) {
            pool.release(buffer);
        }
        assertEquals(16L * NativeBufferPool.MAX_BUFFER_BYTES, pool.allocatedBytes(), "only what the pool keeps");
    }
}
