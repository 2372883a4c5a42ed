"""pyuv.errno: libuv 1.13's error codes (negative numbers), ``errorcode`` (code -> name) and
``strerror(code)``, read from org.pyuv4j.Errno so that Java and Python agree."""

import java as _java

_Errno = _java.type('org.pyuv4j.Errno')

errorcode = {}
for _entry in _Errno.errorcode().entrySet():
    _code = int(_entry.getKey())
    _name = str(_entry.getValue())
    errorcode[_code] = _name
    globals()[_name] = _code

_messages = {code: str(_Errno.strerror(code)) for code in errorcode}
del _entry, _code, _name


def strerror(code):
    """libuv's message for ``code``; ``'Unknown system error <code>'`` for an unknown one."""
    if not isinstance(code, int):
        import operator
        code = operator.index(code)
    m = _messages.get(code)
    if m is None:
        return 'Unknown system error %d' % code
    return m
