package org.pyuv4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.pyuv4j.HandleCallback;
import org.pyuv4j.RunMode;
import org.pyuv4j.Timer;

/**
 * The loop itself: one NOWAIT iteration and timer ticks.
 *
 * <ul>
 *   <li>{@code loopIteration}: one task run by one NOWAIT iteration (all phases plus one
 *       non-blocking epoll_wait/select): the fixed cost the batched benchmarks amortise;</li>
 *   <li>{@code timerTick}: one timer started with timeout 0 and fired by one NOWAIT iteration;</li>
 *   <li>{@code timers}: {@link Fixture#BATCH} timers fired by one iteration (time per timer);</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+UseParallelGC"})
@State(Scope.Thread)
public class LoopBenchmark extends Fixture {
    @Param({"epoll", "nio"})
    public String transport;

    private Timer timer;
    private Timer[] timers;
    private final HandleCallback<Timer> timerCb = t -> events++;
    private final Runnable nothing = () -> { };

    @Setup(Level.Trial)
    public void setUp() {
        open(transport);
        timer = new Timer(loop);
        timers = new Timer[BATCH];
        for (int i = 0; i < BATCH; i++) {
            timers[i] = new Timer(loop);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        timer.close();
        for (Timer t : timers) {
            t.close();
        }
        close();
    }

    @Benchmark
    public long loopIteration() {
        io.execute(nothing);
        loop.run(RunMode.NOWAIT);
        return events;
    }

    @Benchmark
    public long timerTick() {
        timer.start(timerCb, 0, 0);
        loop.run(RunMode.NOWAIT);
        return events;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long timers() {
        for (Timer t : timers) {
            t.start(timerCb, 0, 0);
        }
        loop.run(RunMode.NOWAIT);
        return events;
    }
}
