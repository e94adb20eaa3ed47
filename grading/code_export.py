"""Code exercises graded as data: run the trainee's notebook plus one fixed *export* step in the
submission's own jailed kernel, and bring back only size-capped JSON (issue 12, "Code exercises").

The kernel (``grading.preprocessors.SandboxKernelManager``: in root mode a ``grading.jail`` job —
own uid, cgroups, namespaces, no network) runs the submitted notebook's code cells except its
graded check cells, then :func:`export_source`: the values and calls the assignment's checker
declares in ``EXPORTS`` (e.g. the trainee's function applied to given inputs), each turned into JSON
*inside* the kernel and printed on one marked line. The grader keeps nothing else the kernel
printed, refuses more than :data:`MAX_EXPORT_BYTES`, and parses the line with ``json.loads`` — plain
data, never pickle, never an object of the trainee's. The hidden checks then run on that data in
the trusted grader process (``grading.code_grade``), where trainee code never ran: patching,
hooking or reading them from the kernel is impossible. Inputs in ``EXPORTS`` may be seen by the
kernel; expected results never are (they live only in the checker's ``check``).

``EXPORTS`` (in the checker module): name → ``{"call": "function_name", "args": [json values]}`` or
``{"value": "variable_name"}``. What ``check`` receives per name: ``{"value": v}`` or
``{"error": "异常类型: 说明"}``; a name absent from the export was never reached.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

MAX_EXPORT_BYTES = 256 * 1024  # the same cap as a form's answers.json
CALL_SECONDS = 10              # at most, per declared call; less when the cell timeout is short (below)
MARK = "ACADEMY-EXPORT-v1 "
TOO_LARGE = "ACADEMY-EXPORT-TOO-LARGE"

# Runs in the trainee's kernel. Whatever trainee code did before it can change only the data this
# prints, which the trusted side then grades as data: no check, no expected value is in here.
_EXPORT_TEMPLATE = r'''
def __academy_export(spec, cap, seconds):
    import json, signal
    def _alarm(*_):
        raise TimeoutError("运行超过 " + str(seconds) + " 秒，已中止")
    out = {}
    for name, how in spec.items():
        try:
            old = signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, seconds)
            try:
                wanted = how.get("call") or how.get("value")
                if wanted not in globals():
                    raise NameError("没有定义 " + wanted)
                if "call" in how:
                    value = globals()[wanted](*json.loads(json.dumps(how.get("args", []))))
                else:
                    value = globals()[wanted]
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, old)
            try:  # inside this call's try: a NaN here must cost this call only, not the whole export
                plain = json.loads(json.dumps(value, allow_nan=False))
            except ValueError:
                raise ValueError("结果里有 NaN 或无穷大（常见于除以 0 或对空表求平均），请先处理这种情况") from None
            out[name] = {"value": plain}
        except BaseException as exc:
            out[name] = {"error": (type(exc).__name__ + ": " + str(exc))[:300]}
    text = json.dumps(out, ensure_ascii=True, allow_nan=False) if out else "{}"
    return text if len(text) <= cap else None
__academy_text = __academy_export(json.loads(%(spec)r), %(cap)d, %(seconds)r)
print(%(too_large)r if __academy_text is None else %(mark)r + __academy_text)
'''


def export_source(exports: Mapping[str, Mapping[str, Any]], cell_timeout: float = 30) -> str:
    """The fixed export cell for a checker's ``EXPORTS`` (validated here: JSON, known keys). Each
    call gets its share of the cell timeout, so one endless call does not cost the others."""
    spec = {}
    for name, how in exports.items():
        if not isinstance(how, Mapping) or not (("call" in how) ^ ("value" in how)):
            raise ValueError(f"EXPORTS[{name!r}] needs exactly one of 'call' or 'value'")
        spec[str(name)] = {k: how[k] for k in ("call", "args", "value") if k in how}
    text = json.dumps(spec, ensure_ascii=True)
    return "import json\n" + _EXPORT_TEMPLATE % {"spec": text, "cap": MAX_EXPORT_BYTES,
                                                  "seconds": round(min(CALL_SECONDS, cell_timeout / (len(spec) + 2)), 3),
                                                  "too_large": TOO_LARGE, "mark": MARK}


def parse_export(text: str, over_cap: bool) -> tuple[dict[str, dict] | None, list[str]]:
    """(values by name, reason tags) from what the export cell printed; None when refused."""
    if over_cap or TOO_LARGE in text:
        return None, ["export-too-large"]
    lines = [line for line in text.splitlines() if line.startswith(MARK)]
    if not lines:
        return None, ["export-missing"]
    try:
        data = json.loads(lines[-1][len(MARK):])
    except (ValueError, RecursionError):
        return None, ["export-invalid"]
    if not isinstance(data, dict):
        return None, ["export-invalid"]
    values: dict[str, dict] = {}
    tags: list[str] = []
    for name, entry in data.items():
        if isinstance(entry, dict) and ("value" in entry or isinstance(entry.get("error"), str)):
            values[str(name)] = {"value": entry["value"]} if "value" in entry else {"error": entry["error"][:300]}
            if str(entry.get("error", "")).startswith("TimeoutError"):
                tags = ["timeout"]
    return values, tags


def cells_to_run(nb) -> list:
    """The submitted notebook's code cells without its graded check cells (the checks run in the
    trusted process; a locked check cell's code is not needed and never trusted)."""
    from nbgrader.utils import is_grade, is_solution

    return [c for c in nb.cells if c.cell_type == "code" and not (is_grade(c) and not is_solution(c))]


def read_submitted(folder: Path, name: str) -> tuple[Any | None, str | None]:
    """The submitted notebook as data (no-follow, regular file, capped), or a reason tag."""
    import nbformat

    from .answers_in import _read_bytes

    data, problem = _read_bytes(folder, name, cap=16 * 2**20)
    if problem:
        return None, "missing-notebook" if problem == "answers-missing" else "invalid-notebook"
    try:
        return nbformat.reads(data.decode("utf-8"), as_version=4), None
    except Exception:  # noqa: BLE001 - any malformed notebook
        return None, "invalid-notebook"
