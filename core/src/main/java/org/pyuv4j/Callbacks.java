package org.pyuv4j;

import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a loop's user callbacks: every exception a callback throws goes to the loop's excepthook and the
 * loop goes on; the depth tells the loop whether an event raised by an API call made inside a callback
 * must wait (callbacks never run from inside the call that caused them). One method per callback
 * shape, so that the hot path (read callbacks) allocates nothing.
 */
final class Callbacks {
    private static final Logger LOG = LoggerFactory.getLogger(Loop.class);

    private final Loop loop;
    /** How many callbacks are running (nested through API calls that run nothing synchronously: 0 or 1). */
    int depth;

    Callbacks(Loop loop) {
        this.loop = loop;
    }

    <H extends Handle<H>> void invoke(HandleCallback<H> cb, H h) {
        depth++;
        try {
            cb.call(h);
        } catch (Throwable t) {
            callbackFailed(t);
        } finally {
            depth--;
        }
    }

    <H extends Handle<H>> void invoke(StatusCallback<H> cb, H h, Integer error) {
        depth++;
        try {
            cb.call(h, error);
        } catch (Throwable t) {
            callbackFailed(t);
        } finally {
            depth--;
        }
    }

    <H extends Handle<H>> void invoke(ReadCallback<H> cb, H h, byte[] data, Integer error) {
        depth++;
        try {
            cb.call(h, data, error);
        } catch (Throwable t) {
            callbackFailed(t);
        } finally {
            depth--;
        }
    }

    <H extends Handle<H>> void invoke(BufReadCallback<H> cb, H h, ByteBuf data, Integer error) {
        depth++;
        try {
            cb.call(h, data, error);
        } catch (Throwable t) {
            callbackFailed(t);
        } finally {
            depth--;
        }
    }

    <H extends Handle<H>> void invoke(MessageCallback<H> cb, H h, Object message, Integer error) {
        depth++;
        try {
            cb.call(h, message, error);
        } catch (Throwable t) {
            callbackFailed(t);
        } finally {
            depth--;
        }
    }

    /** An exception that no callback threw but that the user must see (a Netty handler's): the excepthook. */
    void failed(Throwable error) {
        callbackFailed(error);
    }

    void invoke(Runnable task) {
        depth++;
        try {
            task.run();
        } catch (Throwable t) {
            callbackFailed(t);
        } finally {
            depth--;
        }
    }

    private void callbackFailed(Throwable error) {
        try {
            loop.excepthook(error);
        } catch (Throwable hookError) {
            LOG.error("Unhandled exception in excepthook", hookError);
            LOG.error("Unhandled exception in callback", error);
        }
    }
}
