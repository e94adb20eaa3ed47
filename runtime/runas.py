"""Child side of ``runtime.unix.run_as``: read (module, function, args) pickled on stdin,
run it, write ("ok", result) or ("error", (repr, traceback)) pickled on stdout."""
from __future__ import annotations

import importlib
import os
import pickle
import sys
import traceback


def main() -> None:
    module, qualname, args, kwargs = pickle.loads(sys.stdin.buffer.read())
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything printed goes to stderr, stdout carries the result
    try:
        fn = importlib.import_module(module)
        for part in qualname.split("."):
            fn = getattr(fn, part)
        payload = ("ok", fn(*args, **kwargs))
    except BaseException as exc:  # noqa: BLE001
        payload = ("error", (repr(exc), traceback.format_exc()))
    out.write(pickle.dumps(payload))
    out.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
