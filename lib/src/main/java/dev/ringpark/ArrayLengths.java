package dev.ringpark;

/** How the JDK grows an array it reads into ({@code jdk.internal.util.ArraysSupport.newLength}), with its error. */
final class ArrayLengths {
    /** The JDK's soft limit of array lengths: some VMs keep header words in an array. */
    static final int SOFT_MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private ArrayLengths() {
    }

    /**
     * The new length of an array of {@code oldLength} that must grow by {@code minGrowth} and would
     * rather grow by {@code prefGrowth}: at most the soft limit unless the minimum needs more.
     *
     * @throws OutOfMemoryError when the minimum overflows an int, with the JDK's message
     */
    static int grown(int oldLength, int minGrowth, int prefGrowth) {
        int prefLength = oldLength + Math.max(minGrowth, prefGrowth); // may overflow
        if (0 < prefLength && prefLength <= SOFT_MAX_ARRAY_LENGTH) {
            return prefLength;
        }
        int minLength = oldLength + minGrowth;
        if (minLength < 0) {
            throw new OutOfMemoryError("Required array length " + oldLength + " + " + minGrowth + " is too large");
        }
        return Math.max(minLength, SOFT_MAX_ARRAY_LENGTH);
    }
}
