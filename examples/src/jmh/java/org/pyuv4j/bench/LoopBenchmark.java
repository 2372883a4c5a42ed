package org.pyuv4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
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
public class LoopBenchmark extends Fixture {
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
