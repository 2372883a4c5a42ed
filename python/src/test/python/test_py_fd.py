"""Descriptors shared with Python's socket module: TCP.open(sock.fileno()) and
socket.fromfd(tcp.fileno()). On pyuv4j they need GraalPy's native POSIX backend (real
descriptors) and a native transport; on NIO they raise TCPError(UV_ENOTSUP)."""

import socket
import unittest

import pyuv
from pyuv4j_testing import LoopTestCase, has_fds

E = pyuv.errno


class FdTest(LoopTestCase):
    def setUp(self):
        super().setUp()
        if not has_fds(self.loop):
            self.skipTest('no descriptors on this transport')

    def test_fileno_round_trip(self):
        t = pyuv.TCP(self.loop)
        t.bind(('127.0.0.1', 0))
        fd = t.fileno()
        self.assertIsInstance(fd, int)
        sock = socket.fromfd(fd, t.family, socket.SOCK_STREAM)
        self.assertEqual(sock.getsockname(), t.getsockname())
        sock.close()

    def test_open_a_python_listening_socket(self):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(('127.0.0.1', 0))
        sock.listen(5)
        server = pyuv.TCP(self.loop)
        server.open(sock.fileno())
        self.assertEqual(server.getsockname(), sock.getsockname())
        got = []

        def on_conn(s, error):
            c = pyuv.TCP(self.loop)
            s.accept(c)
            c.start_read(lambda h, data, err: (got.append(data), h.close(), s.close()))
        server.listen(on_conn)
        client = pyuv.TCP(self.loop)
        client.connect(sock.getsockname(), lambda h, e: (h.write(b'via fd'), h.close()))
        self.loop.run()
        self.assertEqual(got, [b'via fd'])
        sock.detach()

    def test_open_a_connected_python_socket(self):
        server, port = self.tcp_pair(lambda s, e: None)
        got = []

        def on_conn(s, error):
            c = pyuv.TCP(self.loop)
            s.accept(c)
            c.start_read(lambda h, data, err: (got.append(data), h.close(), s.close()))
        server.listen(on_conn)
        sock = socket.create_connection(('127.0.0.1', port))
        client = pyuv.TCP(self.loop)
        client.open(sock.detach())
        self.assertTrue(client.readable and client.writable)
        client.write(b'hello', lambda h, e: h.close())
        self.loop.run()
        self.assertEqual(got, [b'hello'])

    def test_bad_descriptors(self):
        t = pyuv.TCP(self.loop)
        for fd in (99999, -1):
            with self.assertRaises(pyuv.error.TCPError) as cm:
                t.open(fd)
            self.assertEqual(cm.exception.args[0], E.UV_EBADF)


class NoFdTest(LoopTestCase):
    def test_enotsup_without_descriptors(self):
        if has_fds(self.loop):
            self.skipTest('this transport has descriptors')
        t = pyuv.TCP(self.loop)
        t.bind(('127.0.0.1', 0))
        with self.assertRaises(pyuv.error.TCPError) as cm:
            t.fileno()
        self.assertEqual(cm.exception.args[0], E.UV_ENOTSUP)


if __name__ == '__main__':
    unittest.main()
