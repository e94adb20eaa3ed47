"""The synthetic city behind the leaders' dashboards: a year of halls, 12345 and platform activity.

`make up` (academy.state.prepare) calls :func:`ensure`: the city is simulated from one seed into
``<root>/data/city/`` the first time and reused on every later start (a manifest says which runs it
holds); ``python -m academy city-data --refresh [--seed S] [--months N]`` rebuilds it. After the
runs are stored, the dashboards' read model (academy.readmodel) is rebuilt from them.

Span: the ``months`` whole months before the current (Beijing) month, so month-on-month figures
always compare complete months. Everything is synthetic (合成数据) and reproducible from the seed.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from runtime.paths import Paths

DEFAULT_SEED = 2026
DEFAULT_MONTHS = 12
MANIFEST_VERSION = "city/1"


@dataclass(frozen=True)
class City:
    """What one built city holds (written as ``city.json`` beside the run database)."""

    seed: int
    months: int
    start: str  # first day, YYYY-MM-DD
    end: str  # last day, YYYY-MM-DD
    hall_run: str
    hotline_run: str
    platform_run: str
    built_at: str
    version: str = MANIFEST_VERSION
    data_mark: str = "合成数据"

    @property
    def label(self) -> str:
        """How every page names the run it shows."""
        return (f"合成数据 · 城市运行 种子 {self.seed} · {self.start[:7]} 至 {self.end[:7]}"
                f" · 大厅运行 {self.hall_run} · 热线运行 {self.hotline_run}")


def city_dir(paths: Paths) -> Path:
    return paths.data_dir / "city"


def city_db(paths: Paths) -> Path:
    return city_dir(paths) / "city.sqlite"


def manifest_path(paths: Paths) -> Path:
    return city_dir(paths) / "city.json"


def load(paths: Paths) -> City | None:
    """The city already built, or None (missing or from another format version)."""
    try:
        data = json.loads(manifest_path(paths).read_text(encoding="utf-8"))
        city = City(**data)
    except (OSError, ValueError, TypeError):
        return None
    return city if city.version == MANIFEST_VERSION and city_db(paths).exists() else None


def span(today: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The ``months`` whole months before ``today``'s month: (first day, last day)."""
    first_of_this = today.replace(day=1)
    end = first_of_this - dt.timedelta(days=1)
    y, m = first_of_this.year, first_of_this.month - months
    while m <= 0:
        y, m = y - 1, m + 12
    return dt.date(y, m, 1), end


def beijing_today() -> dt.date:
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()


def _simulate_halls(db: Path, seed: int, start: dt.date, days: int, log) -> tuple[str, object]:
    import sandbox as sb

    t0 = time.monotonic()
    rec = sb.simulate(sb.default_scenario(), days, seed, start=start)
    run = sb.save_run(db, rec, run_id=f"city-hall-{seed}")
    log(f"  city: halls {len(rec):,} cases stored as {run} [{time.monotonic() - t0:.0f} s]")
    return run, rec


def _simulate_hotline(db: Path, seed: int, start: dt.date, months: int, log) -> str:
    from sandbox.hotline.engine import simulate
    from sandbox.hotline.scenario import HotlineScenario
    from sandbox.storage import hotline as store

    t0 = time.monotonic()
    sc = HotlineScenario(start=start, months=months)
    rec = simulate(sc, seed)
    run = store.store(db, rec, scenario=sc, seed=seed, run_id=f"city-hotline-{seed}")
    log(f"  city: hotline {len(rec):,} tickets stored as {run} [{time.monotonic() - t0:.0f} s]")
    return run


def _simulate_platform(db: Path, seed: int, start: dt.date, days: int, log) -> str:
    from sandbox import platform as pf
    from sandbox.storage.platform import save_platform_run

    t0 = time.monotonic()
    ps = pf.default_platform_scenario()
    rec = pf.simulate_platform(ps, days, seed, start=start)
    run = save_platform_run(db, rec, ps, run_id=f"city-platform-{seed}")
    log(f"  city: platform {len(rec.applications['app_id']):,} submissions stored as {run} "
        f"[{time.monotonic() - t0:.0f} s]")
    return run


def build(paths: Paths, *, seed: int = DEFAULT_SEED, months: int = DEFAULT_MONTHS,
          today: dt.date | None = None, log: Callable[[str], None] = print) -> City:
    """Simulate and store the city (replacing an older one), then rebuild the read model and pages."""
    from academy import dashpages, readmodel

    start, end = span(today or beijing_today(), months)
    days = (end - start).days + 1
    folder = city_dir(paths)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)  # raw runs hold unmasked synthetic identifiers: root (the hub) only
    tmp = folder / "city.sqlite.building"
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    hall_run, hall_rec = _simulate_halls(tmp, seed, start, days, log)
    hotline_run = _simulate_hotline(tmp, seed, start, months, log)
    platform_run = _simulate_platform(tmp, seed, start, days, log)
    os.replace(tmp, city_db(paths))
    city = City(seed=seed, months=months, start=start.isoformat(), end=end.isoformat(), hall_run=hall_run,
                hotline_run=hotline_run, platform_run=platform_run,
                built_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    readmodel.build_city(paths, city_db(paths), city, hall_rec, log=log)
    dashpages.render_city_pages(paths, log=log)
    manifest_path(paths).write_text(json.dumps(asdict(city), ensure_ascii=False, indent=1), encoding="utf-8")
    return city


def ensure(paths: Paths, *, months: int = DEFAULT_MONTHS, log: Callable[[str], None] = print) -> City | None:
    """`make up`: reuse the city if it exists (fast), else build it; ``months=0`` builds nothing.
    The training part of the read model is the dashboards-data service's (it starts with the hub)."""
    from academy import readmodel

    # The hub starts the dashboards service as `academy-dash` (root mode) with its home as HOME:
    # both must exist before the hub does, also when the city is reused or none is built.
    readmodel.prepare_dir(paths)
    city = load(paths)
    if city is None and months > 0:
        log(f"  city: building {months} months of synthetic city data (once; reused on later starts)")
        city = build(paths, months=months, log=log)
    elif city is not None:
        log(f"  city: {city.label} (reused)")
    return city


# -- CLI -------------------------------------------------------------------------------------------
def register(sub) -> None:
    """The `city-data` verb of `python -m academy`."""
    p = sub.add_parser("city-data", help="看板用合成城市数据：查看或重建 / the dashboards' synthetic city")
    p.add_argument("--refresh", action="store_true", help="重新模拟并替换现有城市数据")
    p.add_argument("--seed", type=int, default=None, help=f"随机种子（默认沿用现有城市，否则 {DEFAULT_SEED}）")
    p.add_argument("--months", type=int, default=None, help=f"月数 1–24（默认 {DEFAULT_MONTHS}）")
    p.set_defaults(func=_cmd)


def _cmd(args) -> int:
    from runtime.settings import current

    paths = current().paths
    old = load(paths)
    months = args.months if args.months is not None else (old.months if old else DEFAULT_MONTHS)
    if not 1 <= months <= 24:
        print(f"错误：--months 须在 1 到 24 之间，收到 {months}", file=sys.stderr)
        return 2
    if args.seed is not None and args.seed < 0:
        print(f"错误：--seed 须为非负整数，收到 {args.seed}", file=sys.stderr)
        return 2
    if old is not None and not args.refresh and args.seed is None:
        print(old.label)
        return 0
    if not paths.has_academy_db():
        print("运行目录尚未准备，请先运行 make up / run `make up` once first", file=sys.stderr)
        return 2
    seed = args.seed if args.seed is not None else (old.seed if old else DEFAULT_SEED)
    city = build(paths, seed=seed, months=months)
    from academy import dashpages

    dashpages.refresh(paths, force=True)
    print(city.label)
    return 0
