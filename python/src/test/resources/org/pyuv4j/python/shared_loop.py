# A pyuv program that shares the Java program's loop (SharedLoopTest): an echo server on it.
import sys
import pyuv

loop = pyuv.Loop.default_loop()
clients = []


def on_read(c, data, error):
    if data is None:
        c.close()
        server.close()
        return
    c.write(b'py:' + data)


def on_connection(s, error):
    c = pyuv.TCP(loop)
    s.accept(c)
    clients.append(c)
    c.start_read(on_read)


server = pyuv.TCP(loop)
server.bind(('127.0.0.1', int(sys.argv[1])))
server.listen(on_connection)
if len(sys.argv) > 2 and sys.argv[2] == 'run':
    loop.run()
