"""``python -m sandbox platform …`` — simulate the online platform and store the run (the edge).

Same exit codes and errors as ``simulate``: 0 success; 2 bad arguments, a bad scenario (the message
names the field) or a date outside the calendar — in Chinese, no traceback; 1 anything else.
``--json`` prints one object: run id, the summary (users, online_applications, online_rate,
full_online_rate, paper_avoided, share_calls, benefits_paid …) and ``data_mark`` 合成数据.
"""
from __future__ import annotations

import argparse
import json
import math
from typing import Any

__all__ = ["add_parser", "register", "run", "JSON_KEYS"]

JSON_KEYS = ("users", "online_applications", "online_rate", "full_online_rate", "paper_avoided", "share_calls",
             "benefits_paid")


def _clean(v: Any) -> Any:
    return None if isinstance(v, float) and math.isnan(v) else v


def run(args: argparse.Namespace) -> int:
    """Handler of the ``platform`` verb (raises UsageError/ScenarioError for exit 2)."""
    from sandbox.cli import UsageError
    from sandbox.base.ids import SYNTHETIC_MARK

    from .engine import simulate_platform
    from .city import city_summary
    from .metrics import SUMMARY_LABELS
    from .scenario import default_platform_scenario, load_platform_scenario
    from ..storage.platform import engine_for, save_platform_run
    from ..storage.runs import StorageError

    scenario = load_platform_scenario(args.scenario) if args.scenario else default_platform_scenario()
    start = args.start or scenario.start_date
    if args.days > 3660:
        raise UsageError(f"--days 最多 3660 天（十年），而不是 {args.days}")
    try:
        if args.db.exists():  # a directory or a non-SQLite file fails before the simulation, writing nothing
            engine_for(args.db, create=False)
        rec = simulate_platform(scenario, args.days, args.seed, start)
        summ = city_summary(rec)
        run_id = save_platform_run(args.db, rec, scenario, args.run_id, summ, replace=args.replace)
    except StorageError as e:
        raise UsageError(str(e)) from None
    out = {"run_id": run_id, "scenario": scenario.name, "seed": args.seed, "start": start.isoformat(),
           "days": args.days, "db": str(args.db), "data_mark": SYNTHETIC_MARK}
    out.update({k: _clean(v) for k, v in summ.items()})
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(f"平台模拟结果（{SYNTHETIC_MARK}）运行 {run_id}：{scenario.title}，{start} 起 {args.days} 天，种子 {args.seed}")
    for k, label in SUMMARY_LABELS.items():
        v = summ.get(k)
        if v is None:
            continue
        text = ("—" if math.isnan(v) else f"{v:.1%}") if isinstance(v, float) and k.endswith(("_rate", "_coverage")) else \
            (f"{v:,.1f}" if isinstance(v, float) else f"{v:,}")
        print(f"  {label}: {text}")
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    from sandbox.cli import add_run_arguments  # the same run arguments and messages as the hall verb

    p = subparsers.add_parser("platform", help="模拟省一体化政务服务平台并写入数据库（合成数据）")
    add_run_arguments(p, "平台场景 TOML 文件或内置场景名（baseline、drift）")
    p.set_defaults(func=run)
    return p


register = add_parser  # sandbox/cli.py calls register(subparsers) on every module in COMMAND_MODULES
