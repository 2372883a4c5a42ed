package org.pyuv4j;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.Mapping;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.function.IntSupplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.pyuv4j.internal.ErrnoMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS on a connected {@link TCP} handle ({@code TCP.startTls}, docs/TLS.md): Netty's {@link SslHandler}
 * (or {@link SniHandler}, which becomes one) at the front of the channel's pipeline, and a small handler
 * right behind it that turns the TLS layer's events into pyuv's: the handshake's one callback, EOF at the
 * peer's close_notify, errnos for failures. Everything above it (the user's handlers, pyuv4j's reader and
 * write queue) sees plaintext.
 *
 * <p><b>No byte is lost or misrouted at the upgrade.</b> Every byte read from the socket enters the
 * pipeline at its head, so what Netty reads after {@code startTls} goes through TLS. Bytes read before
 * it reached pyuv4j's handler as plaintext: those already given to a read callback are the user's (the
 * tail of a chunk that belongs to TLS is handed back with {@code TCP.unread} first); those parked by the
 * reader and not delivered yet (the stream was not reading, or they arrived inside a callback) are taken
 * out of the reader and fed to TLS, in order, before anything else. All of it runs on the loop thread,
 * so no read can come in between.
 *
 * <p>While the handshake runs the socket is read whatever the read callbacks want (the handshake needs
 * the peer's messages); application data decrypted meanwhile waits in the reader as any read does.
 * Writes wait inside the {@link SslHandler} until the handshake is done and go out in order; a shutdown
 * waits for the handshake, then sends close_notify, then the FIN. A failed handshake is like a failed
 * connect: the callback gets the errno, writes made while it ran get {@code UV_ECANCELED} after it, a
 * reading callback gets the errno, a pending shutdown waits for {@code close()}; the socket is closed.
 */
final class TcpTls {
    /** Names in the pipeline: the TLS handler (the {@link SniHandler} then the {@link SslHandler}) and ours. */
    static final String HANDLER = "pyuv4j-tls";
    static final String EVENTS = "pyuv4j-tls-events";
    private static final Logger LOG = LoggerFactory.getLogger(TCP.class);

    private static final int HANDSHAKING = 0;
    private static final int DONE = 1;
    private static final int FAILED = 2;

    private final TCP tcp;
    private final Loop loop;
    private final long timeoutMillis;
    private int state = HANDSHAKING;
    /** The handshake's callback, until it has run. */
    private StatusCallback<TCP> callback;
    /** Null until SNI has chosen a context (SNI server), then the handler. */
    private SslHandler ssl;
    private SSLSession session;
    private String applicationProtocol;
    private Throwable failure;

    private TcpTls(TCP tcp, StatusCallback<TCP> callback) {
        this.tcp = tcp;
        this.loop = tcp.loop;
        this.callback = callback;
        this.timeoutMillis = tcp.tlsHandshakeTimeoutMillis;
    }

    // ================================================================= start

    /** {@code TCP.startTls}: {@code context} for a client or server, or {@code sni} for an SNI server. */
    static void start(TCP tcp, SslContext context, String serverName,
                      Mapping<? super String, ? extends SslContext> sni, StatusCallback<TCP> callback) {
        check(tcp);
        Channel ch = tcp.channel;
        TcpTls tls = new TcpTls(tcp, callback);
        ChannelHandler handler;
        if (sni != null) {
            handler = tls.new Sni(sni);
        } else {
            SslHandler h;
            if (context.isClient()) {
                // The peer host: SNI (for a name) and the name Netty's default "HTTPS" endpoint
                // identification checks the certificate against; without a server name, the peer's address.
                InetSocketAddress peer = (InetSocketAddress) ch.remoteAddress();
                String host = serverName != null ? serverName : peer.getAddress().getHostAddress();
                h = context.newHandler(ch.alloc(), host, peer.getPort());
            } else {
                h = context.newHandler(ch.alloc());
            }
            h.setHandshakeTimeoutMillis(tls.timeoutMillis);
            tls.ssl = h;
            handler = h;
        }
        tcp.tls = tls;
        tcp.loop.activeReqs++;
        // What was read and not delivered belongs to TLS; plaintext written before goes out first.
        List<ByteBuf> early = tcp.reader.takeParkedBytes();
        tcp.writes.flushPending();
        ChannelPipeline p = ch.pipeline();
        String head = PipelineView.headAnchor(p);
        if (head == null) {
            p.addFirst(HANDLER, handler); // a client's SslHandler sends its ClientHello here
        } else {
            p.addAfter(head, HANDLER, handler); // behind the transport's head handlers (Transport.HEAD_HANDLER_PREFIX)
        }
        p.addAfter(HANDLER, EVENTS, tls.events);
        if (tcp.reader.ended()) {
            // The peer's EOF (or an error) was read already: the handshake cannot get its answer.
            early.forEach(ByteBuf::release);
            tls.failed(Errno.UV_ECONNRESET, new SSLHandshakeException("the peer closed before the TLS handshake"));
            return;
        }
        ch.config().setAutoRead(true); // the handshake reads, whatever the read callbacks want
        if (!early.isEmpty()) {
            for (ByteBuf b : early) {
                p.fireChannelRead(b);
            }
            p.fireChannelReadComplete();
        }
    }

    private static void check(TCP tcp) {
        if (tcp.tls != null) {
            throw tcp.error(Errno.UV_EALREADY, "TLS was already started on this handle");
        }
        if (tcp.listening || tcp.channel instanceof io.netty.channel.ServerChannel) {
            throw tcp.error(Errno.UV_EINVAL, "a listening handle: start TLS on each accepted handle");
        }
        if (tcp.channel == null || !tcp.connected || tcp.connecting() || !tcp.channel.isActive()) {
            throw tcp.error(Errno.UV_ENOTCONN, "TLS starts on a connected stream");
        }
        if (tcp.writes.shutDown || tcp.writes.shutdownRequested()) {
            throw tcp.error(Errno.UV_EPIPE, "the write side is shut down");
        }
    }

    // ================================================================= state, for TCP and the stream's parts

    /** The handshake has not finished: the socket must be read, a shutdown must wait. */
    boolean handshaking() {
        return state == HANDSHAKING;
    }

    /** A shutdown waits while the handshake runs, and for close() after it failed (as after a failed connect). */
    boolean blocksShutdown() {
        return state != DONE;
    }

    SSLSession session() {
        return session;
    }

    String applicationProtocol() {
        return applicationProtocol;
    }

    Throwable failure() {
        return failure;
    }

    /**
     * The write side's shutdown: close_notify once the queued writes are written (the caller checked),
     * then {@code socketShutdown} (the FIN).
     *
     * @return 0 or an errno, as the plain shutdown
     */
    int shutdownOutput(IntSupplier socketShutdown) {
        ChannelFuture f = ssl.closeOutbound();
        if (f.isDone()) {
            // An engine already closed (OpenSSL's answers the peer's close_notify with its own) has sent it.
            return f.isSuccess() || closedByTls(f.cause()) ? socketShutdown.getAsInt() : ErrnoMapper.errno(f.cause());
        }
        // close_notify is still in Netty's outbound buffer: the FIN follows it.
        f.addListener(done -> {
            if (done.isSuccess() && !tcp.closing()) {
                socketShutdown.getAsInt();
            }
        });
        return 0;
    }

    /** The closing phase: a handshake still running reports {@code UV_ECANCELED}, before the writes. */
    void finishClose() {
        StatusCallback<TCP> cb = callback;
        if (cb != null) {
            callback = null;
            loop.activeReqs--;
            loop.callbacks.invoke(cb, tcp, Errno.UV_ECANCELED);
        }
    }

    // ================================================================= outcomes

    private void succeeded(SslHandler h) {
        if (state != HANDSHAKING) {
            return;
        }
        state = DONE;
        session = h.engine().getSession();
        applicationProtocol = h.applicationProtocol();
        if (!tcp.reader.reading) {
            tcp.channel.config().setAutoRead(false); // back to the read callbacks' wish
        }
        tcp.writes.afterConnect(); // a shutdown requested meanwhile goes on once the writes are out
        report(null);
    }

    private void failed(Throwable cause) {
        failed(errno(cause), cause);
    }

    private void failed(int errno, Throwable cause) {
        if (state != HANDSHAKING) {
            return;
        }
        state = FAILED;
        failure = cause;
        LOG.debug("TLS handshake failed on {} ({})", tcp.channel, Errno.errorcode(errno), cause);
        tcp.writes.cancelPending(); // writes made for the TLS stream: UV_ECANCELED, after the callback
        report(errno);
        tcp.reader.onEnd(errno);
        if (tcp.channel.isOpen()) {
            tcp.channel.close(); // SslHandler closes on its own failures; this covers ours (a FIN, SNI)
        }
    }

    /** A TLS error after the handshake (a bad record, a fatal alert): the read side ends with it. */
    private void streamFailed(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        LOG.debug("TLS failed on {}", tcp.channel, cause);
        tcp.reader.onEnd(Errno.UV_EPROTO);
    }

    private void report(Integer err) {
        if (loop.canCallNow()) {
            deliver(err);
        } else {
            loop.feed(() -> deliver(err));
        }
    }

    private void deliver(Integer err) {
        StatusCallback<TCP> cb = callback;
        if (cb == null || tcp.closing()) {
            return; // close() reports UV_ECANCELED
        }
        callback = null;
        loop.activeReqs--;
        loop.callbacks.invoke(cb, tcp, err);
    }

    /**
     * The errno of a TLS failure: {@code UV_ETIMEDOUT} for the handshake timeout, {@code UV_ECONNRESET}
     * when the connection closed or was reset during the handshake, {@code UV_EPROTO} for certificate
     * and protocol failures (any {@link SSLException}).
     */
    static int errno(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof SslHandshakeTimeoutException) {
                return Errno.UV_ETIMEDOUT;
            }
            if (c instanceof ClosedChannelException) {
                return Errno.UV_ECONNRESET;
            }
            if (c instanceof SSLException) {
                return Errno.UV_EPROTO;
            }
        }
        if (cause instanceof IOException) {
            int err = ErrnoMapper.errno(cause);
            return err == Errno.UV_EOF ? Errno.UV_ECONNRESET : err;
        }
        return Errno.UV_EPROTO;
    }

    /** A write the TLS layer failed (its engine closed): the stream's write side is gone. */
    static boolean closedByTls(Throwable cause) {
        return sslCause(cause) != null;
    }

    private static SSLException sslCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException s) {
                return s;
            }
        }
        return null;
    }

    // ================================================================= Netty's side

    private final Events events = new Events();

    /** Behind the TLS handler: its events become the handshake's outcome, EOF and read errors. */
    private final class Events extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (!tcp.closing()) {
                if (evt instanceof SslHandshakeCompletionEvent e) {
                    if (e.isSuccess()) {
                        succeeded(ssl != null ? ssl : ctx.pipeline().get(SslHandler.class));
                    } else {
                        failed(e.cause());
                    }
                } else if (evt instanceof SniCompletionEvent e && !e.isSuccess()) {
                    failed(e.cause());
                } else if (evt instanceof SslCloseCompletionEvent e && e.isSuccess() && state == DONE) {
                    tcp.reader.onEnd(Errno.UV_EOF); // the peer's close_notify
                } else if (evt == ChannelInputShutdownEvent.INSTANCE && state == HANDSHAKING) {
                    failed(Errno.UV_ECONNRESET, new SSLHandshakeException("the peer closed during the TLS handshake"));
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (tcp.closing()) {
                return;
            }
            SSLException ssl = sslCause(cause);
            if (ssl != null) {
                if (state == HANDSHAKING) {
                    failed(ssl);
                } else if (state == DONE) {
                    streamFailed(ssl);
                }
                return; // reported; not a handler's bug for the excepthook
            }
            if (state == HANDSHAKING) {
                failed(cause instanceof IOException ? errno(cause) : Errno.UV_EPROTO, cause);
                if (!(cause instanceof IOException)) {
                    return; // e.g. SNI found no context
                }
            }
            ctx.fireExceptionCaught(cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!tcp.closing() && state == HANDSHAKING) {
                failed(Errno.UV_ECONNRESET, new SSLHandshakeException("the connection closed during the TLS handshake"));
            }
            ctx.fireChannelInactive();
        }
    }

    /** Server-side SNI: the handshake timeout covers the wait for the ClientHello and the handshake after it. */
    private final class Sni extends SniHandler {
        Sni(Mapping<? super String, ? extends SslContext> mapping) {
            super(mapping, timeoutMillis);
        }

        @Override
        protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
            SslHandler h = super.newSslHandler(context, allocator);
            h.setHandshakeTimeoutMillis(timeoutMillis);
            ssl = h;
            return h;
        }
    }
}
