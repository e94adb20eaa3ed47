"""政务数据目录 and sharing (task 9): 数据多跑路，群众少跑腿.

* The catalogue (data/platform/datashare_catalog.toml): data items per department with the
  共享责任清单 columns — provider (数源部门), sharing type (无条件/有条件/不予共享), update cycle — and
  the catalogue materials (sandbox.base.catalog) each item can stand in for.
* Share requests between departments (:mod:`sandbox.platform.datashare_requests`): approval and
  reply deadlines in working days of the sandbox calendar.
* Data quality — timeliness, completeness, errors — decides whether a shared item may replace the
  paper material. Operators see *measured* quality (a sample); the true rates stay grader-side.
* A year of applications asks for government-issued materials; each is replaced by a share call
  when the applying department has access and the item's measured quality passes, else it is asked
  for on paper — and asking for paper when the data was shareable but never requested counts as
  重复收集, which the regulation forbids.

Metrics are plain functions over :class:`SharingRun`; :func:`share_calls` fills the platform
summary. Pure core: no I/O besides reading the package's own data file.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Mapping

import numpy as np

from sandbox.base.catalog import Catalog, load_catalog
from sandbox.base.ids import SYNTHETIC_MARK
from sandbox.platform.datashare_catalogue import (  # re-exported: one module for callers
    CATALOG_FILE, CYCLES, OUTCOMES, DataCatalogue, DataItem, DataShareScenario, DataShareScenarioError,
    QualityReport, can_replace, datashare_scenario, load_data_catalogue, measure_quality, parse_data_catalogue,
    quality_truth, responsibility_list, true_quality)
from sandbox.platform.datashare_requests import ShareRequest, act, delivery_late, is_open, reply_late, submit
from sandbox.base.calendar import WorkCalendar, default_calendar

__all__ = [
    "CYCLES", "OUTCOMES", "CATALOG_FILE", "DataShareScenarioError", "DataItem", "DataCatalogue",
    "load_data_catalogue", "responsibility_list", "DataShareScenario", "datashare_scenario", "QualityReport",
    "true_quality", "measure_quality", "can_replace", "quality_truth", "SharingRun", "simulate_sharing",
    "share_calls", "materials_replaced", "repeated_collection", "outcome_counts", "request_figures",
    "replaced_by_item", "Link", "catalogue_links", "is_usable", "parse_data_catalogue", "share_calls_by_day",
    "LAWFUL_REFUSALS", "UNLAWFUL_REFUSALS", "ReviewExercise", "review_exercise", "review_truth",
]


# ---- a run: requests over the horizon and the material look-ups of applications -------------------
@dataclass(frozen=True)
class Link:
    """A catalogue material that a data item can replace, for one service item."""
    service_item: str  # catalogue item code
    material: str
    data_item: str
    requester: str  # the service item's department
    provider: str


@dataclass(frozen=True)
class SharingRun:
    start: date
    days: int
    links: tuple[Link, ...]
    requests: tuple[ShareRequest, ...]
    quality: tuple[QualityReport, ...]  # measured on the first day of each month
    # One row per day and link with applications that needed the material; read-only columns.
    day: np.ndarray  # date ordinal
    link: np.ndarray  # index into links
    outcome: np.ndarray  # index into OUTCOMES
    count: np.ndarray  # materials

    def __post_init__(self) -> None:
        for a in (self.day, self.link, self.outcome, self.count):
            a.flags.writeable = False


def catalogue_links(cat: DataCatalogue, catalog: Catalog) -> tuple[Link, ...]:
    """Every government-issued material of the service catalogue that a data item covers."""
    out = []
    for code in sorted(catalog.items):
        si = catalog.items[code]
        for m in si.materials:
            it = cat.for_material(m.name)
            if m.source == "政府部门核发" and it is not None:
                out.append(Link(code, m.name, it.code, si.department, it.department))
    return tuple(out)


def _working(cal: WorkCalendar, d: date, n: int) -> date:
    return cal.add_working_days(d, n) if n else (d if cal.is_working_day(d) else cal.next_working_day(d))


def _late(rng: np.random.Generator, p_on_time: float, limit: int) -> int:
    """Working days taken: within the limit with probability p_on_time, else 1–10 days over."""
    return int(rng.integers(1, limit + 1)) if rng.random() < p_on_time else limit + int(rng.integers(1, 11))


def _deliver(rng: np.random.Generator, sc: DataShareScenario, r: ShareRequest, cal: WorkCalendar,
             end: date) -> ShareRequest:
    on = _working(cal, r.history[-1].on, _late(rng, sc.p_deliver_on_time, sc.rules.deliver_days))
    return act(r, "deliver", on, sc.rules, cal) if on <= end else r


def _life(rng: np.random.Generator, sc: DataShareScenario, r: ShareRequest, cal: WorkCalendar,
          end: date) -> ShareRequest:
    """Play one 有条件共享 request forward through the state machine up to ``end``."""
    on = _working(cal, r.submitted, _late(rng, sc.p_reply_on_time, sc.rules.reply_days))
    if on > end:
        return r
    if rng.random() < sc.p_approve:
        return _deliver(rng, sc, act(r, "approve", on, sc.rules, cal), cal, end)
    r = act(r, "refuse", on, sc.rules, cal, note="申请用途超出共享条件范围")
    on = _working(cal, on, int(rng.integers(1, 6)))
    if rng.random() >= sc.p_escalate or on > end:
        return r
    r = act(r, "escalate", on, sc.rules, cal, note="因履职确需使用，提请主管部门协调")
    on = _working(cal, on, _late(rng, sc.p_reply_on_time, sc.rules.coordinate_days))
    if on > end:
        return r
    if rng.random() < sc.p_coordinate_approve:
        return _deliver(rng, sc, act(r, "approve", on, sc.rules, cal, note="协调同意"), cal, end)
    return act(r, "refuse", on, sc.rules, cal, note="协调未通过：不符合共享条件")


def _requests(rng: np.random.Generator, sc: DataShareScenario, cat: DataCatalogue, links: tuple[Link, ...],
              start: date, end: date, cal: WorkCalendar) -> tuple[ShareRequest, ...]:
    pairs = sorted({(lk.requester, lk.data_item) for lk in links if lk.requester != lk.provider})
    out = []
    for requester, code in pairs:
        it = cat.item(code)
        if it.share_type == "不予共享" or (it.share_type == "有条件共享" and rng.random() >= sc.p_apply):
            continue
        offset = 0 if it.share_type == "无条件共享" else int(rng.integers(0, sc.apply_window_days))
        on = _working(cal, start + timedelta(days=offset), 0)
        if on > end:
            continue
        ticket = f"GX{start.year}{len(out) + 1:05d}"
        r = submit(ticket, requester, it.department, code, it.share_type, f"办理本部门政务服务事项，核验{it.name}",
                   on, sc.rules, cal, basis=it.basis)
        out.append(_life(rng, sc, r, cal, end) if r.state == "已提交" else r)
    return tuple(out)


def _monthly_quality(sc: DataShareScenario, cat: DataCatalogue, seed: int, days: list[date]
                     ) -> tuple[tuple[QualityReport, ...], np.ndarray]:
    """Quality measured on the first day of each month in the run; a days × items pass matrix."""
    reports: list[QualityReport] = []
    ok = np.zeros((len(days), len(cat.items)), dtype=bool)
    current: tuple[bool, ...] = ()
    month = None
    for i, d in enumerate(days):
        if (d.year, d.month) != month:
            month = (d.year, d.month)
            found = measure_quality(sc, cat, seed, d)
            reports.extend(found)
            current = tuple(can_replace(q, it, sc)[0] for q, it in zip(found, cat.items))
        ok[i] = current
    return tuple(reports), ok


def _outcomes(lk: Link, it: DataItem, day_ord: np.ndarray, q_ok: np.ndarray, req: ShareRequest | None
              ) -> np.ndarray:
    """OUTCOMES index per day for one link: first blocker wins (type, access, then quality)."""
    if lk.requester == lk.provider:
        return np.where(q_ok, 1, 5)
    if it.share_type == "不予共享":
        return np.full(len(day_ord), 4)
    if req is None:
        return np.full(len(day_ord), 2)
    opened = next((e.on.toordinal() for e in req.history if e.state == "已开通"), None)
    access = day_ord >= opened if opened is not None else np.zeros(len(day_ord), dtype=bool)
    return np.where(~access, 3, np.where(q_ok, 0, 5))


def _drawn_demand(rng: np.random.Generator, sc: DataShareScenario, catalog: Catalog, codes: list[str],
                  days: list[date], cal: WorkCalendar) -> np.ndarray:
    """Applications per day and service item: Poisson totals on working days, split by item weight."""
    w = np.array([catalog.items[c].weight for c in codes], dtype=float)
    return np.array([rng.multinomial(rng.poisson(sc.daily_applications), w / w.sum()) if cal.is_working_day(d)
                     else np.zeros(len(codes), dtype=np.int64) for d in days]).reshape(len(days), len(codes))


def _given_demand(applications: Mapping[tuple[date, str], int], codes: list[str], days: list[date]) -> np.ndarray:
    """The caller's own applications (e.g. the platform core's online and hall cases) as a matrix."""
    col = {c: i for i, c in enumerate(codes)}
    row = {d: i for i, d in enumerate(days)}
    out = np.zeros((len(days), len(codes)), dtype=np.int64)
    for (d, code), n in applications.items():
        if code not in col:
            raise DataShareScenarioError("applications", f"事项编码 {code!r} 不在事项目录中")
        if d not in row:
            raise DataShareScenarioError("applications", f"日期 {d} 不在模拟期内")
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise DataShareScenarioError("applications", f"{d} {code} 的件数应为非负整数，而不是 {n!r}")
        out[row[d], col[code]] += int(n)
    return out


def simulate_sharing(sc: DataShareScenario, seed: int, start: date, days: int, *, catalog: Catalog | None = None,
                     data_catalogue: DataCatalogue | None = None, calendar: WorkCalendar | None = None,
                     applications: Mapping[tuple[date, str], int] | None = None) -> SharingRun:
    """Share requests and the materials of ``days`` calendar days of applications; same seed → same run.

    Without ``applications`` the run draws ``daily_applications`` a working day itself; with them
    (``{(day, item code): cases}``) it uses exactly those, so that the platform's own application
    counts and its share calls reconcile.
    """
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise DataShareScenarioError("days", f"天数应为正整数，而不是 {days!r}")
    catalog = catalog or load_catalog()
    cat = data_catalogue or load_data_catalogue()
    cal = calendar or default_calendar(fallback=True)
    end = start + timedelta(days=days - 1)
    links = catalogue_links(cat, catalog)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x5A2E]))
    requests = _requests(rng, sc, cat, links, start, end, cal)
    all_days = cal.days(start, end)
    codes = sorted(catalog.items)
    counts = (_given_demand(applications, codes, all_days) if applications is not None
              else _drawn_demand(rng, sc, catalog, codes, all_days, cal))
    quality, q_ok = _monthly_quality(sc, cat, seed, all_days)
    day_ord = np.array([d.toordinal() for d in all_days], dtype=np.int32)
    by_pair = {(r.requester, r.item): r for r in requests}
    col = {c: i for i, c in enumerate(codes)}
    didx = {it.code: i for i, it in enumerate(cat.items)}
    parts = []
    for li, lk in enumerate(links):
        n = counts[:, col[lk.service_item]]
        keep = n > 0
        oc = _outcomes(lk, cat.item(lk.data_item), day_ord[keep], q_ok[keep, didx[lk.data_item]],
                       by_pair.get((lk.requester, lk.data_item)))
        parts.append((day_ord[keep], np.full(int(keep.sum()), li), oc, n[keep]))
    return SharingRun(start, days, links, requests, quality, *(_column(parts, k, dt) for k, dt in
                                                               ((0, np.int32), (1, np.int16), (2, np.int8), (3, np.int32))))


def _column(parts: list[tuple[np.ndarray, ...]], k: int, dtype: Any) -> np.ndarray:
    return np.concatenate([p[k] for p in parts]).astype(dtype) if parts else np.zeros(0, dtype)


# ---- metrics --------------------------------------------------------------------------------------
def share_calls(run: SharingRun) -> int:
    """Materials fetched from another department through the sharing platform (平台共享调用次数)."""
    return int(run.count[run.outcome == 0].sum())


def share_calls_by_day(run: SharingRun) -> dict[date, int]:
    m = run.outcome == 0
    days, inv = np.unique(run.day[m], return_inverse=True)
    return {date.fromordinal(int(d)): int(c) for d, c in zip(days, np.bincount(inv, weights=run.count[m]))}


def materials_replaced(run: SharingRun) -> int:
    """Paper materials not asked for because data stood in (shared or the department's own)."""
    return int(run.count[(run.outcome == 0) | (run.outcome == 1)].sum())


def repeated_collection(run: SharingRun) -> int:
    """Paper asked for although the data was shareable and the department never applied (重复收集)."""
    return int(run.count[run.outcome == 2].sum())


def outcome_counts(run: SharingRun) -> dict[str, int]:
    return {name: int(run.count[run.outcome == i].sum()) for i, name in enumerate(OUTCOMES)}


def replaced_by_item(run: SharingRun, cat: DataCatalogue | None = None) -> dict[str, int]:
    """Materials replaced through sharing, per data item name (the 数据多跑路 table)."""
    cat = cat or load_data_catalogue()
    out: dict[str, int] = {}
    m = run.outcome == 0
    for li, c in zip(run.link[m], run.count[m]):
        name = cat.item(run.links[int(li)].data_item).name
        out[name] = out.get(name, 0) + int(c)
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def request_figures(run: SharingRun, sc: DataShareScenario, calendar: WorkCalendar | None = None) -> dict[str, Any]:
    """Requests by state and those answered or opened late, as of the run's last day."""
    cal = calendar or default_calendar(fallback=True)
    as_of = run.start + timedelta(days=run.days - 1)
    by_state: dict[str, int] = {}
    for r in run.requests:
        by_state[r.state] = by_state.get(r.state, 0) + 1
    return {"requests": len(run.requests), "by_state": by_state,
            "reply_late": sum(reply_late(r, as_of, sc.rules, cal) for r in run.requests),
            "delivery_late": sum(delivery_late(r, as_of, sc.rules, cal) for r in run.requests),
            "mark": SYNTHETIC_MARK}


def is_usable(run: SharingRun, requester: str, data_item: str, on: date) -> bool:
    """Whether ``requester`` may use ``data_item`` through sharing on ``on`` (a trainee's look-up)."""
    return any(r.requester == requester and r.item == data_item and is_open(r, on) for r in run.requests)


# ---- exercise: a 主管部门 officer reviews the requests a month produced -------------------------------
# Refusal reasons a provider may give, and ones the regulation forbids (擅自增设条件、以收费或
# 线下办理为条件、笼统拒绝). The trainee must find the unlawful refusals and the late replies.
LAWFUL_REFUSALS = ("申请用途超出该数据项的共享条件", "申请字段超出履职所需（最小必要原则）", "所申请数据与申请部门所办事项无关")
UNLAWFUL_REFUSALS = ("需另行签订协议并支付数据费用", "本部门数据暂不对外提供", "需申请部门负责人到现场办理",
                     "数据涉及本部门业务，不便共享")


@dataclass(frozen=True)
class ReviewExercise:
    as_of: date
    requests: tuple[ShareRequest, ...]  # as the platform lists them: no verdicts inside


def _review_requests(sc: DataShareScenario, seed: int, as_of: date, n: int, cal: WorkCalendar
                     ) -> tuple[tuple[ShareRequest, ...], dict[str, tuple[str, ...]]]:
    cat = load_data_catalogue()
    cond = [it for it in cat.items if it.share_type == "有条件共享"]
    users = sorted({lk.requester for lk in catalogue_links(cat, load_catalog())})
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x4E71]))
    recent = cal.working_days(as_of - timedelta(days=60), as_of)
    out, truth = [], {}
    for i in range(n):
        it = cond[int(rng.integers(0, len(cond)))]
        requester = next(u for u in users[int(rng.integers(0, len(users))):] + users if u != it.department)
        on = recent[-int(rng.integers(3, 25))]
        r = submit(f"GX{as_of.year}{i + 1:05d}", requester, it.department, it.code, it.share_type,
                   f"办理政务服务事项，核验{it.name}", on, sc.rules, cal)
        took = _late(rng, sc.p_reply_on_time, sc.rules.reply_days)
        reply = cal.add_working_days(on, took)
        verdict: list[str] = []
        if reply <= as_of and rng.random() < 0.4:
            bad = rng.random() < 0.5
            pool = UNLAWFUL_REFUSALS if bad else LAWFUL_REFUSALS
            r = act(r, "refuse", reply, sc.rules, cal, note=pool[int(rng.integers(0, len(pool)))])
            verdict += ["unlawful_refusal"] if bad else []
        elif reply <= as_of:
            r = act(r, "approve", reply, sc.rules, cal)
        # Late: more working days than allowed between submission and the reply (or as_of, unanswered);
        # counted here with working_days_between, apart from the code a trainee would use.
        if cal.working_days_between(on, min(reply, as_of)) > sc.rules.reply_days:
            verdict.append("reply_late")
        out.append(r)
        truth[r.ticket] = tuple(verdict)
    return tuple(out), truth


def review_exercise(sc: DataShareScenario, seed: int, as_of: date, n: int = 20,
                    calendar: WorkCalendar | None = None) -> ReviewExercise:
    """``n`` 有条件共享 requests as of a day, some refused unlawfully, some answered late."""
    if n < 1:
        raise DataShareScenarioError("n", "至少一件共享申请")
    return ReviewExercise(as_of, _review_requests(sc, seed, as_of, n, calendar or default_calendar(fallback=True))[0])


def review_truth(sc: DataShareScenario, seed: int, as_of: date, n: int = 20,
                 calendar: WorkCalendar | None = None) -> dict[str, tuple[str, ...]]:
    """Grader side: per ticket, the findings expected ("unlawful_refusal", "reply_late"); () = in order."""
    return _review_requests(sc, seed, as_of, n, calendar or default_calendar(fallback=True))[1]
