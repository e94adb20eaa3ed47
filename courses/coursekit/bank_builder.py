"""Build ``practice_bank.json`` (see :mod:`coursekit.practice_bank`): apply the answer keys to the
lessons' practice seeds. Runs where ``sandbox.practice.keys`` is readable (a developer, a grader);
never in a trainee's kernel.

``python -m coursekit.bank_builder [PATH]`` writes the bank (default: the shipped file).
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any, Mapping

from sandbox.practice import load_key
from sandbox.practice.acceptance import decision_to_dict
from sandbox.practice.guides import guide_html

from .casework import _items, practice_application
from .practice_bank import BANK_FILE, SPAN, STARTS, fingerprint
from .stories import farmer_story


def _defects(seed: int) -> dict[str, Any]:
    keys = load_key("defects")
    r = random.Random(seed)  # the order of draws is the one the lesson always used
    item = r.choice(_items())
    guide, _ = keys.make_defective_guide(item, r, n=r.choice((1, 2)))
    return {"name": guide.name, "html": guide_html(guide),
            "truth": [d.code for d in keys.check_guide(guide, item=item)]}


def _decision(app) -> dict[str, Any]:
    return {"fp": fingerprint(app), "decision": decision_to_dict(load_key("decisions").decide(app))}


def _letter(seed: int) -> dict[str, Any]:
    """A practice application whose decision is 补正 with at least two materials."""
    decide = load_key("decisions").decide
    for k in range(2000):
        app = practice_application(seed * 1000 + k)
        d = decide(app)
        if d.kind == "补正" and len(d.one_time_list) >= 2:
            return {"app_seed": seed * 1000 + k, **_decision(app)}
    raise RuntimeError(f"no practice letter case for seed {seed}")


def _farmer(seed: int) -> dict[str, Any]:
    story = farmer_story(seed)
    del story["_app"]
    story["_decision"] = decision_to_dict(story["_decision"])
    return story


def build(span: int = SPAN) -> dict[str, dict[str, Any]]:
    """Every kind's entries for seeds STARTS[kind] … + span - 1 (needs the answer keys)."""
    makers = {"defects": _defects, "decisions": lambda s: _decision(practice_application(s)),
              "letters": _letter, "farmer": _farmer}
    return {kind: {str(s): makers[kind](s) for s in range(STARTS[kind], STARTS[kind] + span)} for kind in makers}


def dumps(bank: Mapping[str, Any]) -> str:
    return json.dumps(bank, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m coursekit.bank_builder [PATH]``: rebuild the bank (default: the shipped file)."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else BANK_FILE
    target.write_text(dumps(build()), encoding="utf-8")
    print(f"{target}: {target.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
