# Runs unittest modules inside one GraalPy context and reports file by file (used by the JUnit tests).
import io
import os
import sys
import time
import unittest


class _Tee(object):
    """The runner's output into the report, and as it goes to stderr (descriptor 2)."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        self.stream.write(text)
        try:
            sys.__stderr__.write(text)
        except Exception:
            pass

    def flush(self):
        try:
            sys.__stderr__.flush()
        except Exception:
            pass


def run(directory, modules, extra_env):
    for k, v in dict(extra_env).items():
        os.environ[str(k)] = str(v)
    directory = str(directory)
    if directory not in sys.path:
        sys.path.insert(0, directory)
    lines = []
    rows = []
    try:
        for name in [str(m) for m in modules]:
            stream = io.StringIO()
            t0 = time.time()
            try:
                suite = unittest.defaultTestLoader.loadTestsFromName(name)
            except Exception as e:
                import traceback
                rows.append([name, 0, 0, 1, 0, 0.0])
                lines.append('%s: import failed\n%s' % (name, traceback.format_exc()))
                continue
            runner = unittest.TextTestRunner(stream=_Tee(stream), verbosity=2)
            try:
                result = runner.run(suite)
            except BaseException:
                import traceback
                rows.append([name, 0, 0, 1, 0, time.time() - t0])
                lines.append('==== %s: the runner failed\n%s\n%s' % (name, stream.getvalue(), traceback.format_exc()))
                continue
            dt = time.time() - t0
            rows.append([name, result.testsRun, len(result.failures), len(result.errors), len(result.skipped), dt])
            lines.append('==== %s: %d run, %d failures, %d errors, %d skipped (%.1f s)\n%s'
                         % (name, result.testsRun, len(result.failures), len(result.errors),
                            len(result.skipped), dt, stream.getvalue()))
    finally:
        pass
    return rows, '\n'.join(lines)
