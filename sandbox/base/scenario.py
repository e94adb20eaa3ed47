"""What every part's scenario shares: the field-naming error and a read-only mapping.

Scenarios are frozen dataclasses validated on construction; a wrong value raises
:class:`ScenarioError` naming the field (``halls[0].windows.税务``, ``hotline.followup_share``), which the
CLIs turn into exit 2 with the message. Mappings inside a scenario are :class:`FrozenMap`, so a
scenario can be hashed, cached and pickled and nobody changes it behind its validation.
"""
from __future__ import annotations

from typing import Any

__all__ = ["ScenarioError", "FrozenMap"]


class ScenarioError(ValueError):
    """A scenario value is missing, of the wrong type or out of range; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"场景参数 {field}: {message}")


class FrozenMap(dict):
    """A read-only, hashable dict (window counts), so a Scenario can be hashed, cached and pickled."""

    def _readonly(self, *_a: Any, **_k: Any) -> None:
        raise TypeError("场景不可修改：请用 Scenario.evolve({...}) 生成新场景")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = _readonly  # type: ignore[assignment]

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))

    def __reduce__(self):
        return (FrozenMap, (dict(self),))
