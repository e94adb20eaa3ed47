"""Command line for the hotline: ``hotline`` (simulate and store) and ``bulletin`` (monthly report).

``sandbox/cli.py`` calls :func:`register` to add both subcommands to ``python -m sandbox``; the same
commands also run standalone as ``python -m sandbox.hotline …``. Each handler returns the exit code:
0 success, 2 bad arguments or a month without tickets, 1 anything else.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date, datetime

import numpy as np


def _month(value: str) -> date:
    try:
        d = datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"月份格式应为 YYYY-MM，收到 {value!r}") from None
    return d


def _hot(value: str):
    """KIND:COUNTY:YYYY-MM-DD[:TICKETS] e.g. water:民和:2024-06-10 or property:乐都区:2024-03-04:300"""
    from ..base.geography import county
    from .scenario import hot_issue

    parts = value.split(":")
    if len(parts) not in (3, 4):
        raise argparse.ArgumentTypeError("--hot 格式为 类型:县区:YYYY-MM-DD[:件数]，如 water:民和:2024-06-10")
    try:
        kw = {"tickets": int(parts[3])} if len(parts) == 4 else {}
        return hot_issue(parts[0], county(parts[1]).name, datetime.strptime(parts[2], "%Y-%m-%d").date(), **kw)
    except (KeyError, ValueError) as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _months(value: str) -> int:
    from .scenario import MAX_MONTHS

    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"月数应为整数，收到 {value!r}") from None
    if not 1 <= n <= MAX_MONTHS:
        raise argparse.ArgumentTypeError(f"月数须在 1 到 {MAX_MONTHS} 之间，收到 {n}")
    return n


def _volume(value: str) -> float:
    from .scenario import MAX_MONTHLY_VOLUME

    try:
        v = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"月均工单量应为数字，收到 {value!r}") from None
    if not 0 < v <= MAX_MONTHLY_VOLUME:
        raise argparse.ArgumentTypeError(f"月均工单量须在 0 到 {MAX_MONTHLY_VOLUME:,.0f} 件之间，收到 {value}")
    return v


def register(subparsers) -> None:
    from .scenario import MAX_MONTHLY_VOLUME, MAX_MONTHS, MAX_TICKETS

    h = subparsers.add_parser("hotline", help="模拟12345热线工单并存入数据库")
    h.add_argument("--months", type=_months, required=True,
                   help=f"模拟的月数（1–{MAX_MONTHS}；月数 × 月均工单量不超过 {MAX_TICKETS:,} 件）")
    h.add_argument("--seed", type=int, required=True)
    h.add_argument("--db", required=True, help="SQLite 数据库文件（与大厅模拟共用；所在目录不存在时自动创建）")
    h.add_argument("--start", type=_month, default=date(2024, 1, 1), help="起始月份 YYYY-MM（默认 2024-01）")
    h.add_argument("--run-id", default=None, help="运行编号（已有的编号须加 --replace 才会覆盖）")
    h.add_argument("--replace", action="store_true", help="覆盖同一 --run-id 的已有运行")
    h.add_argument("--volume", type=_volume, default=18_000.0,
                   help=f"月均工单量（默认 18000，至多 {MAX_MONTHLY_VOLUME:,.0f}）")
    h.add_argument("--hot", type=_hot, action="append", default=[],
                   help="注入热点：类型:县区:YYYY-MM-DD[:件数]，类型为 water(停水) 或 property(物业撤场) 或任一二级分类")
    h.add_argument("--json", action="store_true", help="输出一行 JSON 摘要")
    h.set_defaults(func=cmd_hotline)
    b = subparsers.add_parser("bulletin", help="生成某月热线运行通报（HTML + JSON）")
    b.add_argument("--month", required=True, help="月份 YYYY-MM")
    b.add_argument("--db", required=True, help="SQLite 数据库文件（只读，不会被修改）")
    b.add_argument("--out", required=True, help="输出目录（写入 bulletin.html 和 bulletin.json）")
    b.add_argument("--run-id", default=None, help="运行编号（默认最近一次热线模拟）")
    b.set_defaults(func=cmd_bulletin)


def cmd_hotline(args) -> int:
    from ..cli import user_warnings
    from ..storage import hotline as storage
    from ..storage.runs import StorageError
    from .engine import simulate
    from .scenario import HotlineScenario

    try:
        sc = HotlineScenario(start=args.start, months=args.months, monthly_volume=args.volume,
                             hot_issues=tuple(args.hot))
        # Everything that can refuse the run is asked before the simulation (the calendar's range
        # too: simulate checks it before any work).
        storage.check_writable(args.db, args.run_id, replace=args.replace)
    except (ValueError, StorageError) as e:  # ScenarioError, CalendarRangeError, a --db we cannot use
        print(f"参数错误：{e}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    with user_warnings():
        records = simulate(sc, args.seed)
    t1 = time.perf_counter()
    run_id = storage.store(args.db, records, scenario=sc, seed=args.seed, run_id=args.run_id, replace=args.replace)
    t2 = time.perf_counter()
    summary = {"run_id": run_id, "tickets": len(records), "months": sc.months, "start": f"{sc.start:%Y-%m}",
               "simulate_s": round(t1 - t0, 2), "store_s": round(t2 - t1, 2), "db": str(args.db)}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"热线模拟完成（合成数据）：运行 {run_id}，{sc.start:%Y-%m} 起 {sc.months} 个月，工单 {len(records)} 件；"
              f"模拟 {t1 - t0:.1f} 秒，存储 {t2 - t1:.1f} 秒 → {args.db}")
        months, counts = np.unique(records["received_at"].astype("datetime64[M]"), return_counts=True)
        for m, n in zip(months, counts):
            print(f"  {m}  {n:>7}")
    return 0


def cmd_bulletin(args) -> int:
    from pathlib import Path

    from ..cli import user_warnings
    from ..storage.runs import StorageError
    from . import bulletin
    from .report import write

    if not Path(args.db).exists():
        print(f"找不到数据库 {args.db}", file=sys.stderr)
        return 2
    try:
        data = bulletin.build(args.db, args.month, args.run_id)  # reads only: the database is not changed
    except (bulletin.NoTicketsError, ValueError, StorageError) as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    with user_warnings():  # no CJK font: a warning, the files are written anyway
        html, js = write(data, args.out)
    b = data["基本情况"]
    v = data["回访评价"]
    print(f"{args.month} 热线通报（合成数据）：受理 {b['受理量']} 件，响应率 {v['响应率']:.1%}，解决率 {v['解决率']:.1%}，"
          f"满意率 {v['满意率']:.1%} → {html}、{js}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.hotline", description="海东12345热线模拟（合成数据）")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except Exception as e:  # last resort: a clear message, exit 1
        print(f"运行失败：{e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
