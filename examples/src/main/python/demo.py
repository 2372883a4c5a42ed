"""The README's demo in Python, unchanged pyuv 1.4 code: an echo server and a client on one loop.
The client sends a few lines, prints what comes back and shuts down its side; the server echoes
until EOF; then everything closes and run() returns. Exits 0 when every line came back intact.

    java -jar python/target/pyuv4j-python.jar examples/src/main/python/demo.py
    python3 examples/src/main/python/demo.py        # the same on CPython with the real pyuv
"""

import sys

import pyuv

LINES = [b"hello", b"from", b"pyuv4j"]


def main():
    loop = pyuv.Loop.default_loop()
    echoed = []
    clients = []  # keep accepted handles, as pyuv's echo example does

    def on_connection(server, error):
        conn = pyuv.TCP(loop)
        server.accept(conn)
        clients.append(conn)

        def on_read(c, data, err):
            if data is not None:
                c.write(data)  # echo
            else:              # UV_EOF: the client shut down its side
                c.close()
                server.close()
        conn.start_read(on_read)

    server = pyuv.TCP(loop)
    server.bind(("127.0.0.1", 0))
    server.listen(on_connection)
    address = server.getsockname()
    print("pyuv demo, echo server at %s:%d" % address)

    def on_connect(c, error):
        if error is not None:
            print("connect failed: " + pyuv.errno.errorcode[error])
            c.close()
            return

        def on_read(cc, data, err):
            if data is not None:
                echoed.append(data)
                sys.stdout.write("echo: " + data.decode())
            else:
                cc.close()  # the server closed after our shutdown
        c.start_read(on_read)
        for line in LINES:
            c.write(line + b"\n")
        c.shutdown(lambda cc, err: print("client shut down its write side"))

    client = pyuv.TCP(loop)
    client.connect(address, on_connect)
    loop.run()

    ok = b"".join(echoed) == b"\n".join(LINES) + b"\n"
    print("demo OK: all lines echoed" if ok else "demo FAILED: got %r" % b"".join(echoed))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
