package org.asynctask.exporter.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class whose exporters, in child JVMs, need the machine's cores to keep their pace, or that takes
 * them from the others: the build runs these alone, one at a time, after the others (the failsafe
 * execution {@code cpu-heavy-alone} in the pom). Three group members beside a kill test's exactly-once
 * exporter made it fall behind the present for good (CI: "not caught up within 40 s"), and the same three
 * beside ArchiveIT held one of its partitions 26 s behind on the two cores; a deployment does not run four
 * exporters and two brokers on two cores.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(CpuHeavy.TAG)
public @interface CpuHeavy {
    /** The JUnit tag the pom selects these classes by. */
    String TAG = "cpu-heavy";
}
