"""The benchmark echo server in Python, unchanged pyuv 1.4 code, the shape of bench/'s Java
EchoServer: listens on 127.0.0.1:PORT (0 = an ephemeral port), prints "PORT <n>" once listening,
echoes every chunk back on the loop's callbacks, and on SIGTERM or SIGINT closes every handle so
that run() returns and the process exits with status 0.

    java -jar python/target/pyuv4j-python.jar examples/src/main/python/echo_server.py PORT [--nodelay]
    python3 examples/src/main/python/echo_server.py PORT     # CPython with the real pyuv
"""

import signal
import sys

import pyuv


def main(argv):
    if not argv:
        sys.stderr.write("usage: echo_server.py PORT [--nodelay]\n")
        return 2
    port = int(argv[0])
    nodelay = "--nodelay" in argv[1:]
    loop = pyuv.Loop.default_loop()
    clients = set()

    def on_read(client, data, error):
        if data is None:
            clients.discard(client)
            client.close()
            return
        client.write(data)

    def on_connection(server, error):
        if error is not None:
            return
        client = pyuv.TCP(loop)
        server.accept(client)
        if nodelay:
            client.nodelay(True)
        clients.add(client)
        client.start_read(on_read)

    server = pyuv.TCP(loop)
    server.bind(("127.0.0.1", port))
    server.listen(on_connection, 1024)

    def on_signal(handle, signum):
        for c in list(clients):
            c.close()
        clients.clear()
        server.close()
        for s in signals:
            s.close()

    signals = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        s = pyuv.Signal(loop)
        s.start(on_signal, signum)
        s.ref = False  # the server keeps the loop alive, not the signal watchers
        signals.append(s)

    print("PORT %d" % server.getsockname()[1])
    sys.stdout.flush()
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
