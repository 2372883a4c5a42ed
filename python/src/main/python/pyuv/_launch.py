"""How the launcher (org.pyuv4j.python.Main) and PyuvPython run a program: as CPython's
``python SCRIPT``, ``python -m MODULE`` and ``python -c CODE`` do."""

import os
import runpy
import sys


def _status(e):
    code = e.code
    if code is None:
        return 0
    if isinstance(code, int):
        return int(code)
    try:
        sys.stderr.write(str(code) + "\n")
    except Exception:
        pass
    return 1


def main(how, what, args):
    args = [str(a) for a in args]
    try:
        try:
            if how == 'run_path':
                sys.argv = [what] + args
                sys.path.insert(0, os.path.dirname(os.path.abspath(what)))
                runpy.run_path(what, run_name='__main__')
            elif how == 'run_module':
                sys.argv = [what] + args
                sys.path.insert(0, os.getcwd())
                runpy.run_module(what, run_name='__main__', alter_sys=True)
            else:
                sys.argv = ['-c'] + args
                sys.path.insert(0, '')
                main_mod = sys.modules['__main__']
                exec(compile(what, '<string>', 'exec'), main_mod.__dict__)
        except SystemExit as e:
            return _status(e)
        except BaseException:
            import traceback
            traceback.print_exc()
            return 1
        return 0
    finally:
        for f in (sys.stdout, sys.stderr):
            try:
                f.flush()
            except Exception:
                pass
