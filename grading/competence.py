"""The competence framework: five dimensions, four levels, thresholds from a TOML file."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from runtime.settings import Settings, current

from .course import COMPETENCES

DEFAULT_FILE = Path(__file__).with_name("competence.toml")
LEVELS = ("未达标", "合格", "良好", "优秀")


@dataclass(frozen=True)
class Dimension:
    name: str
    description: str
    plan_area: str
    digcomp: tuple[str, ...]


@dataclass(frozen=True)
class Framework:
    dimensions: tuple[Dimension, ...]
    thresholds: dict[str, float]  # level -> minimum share
    source: Path

    def level(self, share: float | None) -> str:
        if share is None:
            return "未达标"
        best = LEVELS[0]
        for name in LEVELS[1:]:
            if share + 1e-9 >= self.thresholds[name]:
                best = name
        return best


def framework_file(settings: Settings | None = None) -> Path:
    settings = settings or current()
    if settings.competence:
        return Path(settings.competence)
    override = settings.paths.root / "etc" / "competence.toml"
    return override if override.exists() else DEFAULT_FILE


def load_framework(path: Path | None = None, settings: Settings | None = None) -> Framework:
    path = Path(path or framework_file(settings))
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    dims = tuple(Dimension(d["name"], d.get("description", ""), d.get("plan_area", ""), tuple(d.get("digcomp", ())))
                 for d in data.get("dimensions", []))
    if tuple(d.name for d in dims) != COMPETENCES:
        raise ValueError(f"{path}: dimensions must be exactly {', '.join(COMPETENCES)}")
    levels = {k: float(v) for k, v in data.get("levels", {}).items()}
    missing = [lv for lv in LEVELS[1:] if lv not in levels]
    if missing:
        raise ValueError(f"{path}: [levels] needs {', '.join(missing)}")
    if not (0 <= levels["合格"] <= levels["良好"] <= levels["优秀"] <= 1):
        raise ValueError(f"{path}: thresholds must rise 0 ≤ 合格 ≤ 良好 ≤ 优秀 ≤ 1")
    return Framework(dims, levels, path)
