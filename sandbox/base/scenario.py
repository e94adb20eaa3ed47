"""What every part's scenario shares: the field-naming error and a read-only mapping.

Scenarios are frozen dataclasses validated on construction; a wrong value raises
:class:`ScenarioError` naming the field (``halls[0].windows.税务``, ``hotline.followup_share``), which the
CLIs turn into exit 2 with the message. Mappings inside a scenario are :class:`FrozenMap`, so a
scenario can be hashed, cached and pickled and nobody changes it behind its validation.
"""
from __future__ import annotations

import collections.abc as _abc
import dataclasses
import types
import typing
from datetime import date
from typing import Any, Mapping

__all__ = ["ScenarioError", "FrozenMap", "build_dataclass", "convert"]


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


# Building a frozen scenario dataclass from TOML/dict data, field by field, with errors that name the
# field: one builder for every part's scenario (halls, platform).
def convert(tp: Any, value: Any, where: str, error: type[ScenarioError] = ScenarioError) -> Any:
    """``value`` as type ``tp`` (bool, int, float, str, date, tuples, mappings, nested dataclasses);
    a wrong value raises ``error`` naming the field ``where``."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return convert(inner[0], value, where, error)
    if tp is bool:
        if not isinstance(value, bool):
            raise error(where, f"应为 true/false，而不是 {value!r}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                return int(value)
            raise error(where, f"应为整数，而不是 {value!r}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise error(where, f"应为数字，而不是 {value!r}")
        v = float(value)
        if v != v or v in (float("inf"), float("-inf")):
            raise error(where, "不能是 NaN 或无穷大")
        return v
    if tp is str:
        if not isinstance(value, str):
            raise error(where, f"应为文字，而不是 {value!r}")
        return value
    if tp is date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise error(where, f"日期应写成 YYYY-MM-DD，而不是 {value!r}") from None
    if origin is tuple:
        args = typing.get_args(tp)
        if not isinstance(value, (list, tuple)):
            raise error(where, f"应为列表，而不是 {value!r}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(convert(args[0], x, f"{where}[{i}]", error) for i, x in enumerate(value))
        if len(value) != len(args):
            raise error(where, f"应有 {len(args)} 个值，而不是 {len(value)} 个")
        return tuple(convert(a, x, f"{where}[{i}]", error) for i, (a, x) in enumerate(zip(args, value)))
    if origin in (Mapping, dict, _abc.Mapping):
        if not isinstance(value, Mapping):
            raise error(where, "应为表（键 = 值）")
        _, vt = typing.get_args(tp)
        return FrozenMap({str(k): convert(vt, x, f"{where}.{k}", error) for k, x in value.items()})
    if dataclasses.is_dataclass(tp):
        return build_dataclass(tp, value, where, error)
    raise TypeError(tp)  # pragma: no cover - schema bug


def build_dataclass(cls: type, data: Any, where: str = "", error: type[ScenarioError] = ScenarioError) -> Any:
    """A ``cls`` instance from a mapping; unknown keys and wrong values raise ``error`` naming the field."""
    if isinstance(data, cls):
        return data
    if not isinstance(data, Mapping):
        raise error(where or cls.__name__, "应为表（键 = 值）")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    for k in data:
        if k not in names:
            raise error(f"{where}.{k}" if where else k, "没有这个参数")
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            kwargs[f.name] = convert(hints[f.name], data[f.name], f"{where}.{f.name}" if where else f.name, error)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise error(f"{where}.{f.name}" if where else f.name, "缺少这个参数")
    return cls(**kwargs)
