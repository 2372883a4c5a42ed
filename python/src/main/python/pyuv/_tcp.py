"""pyuv.TCP: bind, connect, open, names and socket options over org.pyuv4j.TCP (TcpPeer)."""

import os as _os
import sys as _sys

from . import error as _error
from ._common import _NATIVE_POSIX, _NOT_INIT_MSG, _TcpPeer, _bool_arg, _c_int, _index, _jcall, _nargs, _nokw
from ._loop import _check_loop
from ._stream import Stream


def _parse_addr(addr):
    """pyuv's pyuv_parse_addr_tuple: (host, port[, flowinfo[, scope_id]])."""
    if type(addr) is not tuple and not isinstance(addr, tuple):
        raise TypeError('address must be tuple, not %.500s' % type(addr).__name__)
    n = len(addr)
    if n < 2:
        raise TypeError('function takes at least 2 arguments (%d given)' % n)
    if n > 4:
        raise TypeError('function takes at most 4 arguments (%d given)' % n)
    host = addr[0]
    if not isinstance(host, str):
        raise TypeError('argument 1 must be str, not %s' % ('None' if host is None else type(host).__name__))
    if '\x00' in host:
        raise ValueError('embedded null character')
    port = _c_int(addr[1])
    flowinfo = _index(addr[2]) & 0xFFFFFFFF if n > 2 else 0
    scope_id = _index(addr[3]) & 0xFFFFFFFF if n > 3 else 0
    if port < 0 or port > 65535:
        raise OverflowError('port must be 0-65535')
    if flowinfo > 0xFFFFF:
        raise OverflowError('flowinfo must be 0-1048575')
    if host == '<broadcast>':
        host = '255.255.255.255'
    if scope_id > 0x7FFFFFFF:
        scope_id -= 0x100000000
    return host, port, flowinfo, scope_id


_AF_INET = 2
_AF_INET6 = 10 if _sys.platform.startswith('linux') else (30 if _sys.platform == 'darwin' else 28)


def _family_code(family):
    if family == 0:
        return 0
    if family == _AF_INET:
        return 4
    if family == _AF_INET6:
        return 6
    return -1


class TCP(Stream):
    """pyuv.TCP(loop[, family])."""

    _error_class = _error.TCPError

    def __init__(self, *args, **kwargs):
        # pyuv ignores keyword arguments here (TCP(loop, family=AF_INET) is AF_UNSPEC).
        loop = _check_loop('__init__', args, 1, 2)
        family = _c_int(args[1]) if len(args) > 1 else 0
        code = _family_code(family)
        if code < 0:
            raise _error.TCPError(-22, 'invalid argument')
        if '_j' in self.__dict__:
            raise RuntimeError('Object was already initialized')
        p = _jcall(_TcpPeer, _error.TCPError, loop._j, code, self._on_read, self._on_status)
        d = self.__dict__
        d['_p'] = p
        # Bound host methods: calling one is a plain execute, where p.fill(...) would look the
        # member up on every call (measured on the interpreter: about half the cost of the call).
        d['_fill'] = p.fill
        d['_pwrite'] = p.write
        self._register(loop, p.tcp)
        self._read_cb = None

    def __getattr__(self, name):
        if name in ('_j', '_loop', '_p'):
            raise RuntimeError(_NOT_INIT_MSG)
        raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, name))

    def bind(self, *args, **kwargs):
        p = self._live_peer()
        _nokw('TCP', 'bind', kwargs)
        _nargs('bind', args, 1, 2)
        flags = _c_int(args[1]) if len(args) > 1 else 0
        host, port, flowinfo, scope_id = _parse_addr(args[0])
        self._do(p.bind, host, port, flowinfo, scope_id, flags)

    def connect(self, *args, **kwargs):
        p = self._live_peer()
        _nokw('TCP', 'connect', kwargs)
        _nargs('connect', args, 2, 2)
        addr, cb = args
        if not callable(cb):
            raise TypeError('a callable is required')
        host, port, flowinfo, scope_id = _parse_addr(addr)
        self._do(p.connect, host, port, flowinfo, scope_id, cb)

    def open(self, *args, **kwargs):
        p = self._live_peer()
        _nokw('TCP', 'open', kwargs)
        _nargs('open', args, 1, 1)
        fd = _index(args[0])
        if fd < -2147483648 or fd > 2147483647:
            raise _error.TCPError(-9, 'bad file descriptor')
        if _NATIVE_POSIX and fd >= 0:
            # libuv's uv_tcp_open makes the descriptor non-blocking; doing it here with a real
            # fcntl spares the Java side its JDK-internal way (blocked on Java 17 without --add-exports).
            try:
                _os.set_blocking(fd, False)
            except OSError:
                pass
        self._do(p.open, fd)

    def _name(self, peer):
        p = self._live_peer()
        a = self._do(p.name, peer)
        if len(a) == 2:
            return (str(a[0]), int(a[1]))
        return (str(a[0]), int(a[1]), int(a[2]), int(a[3]) & 0xFFFFFFFF)

    def getsockname(self):
        return self._name(False)

    def getpeername(self):
        return self._name(True)

    def nodelay(self, *args, **kwargs):
        j = self._live()
        _nokw('TCP', 'nodelay', kwargs)
        _nargs('nodelay', args, 1, 1)
        enable = _bool_arg('nodelay', 1, args[0])
        self._do(j.nodelay, enable)

    def keepalive(self, *args, **kwargs):
        j = self._live()
        _nokw('TCP', 'keepalive', kwargs)
        _nargs('keepalive', args, 2, 2)
        enable = _bool_arg('keepalive', 1, args[0])
        delay = _index(args[1]) & 0xFFFFFFFF
        if delay > 2147483647:
            delay = 2147483647
        self._do(j.keepalive, enable, delay)

    def simultaneous_accepts(self, *args, **kwargs):
        j = self._live()
        _nokw('TCP', 'simultaneous_accepts', kwargs)
        _nargs('simultaneous_accepts', args, 1, 1)
        enable = _bool_arg('simultaneous_accepts', 1, args[0])
        self._do(j.simultaneousAccepts, enable)

    @property
    def family(self):
        return _AF_INET6 if self._do(self._p.family) == 6 else _AF_INET

    @property
    def send_buffer_size(self):
        return int(self._do(self._j.getSendBufferSize))

    @send_buffer_size.setter
    def send_buffer_size(self, value):
        j = self._j
        v = _c_int(value)
        self._do(j.setSendBufferSize, v)

    @send_buffer_size.deleter
    def send_buffer_size(self):
        raise TypeError('cannot delete attribute')

    @property
    def receive_buffer_size(self):
        return int(self._do(self._j.getReceiveBufferSize))

    @receive_buffer_size.setter
    def receive_buffer_size(self, value):
        j = self._j
        v = _c_int(value)
        self._do(j.setReceiveBufferSize, v)

    @receive_buffer_size.deleter
    def receive_buffer_size(self):
        raise TypeError('cannot delete attribute')
