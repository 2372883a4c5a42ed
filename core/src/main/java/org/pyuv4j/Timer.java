package org.pyuv4j;

import java.util.Objects;
import org.pyuv4j.error.HandleError;
import org.pyuv4j.error.TimerError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A timer ({@code pyuv.Timer}): calls its callback once after a timeout, then every {@code repeat}
 * seconds if {@code repeat} is not zero. Times are seconds as doubles, kept in whole milliseconds
 * (libuv's resolution) and measured against the loop's cached {@link Loop#now()}. Timers due in the
 * same iteration fire in due-time order, ties in start order.
 */
public final class Timer extends Handle<Timer> {
    private static final Logger LOG = LoggerFactory.getLogger(Timer.class);
    private static final String NEGATIVE = "a positive value or zero is required";

    private HandleCallback<Timer> callback;
    private long repeatMs;
    long due;
    long startId;
    int heapIndex = -1;

    /**
     * Creates a stopped timer on {@code loop}.
     *
     * @param loop the loop
     */
    public Timer(Loop loop) {
        super(loop);
    }

    /**
     * Starts (or restarts) the timer.
     *
     * @param callback       called with the timer when it fires
     * @param timeoutSeconds delay before the first call; {@code 0 < t < 0.001} is raised to 1 ms (with a warning)
     * @param repeatSeconds  interval between later calls, 0 for none
     * @throws IllegalArgumentException "a positive value or zero is required" for a negative or NaN time
     * @throws org.pyuv4j.error.HandleClosedError if the timer is closed
     */
    public void start(HandleCallback<Timer> callback, double timeoutSeconds, double repeatSeconds) {
        loop.checkThread();
        checkNotClosed();
        Objects.requireNonNull(callback, "callback");
        long timeout = toMillis(timeoutSeconds, "timeout");
        long repeat = toMillis(repeatSeconds, "repeat");
        this.callback = callback;
        schedule(timeout, repeat);
    }

    private static long toMillis(double seconds, String what) {
        if (!(seconds >= 0.0)) {
            throw new IllegalArgumentException(NEGATIVE);
        }
        if (seconds > 0.0 && seconds < 0.001) {
            LOG.warn("timers don't have sub-millisecond accuracy, setting {} to 1ms", what);
            return 1;
        }
        double ms = seconds * 1000.0;
        return ms >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) ms;
    }

    /** libuv uv_timer_start. */
    private void schedule(long timeoutMs, long repeat) {
        if (active()) {
            unschedule();
        }
        long dueAt = loop.time() + timeoutMs;
        this.due = dueAt < timeoutMs ? Long.MAX_VALUE : dueAt;
        this.repeatMs = repeat;
        this.startId = loop.timerCounter++;
        loop.timers.add(this);
        activate();
    }

    private void unschedule() {
        if (active()) {
            loop.timers.remove(this);
            deactivate();
        }
    }

    /**
     * Stops the timer; does nothing if it is not started.
     *
     * @throws org.pyuv4j.error.HandleClosedError if the timer is closed
     */
    public void stop() {
        loop.checkThread();
        checkNotClosed();
        unschedule();
    }

    /**
     * Restarts a repeating timer with its repeat interval as the timeout (libuv {@code uv_timer_again});
     * does nothing for a timer with no repeat.
     *
     * @throws TimerError {@code UV_EINVAL} if the timer was never started
     * @throws org.pyuv4j.error.HandleClosedError if the timer is closed
     */
    public void again() {
        loop.checkThread();
        checkNotClosed();
        if (callback == null) {
            throw new TimerError(Errno.UV_EINVAL);
        }
        if (repeatMs != 0) {
            schedule(repeatMs, repeatMs);
        }
    }

    /**
     * {@return the repeat interval in seconds}
     */
    public double getRepeat() {
        loop.checkThread();
        return repeatMs / 1000.0;
    }

    /**
     * Sets the repeat interval; it takes effect the next time the timer fires or is restarted.
     *
     * @param seconds the interval, 0 for none
     * @throws IllegalArgumentException for a negative or NaN value
     */
    public void setRepeat(double seconds) {
        loop.checkThread();
        if (!(seconds >= 0.0)) {
            throw new IllegalArgumentException("a positive float or 0.0 is required");
        }
        double ms = seconds * 1000.0;
        repeatMs = ms >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) ms;
    }

    /** Called by the loop's timer phase when due: stop, re-arm if repeating, then call back (libuv order). */
    void expire() {
        unschedule();
        if (repeatMs != 0) {
            schedule(repeatMs, repeatMs);
        }
        loop.callbacks.invoke(callback, this);
    }

    @Override
    void onClose() {
        unschedule();
    }

    @Override
    HandleError error(int errno, String detail) {
        return new TimerError(errno, detail);
    }
}
