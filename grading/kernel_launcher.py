"""Start an ipykernel under resource limits (used for every kernel that runs a submission).

Usage: python -m grading.kernel_launcher --memory-mb N [--fsize-mb M] [--nproc K] -- <kernel argv...>
(Fallback when util-linux `prlimit` is missing; see SandboxKernelManager._limits_prefix.)
The limits apply to the kernel and everything it starts; the grader is not affected.
"""
from __future__ import annotations

import os
import resource
import sys


def main(argv: list[str]) -> None:
    memory_mb, fsize_mb, nproc = 1024, 64, 0
    while argv and argv[0] != "--":
        flag, value = argv[0], argv[1]
        argv = argv[2:]
        if flag == "--memory-mb":
            memory_mb = int(value)
        elif flag == "--fsize-mb":
            fsize_mb = int(value)
        elif flag == "--nproc":
            nproc = int(value)
    cmd = argv[1:]
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize_mb * 1024 * 1024,) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a segfault leaves no core file behind
    if os.geteuid() != 0 and nproc > 0:
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    main(sys.argv[1:])
