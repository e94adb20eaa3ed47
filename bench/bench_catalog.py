"""Catalogue, guides and acceptance: load time (against bare tomllib parsing of the same files) and
per-call costs of the functions the engine and course 1 call in loops."""
from __future__ import annotations

import random
import time
import tomllib


def _best(fn, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def run() -> dict:
    from sandbox.practice.acceptance import decide, make_application
    from sandbox.base.catalog import DATA_DIR, load_catalog
    from sandbox.practice.guides import check_guide, guide_markdown, make_defective_guide, render_guide
    from sandbox.base.population import build_population

    files = sorted((DATA_DIR / "catalog").glob("*.toml")) + [DATA_DIR / "bundles.toml"]
    raw = _best(lambda: [tomllib.loads(p.read_text(encoding="utf-8")) for p in files])
    load = _best(lambda: load_catalog(DATA_DIR))  # a path argument bypasses the cache
    cat = load_catalog()
    items = list(cat.items.values())
    pop = build_population(42, 5_000, 500)

    r = random.Random(1)
    apps = [make_application(it, r, pop, d) for d in ("easy", "medium", "hard") for it in items for _ in range(10)]
    t = time.perf_counter()
    for _ in range(3):
        for a in apps:
            decide(a)
    decide_us = (time.perf_counter() - t) / (3 * len(apps)) * 1e6

    r = random.Random(2)
    t = time.perf_counter()
    for it in items * 5:
        make_application(it, r, pop, "medium")
    make_app_us = (time.perf_counter() - t) / (5 * len(items)) * 1e6

    r = random.Random(3)
    t = time.perf_counter()
    guides = [make_defective_guide(it, r)[0] for it in items * 5]
    defective_us = (time.perf_counter() - t) / len(guides) * 1e6
    t = time.perf_counter()
    for g in guides:
        check_guide(g)
    check_us = (time.perf_counter() - t) / len(guides) * 1e6
    t = time.perf_counter()
    for it in items:
        guide_markdown(render_guide(it))
    md_us = (time.perf_counter() - t) / len(items) * 1e6

    return {
        "items": len(items),
        "bundles": len(cat.bundles),
        "toml_parse_s": round(raw, 4),
        "load_validated_s": round(load, 4),
        "load_vs_parse_ratio": round(load / raw, 2),
        "decide_us_per_call": round(decide_us, 2),
        "make_application_us_per_call": round(make_app_us, 2),
        "make_defective_guide_us_per_call": round(defective_us, 2),
        "check_guide_us_per_call": round(check_us, 2),
        "render_markdown_us_per_item": round(md_us, 2),
    }


if __name__ == "__main__":
    for k, v in run().items():
        print(f"{k:<40} {v}")
