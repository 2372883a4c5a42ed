"""pyuv.error: pyuv 1.4's exception hierarchy. Errors raised by libuv calls have
``args == (errno, message)``; HandleClosedError has ``args == ('Handle is closing/closed',)``."""


class UVError(Exception):
    pass


class ThreadError(UVError):
    pass


class HandleError(UVError):
    pass


class HandleClosedError(HandleError):
    pass


class AsyncError(HandleError):
    pass


class CheckError(HandleError):
    pass


class IdleError(HandleError):
    pass


class PrepareError(HandleError):
    pass


class PollError(HandleError):
    pass


class SignalError(HandleError):
    pass


class TimerError(HandleError):
    pass


class UDPError(HandleError):
    pass


class ProcessError(HandleError):
    pass


class StreamError(HandleError):
    pass


class TCPError(StreamError):
    pass


class PipeError(StreamError):
    pass


class TTYError(StreamError):
    pass


class FSError(UVError):
    pass


class FSEventError(HandleError):
    pass


class FSPollError(HandleError):
    pass


for _cls in list(globals().values()):
    if isinstance(_cls, type) and issubclass(_cls, UVError):
        _cls.__module__ = 'pyuv._cpyuv.error'
del _cls
