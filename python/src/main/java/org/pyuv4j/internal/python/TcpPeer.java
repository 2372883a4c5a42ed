package org.pyuv4j.internal.python;

import io.netty.buffer.ByteBuf;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.Value;
import org.pyuv4j.Address;
import org.pyuv4j.BufReadCallback;
import org.pyuv4j.Loop;
import org.pyuv4j.StatusCallback;
import org.pyuv4j.TCP;

/**
 * The Java half of a Python {@code pyuv.TCP}: every call takes and returns plain values (ints,
 * strings, Java byte arrays), so that one Python call is one interop call. Not API.
 *
 * <p>Bytes cross once per direction. Writes: Python hands over the backing array of its
 * {@code bytes}/{@code bytearray} ({@code polyglot.storage}), which the stream copies into its
 * direct buffer at once. Reads: the stream's read buffer (pyuv4j's slab, no copy so far) is copied
 * by {@link #fill(byte[])} straight into the backing array of a fresh Python {@code bytes}.
 */
public final class TcpPeer {
    /** The Java handle. */
    public final TCP tcp;
    private final Value onRead;
    private final Value onStatus;
    private final StatusCallback<TCP> connectionCallback;
    private final BufReadCallback<TCP> readCallback;
    private Value listenCb;
    private ByteBuf current;

    /**
     * @param loop     the loop
     * @param family   0 (AF_UNSPEC), 4 (AF_INET) or 6 (AF_INET6)
     * @param onRead   Python {@code _on_read(n)}: n &gt; 0 bytes are ready for {@link #fill}, n &lt; 0 is an errno
     * @param onStatus Python {@code _on_status(cb, error)}: runs {@code cb(handle, error)} under the excepthook rules
     */
    public TcpPeer(Loop loop, int family, Value onRead, Value onStatus) {
        this.tcp = family == 0 ? new TCP(loop)
                : new TCP(loop, family == 4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        this.onRead = onRead;
        this.onStatus = onStatus;
        this.connectionCallback = (h, error) -> onStatus.executeVoid(listenCb, error);
        this.readCallback = (h, buf, error) -> {
            if (buf == null) {
                onRead.executeVoid(error.intValue());
                return;
            }
            current = buf;
            try {
                onRead.executeVoid(buf.readableBytes());
            } finally {
                current = null;
            }
        };
    }

    private StatusCallback<TCP> status(Value cb) {
        if (cb == null || cb.isNull()) {
            return null;
        }
        return (h, error) -> onStatus.executeVoid(cb, error);
    }

    /**
     * Copies the bytes being delivered to the read callback into {@code dst} (the backing array of
     * a fresh Python bytes object of the same length).
     *
     * @param dst the destination, exactly as long as the chunk
     */
    public void fill(byte[] dst) {
        ByteBuf b = current;
        b.getBytes(b.readerIndex(), dst, 0, dst.length);
    }

    public void bind(String host, int port, int flowinfo, int scopeId, int flags) {
        tcp.bind(Address.of(host, port, flowinfo, scopeId), flags);
    }

    public void listen(Value cb, int backlog) {
        listenCb = cb;
        tcp.listen(connectionCallback, backlog);
    }

    public void accept(TcpPeer client) {
        tcp.accept(client.tcp);
    }

    public void connect(String host, int port, int flowinfo, int scopeId, Value cb) {
        tcp.connect(Address.of(host, port, flowinfo, scopeId), status(cb));
    }

    public void open(int fd) {
        tcp.open(fd);
    }

    /**
     * @param peer {@code true} for getpeername
     * @return {host, port} or {host, port, flowinfo, scope_id}
     */
    public Object[] name(boolean peer) {
        Address a = peer ? tcp.getpeername() : tcp.getsockname();
        if (a.isIPv6()) {
            return new Object[] {a.host(), a.port(), a.flowinfo(), a.scopeId()};
        }
        return new Object[] {a.host(), a.port()};
    }

    /** {@return 4 for AF_INET, 6 for AF_INET6} */
    public int family() {
        return tcp.getFamily() == StandardProtocolFamily.INET6 ? 6 : 4;
    }

    public void startRead() {
        tcp.startReadBuf(readCallback);
    }

    public void write(byte[] data, int length, Value cb) {
        tcp.write(ByteBuffer.wrap(data, 0, length), status(cb));
    }

    /**
     * One gathering write of several buffers (pyuv's write of a sequence).
     *
     * @param arrays  the backing arrays
     * @param lengths their lengths
     * @param cb      the callback or None
     */
    public void writev(Value arrays, Value lengths, Value cb) {
        int n = (int) arrays.getArraySize();
        List<byte[]> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] a = arrays.getArrayElement(i).asHostObject();
            int len = lengths.getArrayElement(i).asInt();
            if (len != a.length) {
                byte[] exact = new byte[len];
                System.arraycopy(a, 0, exact, 0, len);
                a = exact;
            }
            parts.add(a);
        }
        tcp.write(parts, status(cb));
    }

    public int tryWrite(byte[] data, int length) {
        return tcp.tryWrite(ByteBuffer.wrap(data, 0, length));
    }

    public void shutdown(Value cb) {
        tcp.shutdown(status(cb));
    }
}
