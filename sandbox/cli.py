"""``python -m sandbox COMMAND …`` — a thin edge over the library (parsing, progress, printing).

Commands come from modules listed in :data:`COMMAND_MODULES`; each has ``register(subparsers)`` that
adds its parser with ``set_defaults(func=handler)``, ``handler(args) -> int``. Exit codes: 0 success, 2 bad input — arguments, a scenario (the message names
the field), a date outside the calendar, a --db that cannot be used, a run id already stored without
--replace (raise :class:`UsageError`, ``ScenarioError``, ``CalendarRangeError`` or ``StorageError``) —
1 anything else. Messages are Chinese, without a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import json
import math
import sys
import warnings
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterator, Sequence

__all__ = ["main", "UsageError", "COMMAND_MODULES", "register", "user_warnings"]

# Subcommand modules; "sandbox.hotline.cli" adds `hotline` and `bulletin` (owned by the hotline).
COMMAND_MODULES = ["sandbox.cli", "sandbox.hotline.cli", "sandbox.platform.cli"]

JSON_KEYS = ("cases", "hall_visits", "matters", "mean_wait_min", "p90_wait_min", "abandonment_rate", "instant_rate",
             "one_visit_rate", "visits_per_matter", "on_time_rate", "satisfaction_rate", "bad_rating_rate",
             "utilisation")


class UsageError(Exception):
    """Bad arguments or input: exit code 2."""


@contextmanager
def user_warnings() -> Iterator[None]:
    """Show the library's warnings meant for the user (calendar, fonts) as one Chinese line each on stderr."""
    from .base.calendar import CalendarWarning
    from .charts import NoCJKFontWarning

    ours = (CalendarWarning, NoCJKFontWarning)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        if issubclass(w.category, ours):
            print(f"警告：{w.message}", file=sys.stderr)
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 YYYY-MM-DD，而不是 {text!r}") from None


def _positive(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是 {text!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是 {v}")
    return v


def _seed(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"种子应为整数，而不是 {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError("种子应为非负整数")
    return v


def _clean(v: Any) -> Any:
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


# ---- simulate --------------------------------------------------------------------------------------
def _simulate(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from .base.calendar import check_span
    from .base.ids import SYNTHETIC_MARK
    from .hall import metrics, simulate
    from .hall.scenario import load_scenario
    from .storage import hall as storage

    scenario = load_scenario(args.scenario or "baseline")
    if scenario.mode != "hall":
        raise UsageError(f"场景 {scenario.name} 是验证模式（mode = mmc）：请用 `python -m sandbox validate`")
    start = args.start or scenario.start_date
    # Everything that can refuse the run is asked before the simulation (a year takes a minute).
    check_span(start, start + timedelta(days=args.days - 1))
    storage.check_writable(args.db, args.run_id, replace=args.replace)
    err = Console(stderr=True)
    # A bar on a terminal; with --progress and no terminal (logs, CI) one plain line per stream.
    live = err.is_terminal
    plain = args.progress and not live
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=err, disable=not live, transient=True) as bar:
        task = bar.add_task(f"模拟 {args.days} 天", total=None)

        def progress(label: str, done: int, total: int) -> None:
            bar.update(task, description=f"模拟 {args.days} 天（{label}）", completed=done, total=total)
            if plain:
                print(f"进度 {done}/{total}（{label}）", file=sys.stderr, flush=True)

        with user_warnings():
            records = simulate(scenario, args.days, args.seed, start, workers=args.workers, progress=progress)
        bar.update(task, description="写入数据库")
        summary = metrics.summary(records)
        run_id = storage.save_run(args.db, records, args.run_id, summary, replace=args.replace)
    out = {"run_id": run_id, "scenario": scenario.name, "seed": args.seed, "start": start.isoformat(),
           "days": args.days, "db": str(args.db), "data_mark": SYNTHETIC_MARK}
    out.update({k: _clean(v) for k, v in summary.items()})
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return 0
    con = Console()
    con.print(f"模拟结果（{SYNTHETIC_MARK}）运行 {run_id}：{scenario.title}，{start} 起 {args.days} 天，种子 {args.seed}")
    table = Table()
    table.add_column("指标")
    table.add_column("数值", justify="right")
    for k, label in metrics.SUMMARY_LABELS.items():
        v = summary.get(k)
        if v is None:
            continue
        if isinstance(v, float):
            text = "—" if math.isnan(v) else (f"{v:.1%}" if k.endswith("_rate") or k == "utilisation" else f"{v:.1f}")
        else:
            text = f"{v:,}"
        table.add_row(label, text)
    con.print(table)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .hall.scenario import load_scenario
    from .hall.validation import replicate

    s = load_scenario(args.scenario or "validation_mmc")
    changes = {}
    if args.load is not None:
        changes["validation.load"] = args.load
    if args.servers is not None:
        changes["validation.servers"] = args.servers
    if changes:
        s = s.evolve(changes)
    pooled = replicate(s, args.replications, args.seed).as_dict()
    separate = replicate(s, args.replications, args.seed, pooled=False).as_dict()
    out = {"pooled": pooled, "separate": separate}
    if args.json:
        print(json.dumps(out, ensure_ascii=False, default=float))
    else:
        for name, d in (("一窗受理（合并排队）", pooled), ("分设窗口（各自排队）", separate)):
            print(f"{name}: 平均等候 {d['mean_wait_min']:.2f} 分钟（95% CI {d['ci95_low']:.2f}–{d['ci95_high']:.2f}），"
                  f"理论 {d['erlang_c_wait_min']:.2f}；等候概率 {d['p_wait']:.3f}，理论 {d['erlang_c_p_wait']:.3f}")
    return 0


def _scenarios(args: argparse.Namespace) -> int:
    from .hall.scenario import load_scenario, scenario_names

    for name in scenario_names():
        s = load_scenario(name)
        print(f"{name}\t{s.title}\t{s.description}")
    return 0


def add_run_arguments(p: argparse.ArgumentParser, scenario_help: str) -> None:
    """The arguments every verb that simulates days and stores a run shares (simulate, platform)."""
    p.add_argument("--days", type=_positive, required=True, help="模拟的日历天数")
    p.add_argument("--seed", type=_seed, required=True, help="随机种子（相同种子结果相同）")
    p.add_argument("--db", type=Path, required=True, help="SQLite 数据库文件")
    p.add_argument("--start", type=_date, default=None, help="开始日期 YYYY-MM-DD（默认取场景的 start_date）")
    p.add_argument("--scenario", default=None, help=scenario_help)
    p.add_argument("--run-id", default=None, help="运行编号（默认新建；已有的编号须加 --replace 才会覆盖）")
    p.add_argument("--replace", action="store_true", help="覆盖同一 --run-id 的已有运行")
    p.add_argument("--json", action="store_true", help="只输出一个 JSON 对象")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("simulate", help="模拟服务大厅并写入数据库")
    add_run_arguments(p, "场景 TOML 文件或内置场景名（baseline、stressed）")
    p.add_argument("--workers", type=_positive, default=None, help="并行进程数（默认自动）")
    p.add_argument("--progress", action="store_true", help="即使不在终端也显示进度")
    p.set_defaults(func=_simulate)
    v = sub.add_parser("validate", help="M/M/c 验证：与 Erlang C 公式比对")
    v.add_argument("--replications", type=_positive, default=20)
    v.add_argument("--seed", type=_seed, default=1)
    v.add_argument("--scenario", default=None)
    v.add_argument("--load", type=float, default=None)
    v.add_argument("--servers", type=_positive, default=None)
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=_validate)
    s = sub.add_parser("scenarios", help="列出内置场景")
    s.set_defaults(func=_scenarios)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 as well; keep its usage line
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 参数错误: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m sandbox", description="海东政务服务模拟沙盘（合成数据）")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from .base.calendar import CalendarDataError, CalendarRangeError
    from .base.scenario import ScenarioError
    from .storage.runs import StorageError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (UsageError, ScenarioError, CalendarRangeError, CalendarDataError, StorageError) as e:
        print(f"错误: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 1
    except Exception as e:  # noqa: BLE001 - the CLI's last line of defence
        print(f"运行失败: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
