"""The contract between grading and a course's grader-only checkers (answers graded as data).

A form assignment is graded by reading the trainee's saved answers (``answers.json``) as *data* in a
trusted process that never runs the trainee's notebook. The course declares, per assignment in
``course.toml``::

    [[assignments]]
    id = "review"
    checker = "grader/review.py"     # path inside the course source folder

The checker module lives beside its course (never in ``coursekit``, which trainees can import), is
copied into the grader-only course root, and is loaded by path (:func:`load_checker`). It defines:

``cases(seed: int) -> dict``
    The trainee's own cases: the public material the trainee works on (JSON values only; nothing
    that gives the answer away). ``seed`` comes from :func:`case_seed` on the grader's side, so a
    trainee can neither recompute another's cases nor choose their own.

``check(answers: dict, ctx: Context) -> list[Item]``
    One :class:`Item` (or a mapping with Item's fields: a course's checker need not import grading,
    :func:`as_item`) per graded cell (nbgrader ``grade_id``): points with Chinese reasons. It
    regenerates the cases from ``ctx.seed`` and must not trust anything in ``answers`` beyond the
    answer values (validate types and sizes; an absent or malformed answer scores 0 with a reason).

Optional: ``SCHEMA`` (a dict of question id → expected JSON type name: "str", "number", "int",
"list", "dict", "bool", "any") — answers of another type are dropped (``check`` sees them absent)
and the finding recorded, before ``check`` sees them (grading.answers_in).

In a lesson/assignment notebook the trainee's own cases are ``coursekit.answers.my_cases()`` (the
``cases`` dict of the ``cases.json`` grading writes beside the notebook; ``python -m grading cases``).
"""
from __future__ import annotations

import hashlib
import hmac
import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Mapping


@dataclass(frozen=True)
class Context:
    """Who is graded, which attempt, and the grader-side seed of their cases."""

    course: str
    assignment: str
    account: str
    attempt: int          # 1 for the first graded submission, 2 for the first 补考 …
    seed: int             # case_seed(...) — never shown to the trainee
    # False when these cases can never be graded again for this trainee (their last allowed attempt,
    # or the last window — resubmit_until, else due — has closed): then ``Item.expected`` is shown;
    # while True, grading drops ``expected`` whatever the checker set (grading.checker_run)
    reuse_cases: bool = True


@dataclass(frozen=True)
class Item:
    """The result of one graded cell."""

    cell: str                                 # nbgrader grade_id of the graded cell
    points: float
    max_points: float
    reasons: tuple[str, ...] = ()             # Chinese, one per thing that was wrong (or right)
    expected: str | None = None               # shown only when ctx.reuse_cases is False
    needs_manual: bool = False                # hand-graded (rubric) — points are provisional/0
    answer: str | None = None                 # the trainee's answer as they would read it
    title: str | None = None                  # optional; default: the graded cell's first line

    def __post_init__(self) -> None:
        if not (0 <= self.points <= self.max_points):
            raise ValueError(f"{self.cell}: points {self.points} outside 0..{self.max_points}")


@dataclass(frozen=True)
class CheckerSpec:
    """A loaded checker module with its optional answer schema."""

    module: ModuleType
    schema: Mapping[str, str] = field(default_factory=dict)

    def cases(self, seed: int) -> dict[str, Any]:
        return self.module.cases(seed)

    def check(self, answers: Mapping[str, Any], ctx: Context) -> list[Item]:
        return [as_item(result) for result in self.module.check(dict(answers), ctx)]


def as_item(result: Item | Mapping[str, Any]) -> Item:
    """An Item from what a checker returned: an Item, or a mapping with Item's fields — so a course's
    checker can keep the contract without importing grading (courses sit on the sandbox only)."""
    if isinstance(result, Item):
        return result
    if not isinstance(result, Mapping):
        raise CheckerError(f"check() returned {type(result).__name__}, not an Item or a mapping")
    fields = dict(result)
    if "reasons" in fields:
        fields["reasons"] = tuple(fields["reasons"])
    try:
        return Item(**fields)
    except TypeError as exc:
        raise CheckerError(f"check() returned a result with unknown fields: {exc}") from exc


class CheckerError(ValueError):
    """A checker module that does not keep the contract (a course author's error)."""


def case_seed(secret: bytes, course: str, assignment: str, account: str, attempt: int) -> int:
    """A 63-bit seed from an HMAC of who and which attempt: stable, secret, not recomputable."""
    message = "\x1f".join((course, assignment, account, str(int(attempt)))).encode("utf-8")
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def load_checker(path: Path) -> CheckerSpec:
    """Load a checker module by path (not by importing courses) and check it keeps the contract."""
    path = Path(path)
    if not path.is_file():
        raise CheckerError(f"checker not found: {path}")
    name = f"_academy_checker_{hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CheckerError(f"cannot load checker: {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses in the checker need their module registered
    spec.loader.exec_module(module)
    for required in ("cases", "check"):
        if not callable(getattr(module, required, None)):
            raise CheckerError(f"checker {path} defines no {required}()")
    return CheckerSpec(module=module, schema=dict(getattr(module, "SCHEMA", {}) or {}))
