package dev.ringpark.jcstress;

import dev.ringpark.poller.ladder.DriverLadder;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated jcstress test drives a real poller on {@link #value()}: where the kernel refuses that
 * driver, {@link JcstressSuite} leaves the test out of the run and says why, rather than let every
 * one of its calls fail.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface NeedsDriver {
    /** The driver. */
    DriverLadder.Rung value();
}
