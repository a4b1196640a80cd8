package dev.ringpark.poller;

import java.lang.foreign.MemorySegment;

/** Whether this module may call native code at all, asked before anything binds a downcall. */
public final class NativeAccess {
    private NativeAccess() {
    }

    /**
     * Why native access is denied to this module ({@code --illegal-native-access=deny} without
     * {@code --enable-native-access} for it), or {@code null} when it is allowed (or allowed with a
     * warning, the JDK's default).
     */
    @SuppressWarnings("restricted") // the probe: a restricted call that touches no memory
    public static String denial() {
        try {
            MemorySegment.NULL.reinterpret(0);
            return null;
        } catch (IllegalCallerException e) {
            Module module = NativeAccess.class.getModule();
            return "native access is denied to " + (module.isNamed() ? module.getName() : "the class path")
                    + " (--illegal-native-access=deny without --enable-native-access="
                    + (module.isNamed() ? module.getName() : "ALL-UNNAMED") + ")";
        }
    }
}
