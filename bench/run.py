"""Run every benchmark module (bench/bench_*.py), print the figures and write bench.json.

Each module defines ``run() -> dict``: a flat mapping of figure names to numbers (seconds, rates,
ratios against a baseline measured in the same process). Speed is measured here, never asserted in
tests.
"""
from __future__ import annotations

import importlib.util
import json
import platform
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    only = set(argv)
    sys.path.insert(0, str(ROOT))
    results: dict[str, dict] = {}
    failed = 0
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        try:
            figures = _load(path).run()
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            figures = {"error": traceback.format_exc(limit=3)}
            failed += 1
        figures["bench_wall_s"] = round(time.perf_counter() - started, 3)
        for key, value in figures.items():
            print(f"   {key:<48} {value}")
        results[name] = figures
    target = ROOT / "bench.json"
    if only and target.exists():  # a partial run updates its own sections and keeps the others
        try:
            results = {**json.loads(target.read_text(encoding="utf-8")).get("results", {}), **results}
        except (ValueError, AttributeError):
            pass
    out = {
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
        "results": results,
    }
    target.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {target}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
