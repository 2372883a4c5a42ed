"""TCP from Python: address tuples, argument shapes and their exceptions, write data shapes,
callback order, errors in callbacks, readable/writable flags, close cancellation."""

import array
import socket
import unittest

import pyuv
from pyuv4j_testing import LoopTestCase, ON_PYUV4J

E = pyuv.errno


class AddressTest(LoopTestCase):
    def check(self, exc, args, addr):
        t = pyuv.TCP(self.loop)
        with self.assertRaises(exc) as cm:
            t.bind(addr)
        self.assertEqual(cm.exception.args, args)
        t.close()

    def test_address_shapes(self):
        self.check(TypeError, ('address must be tuple, not list',), ['127.0.0.1', 0])
        self.check(TypeError, ('address must be tuple, not str',), '127.0.0.1')
        self.check(TypeError, ('function takes at least 2 arguments (1 given)',), ('127.0.0.1',))
        self.check(TypeError, ('function takes at most 4 arguments (5 given)',), ('::1', 0, 0, 0, 0))
        self.check(TypeError, ('argument 1 must be str, not bytes',), (b'127.0.0.1', 0))
        self.check(TypeError, ("'str' object cannot be interpreted as an integer",), ('127.0.0.1', '1'))
        self.check(TypeError, ("'float' object cannot be interpreted as an integer",), ('127.0.0.1', 1.0))
        self.check(OverflowError, ('port must be 0-65535',), ('127.0.0.1', 65536))
        self.check(OverflowError, ('port must be 0-65535',), ('127.0.0.1', -1))
        self.check(OverflowError, ('flowinfo must be 0-1048575',), ('::1', 0, 0x100000))
        self.check(ValueError, ('invalid IP address',), ('localhost', 0))
        self.check(ValueError, ('invalid IP address',), ('1.2.3', 0))

    def test_empty_host_is_any_and_ipv6_names_are_4_tuples(self):
        t = pyuv.TCP(self.loop)
        t.bind(('', 0))
        self.assertEqual(t.getsockname()[0], '0.0.0.0')
        self.assertEqual(len(t.getsockname()), 2)
        t6 = pyuv.TCP(self.loop)
        t6.bind(('::1', 0))
        name = t6.getsockname()
        self.assertEqual(len(name), 4)
        self.assertEqual((name[0], name[2], name[3]), ('::1', 0, 0))
        self.assertEqual(t6.family, socket.AF_INET6)
        self.assertEqual(t.family, socket.AF_INET)

    def test_keywords_rejected(self):
        t = pyuv.TCP(self.loop)
        with self.assertRaises(TypeError) as cm:
            t.bind(('127.0.0.1', 0), flags=1)
        self.assertEqual(cm.exception.args, ('TCP.bind() takes no keyword arguments',))
        with self.assertRaises(TypeError) as cm:
            t.listen(lambda s, e: None, backlog=3)
        self.assertEqual(cm.exception.args, ('TCP.listen() takes no keyword arguments',))

    def test_ipv6only_flag_needs_ipv6(self):
        t = pyuv.TCP(self.loop)
        with self.assertRaises(pyuv.error.TCPError) as cm:
            t.bind(('127.0.0.1', 0), pyuv.UV_TCP_IPV6ONLY)
        self.assertEqual(cm.exception.args, (E.UV_EINVAL, 'invalid argument'))

    def test_deferred_eaddrinuse(self):
        a = pyuv.TCP(self.loop)
        a.bind(('127.0.0.1', 0))
        a.listen(lambda s, e: None)
        b = pyuv.TCP(self.loop)
        b.bind(a.getsockname())  # no error yet
        with self.assertRaises(pyuv.error.TCPError) as cm:
            b.listen(lambda s, e: None)
        self.assertEqual(cm.exception.args[0], E.UV_EADDRINUSE)


class ArgumentTest(LoopTestCase):
    def test_constructor(self):
        with self.assertRaises(TypeError) as cm:
            pyuv.TCP()
        self.assertEqual(cm.exception.args, ('__init__() takes at least 1 argument (0 given)',))
        with self.assertRaises(TypeError) as cm:
            pyuv.TCP(None)
        self.assertEqual(cm.exception.args, ('__init__() argument 1 must be pyuv._cpyuv.Loop, not None',))
        with self.assertRaises(pyuv.error.TCPError) as cm:
            pyuv.TCP(self.loop, socket.AF_UNIX)
        self.assertEqual(cm.exception.args, (E.UV_EINVAL, 'invalid argument'))
        t = pyuv.TCP(self.loop, family=socket.AF_INET)  # keywords ignored: AF_UNSPEC
        self.assertRaises(pyuv.error.TCPError, lambda: t.family)

    def test_bool_only_options(self):
        t = pyuv.TCP(self.loop)
        with self.assertRaises(TypeError) as cm:
            t.nodelay(1)
        self.assertEqual(cm.exception.args, ('nodelay() argument 1 must be bool, not int',))
        with self.assertRaises(TypeError) as cm:
            t.keepalive(True)
        self.assertEqual(cm.exception.args, ('keepalive() takes exactly 2 arguments (1 given)',))
        self.assertRaises(TypeError, t.keepalive, 1, 1)
        self.assertRaises(TypeError, t.simultaneous_accepts, 0)
        t.nodelay(True)
        t.keepalive(True, 60)
        t.simultaneous_accepts(True)

    def test_listen_checks(self):
        t = pyuv.TCP(self.loop)
        with self.assertRaises(ValueError) as cm:
            t.listen(lambda s, e: None, -1)
        self.assertEqual(cm.exception.args, ('backlog must be bigger than 0',))
        with self.assertRaises(TypeError) as cm:
            t.listen(1)
        self.assertEqual(cm.exception.args, ('a callable is required',))

    def test_accept_checks(self):
        server, port = self.tcp_pair()
        with self.assertRaises(TypeError) as cm:
            server.accept(pyuv.Timer(self.loop))
        self.assertEqual(cm.exception.args, ('Only stream objects are supported for accept',))
        with self.assertRaises(pyuv.error.TCPError) as cm:
            server.accept(pyuv.TCP(self.loop))
        self.assertEqual(cm.exception.args, (E.UV_EAGAIN, 'resource temporarily unavailable'))

    def test_socketless_handle(self):
        t = pyuv.TCP(self.loop)
        self.assertFalse(t.readable)
        self.assertFalse(t.writable)
        with self.assertRaises(pyuv.error.TCPError) as cm:
            t.write(b'x')
        self.assertEqual(cm.exception.args, (E.UV_EBADF, 'bad file descriptor'))
        with self.assertRaises(pyuv.error.TCPError) as cm:
            t.getsockname()
        self.assertEqual(cm.exception.args[0], E.UV_EINVAL)
        with self.assertRaises(pyuv.error.TCPError) as cm:
            t.shutdown()
        self.assertEqual(cm.exception.args, (E.UV_ENOTCONN, 'socket is not connected'))
        with self.assertRaises(pyuv.error.TCPError) as cm:
            t.send_buffer_size
        self.assertEqual(cm.exception.args[0], E.UV_EBADF)

    def test_closed_handle(self):
        t = pyuv.TCP(self.loop)
        t.bind(('127.0.0.1', 0))
        t.close()
        for call in (lambda: t.bind(('127.0.0.1', 0)), lambda: t.listen(lambda s, e: None), t.getsockname,
                     lambda: t.write(b'x'), lambda: t.start_read(lambda *a: None), t.stop_read,
                     t.shutdown, lambda: t.nodelay(True), t.fileno):
            with self.assertRaises(pyuv.error.HandleClosedError):
                call()
        self.assertTrue(t.readable)
        self.assertTrue(t.writable)
        self.assertEqual(t.write_queue_size, 0)
        self.assertTrue(t.closed)

    def test_write_data_shapes(self):
        t = pyuv.TCP(self.loop, socket.AF_INET)
        for bad in (1234, object(), u'PING', None, {b'a': 1}, {b'a'}, iter([b'a'])):
            with self.assertRaises(TypeError) as cm:
                t.write(bad)
            self.assertEqual(cm.exception.args, ('only bytes and sequences are supported',), repr(bad))
        for empty in ([], ()):
            with self.assertRaises(ValueError) as cm:
                t.write(empty)
            self.assertEqual(cm.exception.args, ('iterable is empty',))
        with self.assertRaises(TypeError) as cm:
            t.write([b'PING', 123])
        self.assertEqual(cm.exception.args, ("a bytes-like object is required, not 'int'",))
        with self.assertRaises(TypeError) as cm:
            t.write(b'x', 1)
        self.assertEqual(cm.exception.args, ("'callback' must be a callable or None",))
        with self.assertRaises(TypeError) as cm:
            t.try_write([b'x'])
        self.assertEqual(cm.exception.args, ("a bytes-like object is required, not 'list'",))
        with self.assertRaises(TypeError) as cm:
            t.try_write('x')
        self.assertEqual(cm.exception.args, ("a bytes-like object is required, not 'str'",))


class Echo(object):
    """A server that echoes and records; a client that sends and collects."""

    def __init__(self, case):
        self.case = case
        self.loop = case.loop
        self.server, self.port = case.tcp_pair(self.on_connection)
        self.conns = []

    def on_connection(self, server, error):
        self.case.assertIsNone(error)
        c = pyuv.TCP(self.loop)
        server.accept(c)
        self.case.assertTrue(c.readable and c.writable)
        self.conns.append(c)
        c.start_read(self.on_read)

    def on_read(self, c, data, error):
        if data is None:
            self.case.assertEqual(error, E.UV_EOF)
            c.close()
            self.server.close()
            return
        c.write(data)


class DataTest(LoopTestCase):
    def exchange(self, payloads, expect):
        echo = Echo(self)
        client = pyuv.TCP(self.loop)
        got = []
        events = []

        def on_read(c, data, error):
            if data is not None:
                self.assertIs(type(data), bytes)
                self.assertLessEqual(len(data), 65536)
                got.append(data)
                if len(b''.join(got)) >= len(expect):
                    c.close()
            else:
                c.close()

        def on_connect(c, error):
            events.append(('connect', error))
            c.start_read(on_read)

        client.connect(('127.0.0.1', echo.port), on_connect)
        for p in payloads:
            client.write(p, lambda c, e: events.append(('write', e)))
        client.shutdown(lambda c, e: events.append(('shutdown', e)))
        self.loop.run()
        self.assertEqual(b''.join(got), expect)
        self.assertEqual(events[0], ('connect', None))
        self.assertEqual(events[-1], ('shutdown', None))
        self.assertEqual(events[1:-1], [('write', None)] * len(payloads))

    def test_bytes_bytearray_memoryview_array(self):
        self.exchange([b'ab', bytearray(b'cd'), memoryview(b'xxefxx')[2:4], array.array('b', [103, 104]), b''],
                      b'abcdefgh')

    def test_sequences_are_one_write(self):
        self.exchange([[b'PING1', bytearray(b'PING2'), memoryview(b'PING3')], (b'\x00\xff',)],
                      b'PING1PING2PING3\x00\xff')

    def test_large_payload_arrives_intact_in_chunks(self):
        payload = bytes(range(256)) * 4096 * 3  # 3 MiB
        self.exchange([payload], payload)

    @unittest.skipUnless(ON_PYUV4J, 'pyuv keeps a reference to a queued buffer; pyuv4j copies it at write()')
    def test_bytearray_can_be_reused_after_write(self):
        buf = bytearray(b'first')
        echo = Echo(self)
        client = pyuv.TCP(self.loop)
        got = []

        def on_read(c, data, error):
            if data is not None:
                got.append(data)
                if len(b''.join(got)) >= 10:
                    c.close()

        client.connect(('127.0.0.1', echo.port), lambda c, e: c.start_read(on_read))
        client.write(buf)
        buf[:] = b'SECND'
        client.write(buf)
        self.loop.run()
        self.assertEqual(b''.join(got), b'firstSECND')


class CallbackTest(LoopTestCase):
    def test_connection_refused_in_callback(self):
        server, port = self.tcp_pair()
        server.close()
        self.loop.run()
        errors = []
        c = pyuv.TCP(self.loop)
        c.connect(('127.0.0.1', port), lambda h, e: (errors.append(e), h.close()))
        self.assertEqual(errors, [])
        self.loop.run()
        self.assertEqual(errors, [E.UV_ECONNREFUSED])

    def test_close_cancels_pending_requests_in_order(self):
        order = []
        server, port = self.tcp_pair()
        c = pyuv.TCP(self.loop)
        c.connect(('127.0.0.1', port), lambda h, e: order.append(('connect', e)))
        c.write(b'x', lambda h, e: order.append(('write', e)))
        c.shutdown(lambda h, e: order.append(('shutdown', e)))
        c.close(lambda h: order.append(('close',)))
        server.close()
        self.loop.run()
        self.assertEqual(order, [('connect', E.UV_ECANCELED), ('write', E.UV_ECANCELED),
                                 ('shutdown', E.UV_ECANCELED), ('close',)])

    def test_write_callback_never_synchronous(self):
        echo = Echo(self)
        calls = []

        def on_connect(c, error):
            c.write(b'hi', lambda h, e: calls.append(e))
            self.assertEqual(calls, [])
            c.close()
        c = pyuv.TCP(self.loop)
        c.connect(('127.0.0.1', echo.port), on_connect)
        self.loop.run()
        self.assertEqual(len(calls), 1)

    def test_eof_and_peer_name(self):
        results = []

        def on_conn(server, error):
            c = pyuv.TCP(self.loop)
            server.accept(c)
            results.append(c.getpeername()[0])
            c.close()
            server.close()
        server, port = self.tcp_pair(on_conn)
        c = pyuv.TCP(self.loop)

        def on_read(h, data, error):
            results.append((data, error))
            self.assertFalse(h.active)
            h.close()

        def on_connect(h, error):
            self.assertTrue(h.readable and h.writable)
            self.assertFalse(h.active)
            h.start_read(on_read)
            self.assertTrue(h.active)
        c.connect(('127.0.0.1', port), on_connect)
        self.loop.run()
        self.assertEqual(results, ['127.0.0.1', (None, E.UV_EOF)])

    def test_start_read_argument_checked(self):
        c = pyuv.TCP(self.loop, socket.AF_INET)
        with self.assertRaises(TypeError) as cm:
            c.start_read(1)
        self.assertEqual(cm.exception.args, ('a callable is required',))

    def test_getpeername_not_connected(self):
        server, port = self.tcp_pair()
        with self.assertRaises(pyuv.error.TCPError) as cm:
            server.getpeername()
        self.assertEqual(cm.exception.args, (E.UV_ENOTCONN, 'socket is not connected'))

    def test_try_write(self):
        echo = Echo(self)
        results = []

        def on_connect(c, error):
            results.append(c.try_write(b'hello'))
            results.append(c.try_write(b''))
            c.close()
        c = pyuv.TCP(self.loop)
        with self.assertRaises(pyuv.error.TCPError):
            c.try_write(b'x')
        c.connect(('127.0.0.1', echo.port), on_connect)
        with self.assertRaises(pyuv.error.TCPError) as cm:
            c.try_write(b'x')  # connecting
        self.assertEqual(cm.exception.args[0], E.UV_EAGAIN)
        self.loop.run()
        self.assertEqual(results, [5, 0])

    def test_buffer_sizes(self):
        t = pyuv.TCP(self.loop, socket.AF_INET)
        t.send_buffer_size = 65536
        self.assertEqual(t.send_buffer_size, 131072)
        self.assertGreater(t.receive_buffer_size, 0)
        with self.assertRaises(TypeError):
            del t.send_buffer_size

    def test_subclass(self):
        class MyTCP(pyuv.TCP):
            pass
        t = MyTCP(self.loop)
        self.assertIsInstance(t, pyuv.Stream)
        self.assertEqual([c.__name__ for c in pyuv.TCP.__mro__], ['TCP', 'Stream', 'Handle', 'object'])


if __name__ == '__main__':
    unittest.main()
