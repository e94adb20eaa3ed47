"""``python -m grading VERB …`` — a thin layer over grading.api (argument parsing and display)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from runtime.settings import Settings, SettingsError

from . import api

console = Console(stderr=True)


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def cmd_prepare(a) -> int:
    _print_json(api.prepare(a.course, settings=a.settings))
    return 0


def cmd_release(a) -> int:
    api.release(a.course, a.assignment, settings=a.settings)
    console.print(f"已发布 {a.course}/{a.assignment}")
    return 0


def cmd_collect(a) -> int:
    out = api.collect(a.course, a.assignment, settings=a.settings)
    console.print(f"已收取 {len(out['students'])} 份提交：{', '.join(out['students'])}")
    return 0


def cmd_autograde(a) -> int:
    failures = 0
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[current]}"), TextColumn("[red]{task.fields[failed]}"),
                  TimeElapsedColumn(), TimeRemainingColumn(), console=console, disable=a.json or not console.is_terminal) as progress:
        task = progress.add_task(f"评分 {a.course}/{a.assignment}", total=None, current="", failed="")

        def on_result(res: dict) -> None:
            nonlocal failures
            if not res.get("success"):
                failures += 1
            progress.update(task, advance=1, current=res["student"],
                            failed=f"失败 {failures}" if failures else "")
            if not console.is_terminal and not a.json:
                console.print(f"  {res['student']}: {'ok' if res.get('success') else 'FAILED'} ({res.get('seconds', 0)} s)")

        students = a.student or api.submissions(a.course, a.assignment, settings=a.settings)
        progress.update(task, total=len(students))
        report = api.autograde(a.course, a.assignment, workers=a.workers, students=students, on_result=on_result,
                               settings=a.settings)
    if a.json:
        _print_json(report)
        return 0
    table = Table(title=f"{a.course}/{a.assignment}：{len(report['submissions'])} 份，{report['seconds']} 秒，{report['workers']} 个进程")
    for col in ("学员", "得分", "状态", "说明"):
        table.add_column(col)
    for r in report["submissions"]:
        table.add_row(r["student"], f"{r['score']:g}/{r['max_score']:g}", r["status"], "；".join(r["reasons_zh"]))
    Console().print(table)
    return 0


def cmd_cases(a) -> int:
    out = api.write_cases(a.course, a.assignment, a.student or None, only_missing=a.missing, settings=a.settings)
    console.print(f"已写入个人案例 {len(out['written'])} 份" + (f"：{', '.join(out['written'])}" if out["written"] else ""))
    for account, why in sorted(out["skipped"].items()):
        console.print(f"  未写入 {account}：{why}")
    if a.json:
        _print_json(out)
    return 0


def cmd_feedback(a) -> int:
    out = api.feedback(a.course, a.assignment, a.student or None, settings=a.settings)
    _print_json(out)
    for w in out.get("withheld", []):  # reported, but one withheld feedback does not fail the run
        console.print(f"[yellow]已扣留[/yellow] {w['student']} 的反馈：其中含有隐藏检查内容，请培训师查看")
    return 1 if out["failed"] else 0


def cmd_export(a) -> int:
    path = api.export(a.course, Path(a.out), settings=a.settings)
    console.print(f"已导出 {path}")
    return 0


def cmd_competence(a) -> int:
    out = api.competence(a.course, out_dir=Path(a.out) if a.out else None, settings=a.settings)
    if a.json:
        _print_json(out)
    else:
        console.print(f"能力画像：{len(out['profiles'])} 人；" + (f"CSV：{', '.join(out.get('files', []))}" if a.out else ""))
    return 0


def cmd_certificate(a) -> int:
    out = api.certificate(a.course, a.account, out_dir=Path(a.out) if a.out else None, settings=a.settings)
    _print_json({k: v for k, v in out.items() if k != "standing"})
    return 0 if out["issued"] else 2


def cmd_progress(a) -> int:
    pages = api.progress_pages(a.account or None, settings=a.settings)
    console.print(f"已更新 {len(pages)} 个学习进度页面")
    return 0


def cmd_validate(a) -> int:
    problems = api.validate(a.course, dynamic=not a.static)
    if problems:
        for p in problems:
            console.print(f"[red]✗[/red] {p}")
        console.print(f"[red]{len(problems)} 个问题[/red]")
        return 1
    console.print("[green]✓ 课程检查通过[/green]")
    return 0


def cmd_new_course(a) -> int:
    path = api.new_course(a.course, Path(a.dest) if a.dest else None, title=a.title)
    console.print(f"已创建课程模板 {path}；修改后运行 python -m grading validate {path}")
    return 0


def cmd_service(a) -> int:
    from .service import main as service_main

    return service_main(interval=a.interval, once=a.once, settings=a.settings)


def cmd_verify(a) -> int:
    out = api.verify_certificate(a.number, settings=a.settings)
    _print_json(out or {"valid": False, "message": "查无此证书编号"})
    return 0 if out and out["valid"] else 1


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m grading", description="海东政务服务效能学院 — grading (nbgrader)")
    sub = p.add_subparsers(dest="verb", required=True)

    def add(name, fn, *args, help=""):
        sp = sub.add_parser(name, help=help)
        for arg in args:
            sp.add_argument(arg)
        sp.set_defaults(fn=fn)
        return sp

    add("prepare", cmd_prepare, "course", help="build/update the course root from courses/<course>")
    add("release", cmd_release, "course", "assignment", help="release an assignment to the trainees")
    add("collect", cmd_collect, "course", "assignment", help="collect submissions from the exchange")
    sp = add("autograde", cmd_autograde, "course", "assignment", help="grade submissions in parallel")
    sp.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    sp.add_argument("--student", action="append", help="only this student (repeatable)")
    sp.add_argument("--json", action="store_true", help="print the report as JSON")
    sp = add("cases", cmd_cases, "course", "assignment",
             help="write each trainee's own cases.json (checker assignments) into their assignment folder")
    sp.add_argument("--student", action="append", help="only this trainee (repeatable)")
    sp.add_argument("--missing", action="store_true", help="only where cases.json is missing")
    sp.add_argument("--json", action="store_true")
    sp = add("feedback", cmd_feedback, "course", "assignment", help="generate and release feedback")
    sp.add_argument("--student", action="append")
    sp = add("export", cmd_export, "course", help="scores as CSV")
    sp.add_argument("--out", default="grades.csv")
    sp = add("competence", cmd_competence, help="update competence profiles (and export CSV)")
    sp.add_argument("course", nargs="?")
    sp.add_argument("--out", help="directory for the CSV files")
    sp.add_argument("--json", action="store_true")
    sp = add("certificate", cmd_certificate, "course", "account", help="issue a 结业证明 when the pass rules are met")
    sp.add_argument("--out")
    sp = add("progress", cmd_progress, help="rewrite trainees' 学习进度.html pages")
    sp.add_argument("account", nargs="*")
    sp = add("validate", cmd_validate, "course", help="check an authored course (id or folder)")
    sp.add_argument("--static", action="store_true", help="skip building and grading the course")
    sp = add("new-course", cmd_new_course, "course", help="copy the course template")
    sp.add_argument("--dest")
    sp.add_argument("--title")
    sp = add("service", cmd_service, help="grade on submit: poll the exchange and grade new submissions")
    sp.add_argument("--interval", type=float, default=5.0)
    sp.add_argument("--once", action="store_true")
    add("verify", cmd_verify, "number", help="verify a certificate number")
    return p


NEEDS_COURSE_ROOT = {cmd_release, cmd_collect, cmd_autograde, cmd_feedback, cmd_export, cmd_certificate, cmd_cases}


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    """Run one verb; ``settings`` default to this process's (runtime.settings)."""
    args = build_parser().parse_args(argv)
    args.settings = settings
    try:
        if args.fn in NEEDS_COURSE_ROOT and not api.course_root(args.course, settings).is_dir():
            # checked before anything runs as grader-<course>: a typo must not create a Unix account
            console.print(f"[red]错误：[/red]课程“{args.course}”不存在（没有课程目录 "
                          f"{api.course_root(args.course, settings)}）；请先运行 python -m grading prepare")
            return 2
        return args.fn(args)
    except SettingsError as exc:  # a bad ACADEMY_* variable: say which, exit 2
        console.print(f"[red]错误：[/red]{exc}")
        return 2
    except (RuntimeError, ValueError, FileExistsError, KeyError) as exc:
        console.print(f"[red]错误：[/red]{exc}")
        return 1
