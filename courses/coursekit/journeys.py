"""Course 2 (我陪群众走流程) helpers: personas' journeys from the sandbox, what-if levers, proposals.

Everything runs the real sandbox: ``sandbox.simulate`` produces records, ``sandbox.case_journey``
the path of one matter, which :func:`steps_from_journey` turns into a timeline. No answer keys here
(issue 17): the assignment's cases and its grading — the behaviour-graded proposal included — live in
the grader-only checker ``courses/walkthrough/grader/walk.py``; the 试一试 button only runs practice days.
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping, Sequence

import ipywidgets as W
import numpy as np

from . import answers, charts, testing
from .display import badge_html, card, esc, masked_person, note, panel, table_html
from .questions import REGISTRY, render_answer, state_html
from .stories import DELAY_WAIT_MIN, ELDER_ITEMS, path_rows
from .timeline import Step, draw, steps_table_html, summary_html

ROLES = ["企业群众", "帮办人员", "经办人员", "监督人员"]

PROPOSAL_HALL_NAME = "海东市政务服务中心"
OPENING_MIN = 9 * 60  # timelines count minutes from 09:00
EXERCISE = {"days": 5, "seed": 2024}  # fixed run behind the assignment's journeys


# ---- running the sandbox ---------------------------------------------------------------------------
def _sandbox():
    import sandbox
    return sandbox


def load(name: str = "stressed"):
    return _sandbox().load_scenario(name)


def simulate(scenario, *, seed: int, days: int):
    return _sandbox().simulate(scenario, seed=seed, days=days)


def metrics(records) -> dict[str, float]:
    return dict(_sandbox().summary(records))


@functools.lru_cache(maxsize=16)
def _run(scenario_name: str, hall: str | int | None, seed: int, days: int):
    sc = load(scenario_name)
    if hall is not None:
        sc = sc.only_hall(hall)
    return sc, simulate(sc, seed=seed, days=days)


# ---- journeys -> timeline steps --------------------------------------------------------------------
def _minutes(t: datetime) -> float:
    return t.hour * 60 + t.minute + t.second / 60 - OPENING_MIN


def steps_from_journey(journey: Sequence[Mapping[str, Any]]) -> list[Step]:
    """Turn ``sandbox.case_journey`` output into timeline steps (waits, window work, hand-offs…)."""
    if not journey:
        return []
    day0 = journey[0]["time"].date()
    day = lambda t: (t.date() - day0).days + 1  # noqa: E731
    steps: list[Step] = []
    last: dict[str, Any] = {}
    prev_window_end: datetime | None = None
    for s in journey:
        kind, t = s["step"], s["time"]
        if kind == "取号":
            last["number"] = s
            if prev_window_end is not None and prev_window_end.date() == t.date():
                steps.append(Step(day(t), _minutes(prev_window_end), max(1.0, (t - prev_window_end).seconds / 60),
                                  "转办交接", f"从上一个窗口转到 {s['detail'].split(' ')[0]}"))
        elif kind == "叫号" and "number" in last:
            n = last.pop("number")
            wait = (t - n["time"]).total_seconds() / 60
            steps.append(Step(day(t), _minutes(n["time"]), wait, "排队等候",
                              f"{s['place'].split(' ', 1)[-1]}：等了 {wait:.0f} 分钟"))
            last["called"] = s
        elif kind in ("窗口办理结束", "审核结果"):
            c = last.pop("called", None)
            if c is not None:
                steps.append(Step(day(t), _minutes(c["time"]), (t - c["time"]).total_seconds() / 60, "窗口办理",
                                  f"{c['place'].split(' ', 1)[-1]}：{s['detail']}"))
                prev_window_end = t
            else:
                steps.append(Step(day(t), max(0.0, _minutes(t)), 10, "网上办理", f"{s['place']}：{s['detail']}"))
            if s["detail"].startswith("材料不全"):
                last["home"] = s
            elif s["detail"].startswith(("受理", "容缺受理", "告知承诺")) or "当场更正后受理" in s["detail"]:
                last["back"] = s  # 当场更正 (outcome 8): corrected at the window, then accepted
        elif kind in ("放弃离开", "闭厅未办"):
            n = last.pop("number", None)
            start = n["time"] if n else t
            steps.append(Step(day(t), _minutes(start), (t - start).total_seconds() / 60, "排队等候",
                              f"等了 {(t - start).total_seconds() / 60:.0f} 分钟"))
            steps.append(Step(day(t), _minutes(t), 5, "放弃离开", s["detail"]))
            last["home"] = s
        elif kind == "到达大厅" and "home" in last:
            h = last.pop("home")
            days_home = (t.date() - h["time"].date()).days
            steps.append(Step(day(h["time"]), _minutes(h["time"]), 5, "回家补材料",
                              f"第{day(h['time'])}天回家，{days_home}天后再来：{h['detail'][:40]}"))
            prev_window_end = None
        elif kind == "办结" and "back" in last:
            b = last.pop("back")
            days_back = (t.date() - b["time"].date()).days
            steps.append(Step(day(b["time"]), _minutes(b["time"]), 480 * max(days_back, 1), "后台办理",
                              f"后台审批 {days_back} 天，{s['detail']}"))
            steps.append(Step(day(t), 0, 5, "办结", s["detail"]))
    if "home" in last:  # sent home (or gave up) and not back yet within the run: one more trip ahead
        h = last.pop("home")
        steps.append(Step(day(h["time"]), _minutes(h["time"]), 5, "回家补材料",
                          f"第{day(h['time'])}天回家，还要再跑一趟：{h['detail'][:40]}"))
    return steps


def step_labels(steps: Sequence[Step]) -> list[str]:
    return [f"{i + 1}. 第{s.day}天 {s.kind}：{s.label}" for i, s in enumerate(steps)]


# ---- personas ---------------------------------------------------------------------------------------
# persona -> (title, hall the persona visits); all journeys come from the stressed (周一高峰/缺员) run.
PERSONAS = {
    "farmer": ("化隆来的老人（不会说普通话）", "化隆回族自治县"),
    "noodle": ("在外省开拉面店的化隆人（跨省通办）", None),
    "parents": ("新手父母（新生儿出生一件事）", None),
    "firm": ("来登记的新企业", PROPOSAL_HALL_NAME),
}
JOURNEY_SCENARIO = "stressed"


def _population(scenario):
    from sandbox.population import build_population
    p = scenario.population
    return build_population(p.seed, p.citizens, p.firms)


def _waits_of_matter(records, matter: int) -> list[float]:
    c = records.cases
    rows = np.flatnonzero((c["matter_id"] == matter) & (c["t_called"] >= 0))
    return [round((int(c["t_called"][r]) - int(c["t_number"][r])) / 60) for r in rows]


def _pick(records, population, persona: str, strict: bool = False) -> list[int]:
    """case_ids whose journeys make up the persona's story (first match in case order: deterministic)."""
    c = records.cases
    hall = c["channel"] == 0
    first = c["visit_no"] == 1
    if persona == "farmer":
        hualong = _county_index("化隆回族自治县")
        fallback: list[int] = []
        repeat_only: list[int] = []
        for r in np.flatnonzero(hall & first & (c["county"] == hualong) & c["elderly"]).tolist():
            pid = int(c["person"][r])
            person = population.citizens[pid] if 0 <= pid < len(population.citizens) else None
            if person is None or person.speaks_mandarin:
                continue
            if records.item_names[int(c["item"][r])] not in ELDER_ITEMS:
                continue  # what an old farmer would come for (issue 17: no housing fund, no building permit)
            matter = int(c["matter_id"][r])
            rows = c["matter_id"] == matter
            if rows.sum() < 2:
                continue  # no repeat visit: no 梗阻 to find
            long_wait = max(_waits_of_matter(records, matter), default=0) >= DELAY_WAIT_MIN
            overdue = bool((c["on_time"][rows] == 0).any())
            if long_wait and overdue:
                return [int(c["case_id"][r])]
            if (long_wait or overdue) and not fallback:
                fallback = [int(c["case_id"][r])]
            repeat_only = repeat_only or [int(c["case_id"][r])]
        if fallback:
            return fallback
        return repeat_only if not strict else []
    if persona == "noodle":
        hualong = _county_index("化隆回族自治县")
        for cond in ((c["cross"] == 2) & (c["county"] == hualong), (c["cross"] > 0) & (c["county"] == hualong),
                     c["cross"] > 0):
            cand = np.flatnonzero(cond & first)
            if len(cand):
                return [int(c["case_id"][cand[0]])]
        return []
    if persona == "parents":
        idx = _bundle_index(records, "新生儿出生一件事")
        if idx is None:
            return []
        separate = np.flatnonzero((c["life_event"] == idx) & (c["event_id"] >= 0) & hall & first)
        if len(separate):  # handled item by item: every matter of the life event
            ev = c["event_id"][separate[0]]
            rows = np.flatnonzero((c["event_id"] == ev) & first)
            return [int(c["case_id"][r]) for r in rows]
        cand = np.flatnonzero((c["life_event"] == idx) & first)
        return [int(c["case_id"][cand[0]])] if len(cand) else []
    cand = np.flatnonzero((c["firm"] >= 0) & hall & first & (c["t_called"] >= 0))
    for r in cand.tolist():  # a firm that met a 迟滞 (a long queue), as the assignment needs
        if max(_waits_of_matter(records, int(c["matter_id"][r])), default=0) >= DELAY_WAIT_MIN + 10:
            return [int(c["case_id"][r])]
    return [int(c["case_id"][cand[0]])] if len(cand) and not strict else []


def _county_index(name: str) -> int:
    from sandbox.geography import COUNTIES
    return [c.name for c in COUNTIES].index(name)


def _bundle_index(records, name: str) -> int | None:
    names = list(records.bundle_names or ())
    return names.index(name) if name in names else None


@functools.lru_cache(maxsize=8)
def persona_journey(persona: str, seed: int = EXERCISE["seed"], days: int = EXERCISE["days"], tries: int = 8):
    """(masked person fields, journey steps) of a persona in the fixed stressed run.

    Tries ``seed``, ``seed + 1`` … until the run holds such a person, so that a change in the
    simulation cannot leave an exercise without its case (still deterministic for a sandbox version).
    """
    hall = PERSONAS[persona][1]
    found = None
    for strict in (True, False):  # prefer a run where the persona meets both 梗阻 and 迟滞
        for k in range(tries):
            sc, rec = _run(JOURNEY_SCENARIO, hall, seed + k, days)
            pop = _population(sc)
            case_ids = _pick(rec, pop, persona, strict=strict and persona == "firm")
            if case_ids:
                found = sc, rec, pop, case_ids
                break
        if found:
            break
    if not found:
        return {}, []
    sc, rec, pop, case_ids = found
    journey: list[dict] = []
    for cid in case_ids:
        journey += _sandbox().case_journey(rec, cid)
    journey.sort(key=lambda s: s["time"])
    pid = int(rec.cases["person"][rec.row(case_ids[0])])
    who = masked_person(pop.citizens[pid]) if 0 <= pid < len(pop.citizens) else {}
    return who, steps_from_journey(journey)


FIRM_RUN_SEEDS = (2024, 2025)  # runs of the stressed city hall the firms' paths are drawn from


@functools.lru_cache(maxsize=4)
def firm_paths(run_seed: int) -> tuple[tuple[dict, tuple[dict, ...]], ...]:
    """(who, neutral path rows) of firms' matters at the stressed city hall that met a queue of
    DELAY_WAIT_MIN minutes or more (course 2's 迟滞 question), in case order."""
    sc, rec = _run(JOURNEY_SCENARIO, PROPOSAL_HALL_NAME, run_seed, EXERCISE["days"])
    pop = _population(sc)
    c = rec.cases
    out = []
    seen: set[int] = set()
    for r in np.flatnonzero((c["firm"] >= 0) & (c["channel"] == 0) & (c["visit_no"] == 1)).tolist():
        matter = int(c["matter_id"][r])
        if matter in seen or max(_waits_of_matter(rec, matter), default=0) < DELAY_WAIT_MIN:
            continue
        seen.add(matter)
        rows = path_rows(_sandbox().case_journey(rec, int(c["case_id"][r])))
        if len(rows) >= 3:
            firm = pop.firms[int(c["firm"][r])]
            out.append(({"申请单位": firm.name, "行业": firm.industry, "事项": rec.item_names[int(c["item"][r])]},
                        tuple(rows)))
        if len(out) >= 120:
            break
    return tuple(out)


def firm_path(seed: int) -> tuple[dict, list[dict]]:
    """A firm's path picked by ``seed`` from the cached runs (every trainee their own, few runs)."""
    paths = firm_paths(FIRM_RUN_SEEDS[seed % len(FIRM_RUN_SEEDS)])
    who, rows = paths[(seed // len(FIRM_RUN_SEEDS)) % len(paths)]
    return dict(who), [dict(r) for r in rows]


def rows_to_steps(rows: Sequence[Any]) -> list[Step]:
    """Timeline steps from path rows (dicts from stories.path_rows, or [day, start, minutes, kind, label])."""
    out = []
    for r in rows:
        if isinstance(r, Mapping):
            out.append(Step(int(r["day"]), float(r["start_min"]), float(r["minutes"]), r["kind"], r["label"]))
        else:
            out.append(Step(int(r[0]), float(r[1]), float(r[2]), r[3], r[4]))
    return out


def show_journey(steps: Sequence[Step], title: str, out: W.Output | None = None) -> None:
    from IPython.display import display
    fig = draw(steps, title=title)
    body = W.HTML(panel(title, steps_table_html(steps) + "<b>合计</b>" + summary_html(steps)).value)
    if out is None:
        charts.show(fig)
        display(body)
    else:
        charts.show(fig, out)
        with out:
            display(body)


class JourneyViewer(W.VBox):
    def __init__(self):
        self.pick = W.Dropdown(options=[(v[0], k) for k, v in PERSONAS.items()], description="群众",
                               layout=W.Layout(width="420px"))
        self.out = W.Output()
        self.who = W.HTML()
        self.pick.observe(lambda _c: self.redraw(), names="value")
        super().__init__([self.pick, self.who, self.out])
        self.redraw()
        testing.register(self)

    def redraw(self) -> None:
        who, steps = persona_journey(self.pick.value)
        self.who.value = card("这位群众", who).value if who else ""
        if not steps:
            self.out.clear_output()
            with self.out:
                from IPython.display import display
                display(note("这段模拟里没有找到这样的群众，请换一位。", "warn"))
            return
        show_journey(steps, PERSONAS[self.pick.value][0] + "的办事路线图", self.out)

    def _selftest(self) -> str:
        for key in PERSONAS:
            self.pick.value = key
        return f"{len(PERSONAS)} journeys drawn"


def journey_viewer() -> JourneyViewer:
    return JourneyViewer()


def role_notes():
    from .questions import ask, text
    return ask("notes-roles", "我的走流程记录（不计分）",
               {r: text(f"以{r}的眼光，我看到：", rows=2) for r in ROLES})


# ---- levers, what-if and the behaviour-graded proposal --------------------------------------------
PROPOSAL_HALL = PROPOSAL_HALL_NAME
PROPOSAL_DAYS = 5
PRACTICE_SEEDS = (11, 12)
MAX_ADDED_WINDOWS = 2
EXTENDED_OPTIONS = {"不延时": "", "延时到18:30": "18:30", "延时到19:00": "19:00"}


def proposal_scenario() -> Any:
    return load("stressed").only_hall(PROPOSAL_HALL)


def window_kinds(scenario=None) -> list[str]:
    sc = scenario or proposal_scenario()
    return [k for k, n in sc.halls[0].windows.items() if n > 0]


def proposal_levers(answer: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a saved proposal and return it in canonical form (plain Chinese errors)."""
    if not isinstance(answer, Mapping):
        raise ValueError("方案格式不对，请在表单里重新选择并保存。")
    kinds = window_kinds()
    added = {str(k): int(v) for k, v in dict(answer.get("增加窗口", {})).items() if int(v)}
    for k, v in added.items():
        if k not in kinds:
            raise ValueError(f"大厅里没有“{k}”这类窗口。")
        if v < 0:
            raise ValueError("窗口数不能减少。")
    ext = answer.get("延时服务", "不延时")
    if ext not in EXTENDED_OPTIONS:
        raise ValueError(f"延时服务的选项不对：{ext}")
    appt = int(answer.get("预约比例（%）", 15))
    if not 0 <= appt <= 80:
        raise ValueError("预约比例要在 0 到 80 之间。")
    return {"增加窗口": added, "延时服务": ext, "预约比例（%）": appt,
            "绿色通道": bool(answer.get("绿色通道", True))}


def windows_added(levers: Mapping[str, Any]) -> int:
    return sum(levers["增加窗口"].values())


def apply_levers(scenario, levers: Mapping[str, Any]):
    hall = scenario.halls[0]
    changes: dict[str, Any] = {}
    for kind, n in levers["增加窗口"].items():
        changes[f"halls.0.windows.{kind}"] = int(hall.windows.get(kind, 0)) + int(n)
    changes["hours.extended_until"] = EXTENDED_OPTIONS[levers["延时服务"]]
    changes["policy.appointment_share"] = levers["预约比例（%）"] / 100
    changes["policy.green_channel"] = levers["绿色通道"]
    return scenario.evolve(changes)


def compare_levers(levers: Mapping[str, Any], seeds: Sequence[int], days: int = PROPOSAL_DAYS) -> dict[str, float]:
    """The effect of a set of levers: mean p90 wait over ``seeds`` before and after (no verdict;
    the grader judges a proposal on its own days)."""
    base = proposal_scenario()
    after_sc = apply_levers(base, levers)
    before = [metrics(simulate(base, seed=s, days=days))["p90_wait_min"] for s in seeds]
    after = [metrics(simulate(after_sc, seed=s, days=days))["p90_wait_min"] for s in seeds]
    b, a = float(np.mean(before)), float(np.mean(after))
    return {"before_p90": b, "after_p90": a, "reduction": 1 - a / b if b > 0 else 0.0}


def pool_p90(records) -> dict[str, float]:
    """p90 wait (minutes) per window kind of a hall run: where the queues are."""
    from sandbox.scenario import WINDOW_KINDS
    c = records.cases
    called = c["t_called"] >= 0
    waits = (c["t_called"] - c["t_number"]) / 60
    out = {}
    for p in sorted(set(c["pool"][called].tolist())):
        sel = called & (c["pool"] == p)
        if sel.sum() >= 20:
            out[WINDOW_KINDS[p]] = round(float(np.percentile(waits[sel], 90)), 1)
    return out


class LeverControls:
    """The hall levers a trainee pulls (added windows per kind, 延时, appointment share, green channel),
    shared by the proposal form and the what-if panel; values use the keys apply_levers reads."""

    def __init__(self, kinds, max_added: int):
        self.kind_boxes = {k: W.BoundedIntText(value=0, min=0, max=max_added, description=k,
                                               style={"description_width": "120px"},
                                               layout=W.Layout(width="220px")) for k in kinds}
        self.ext = W.Dropdown(options=list(EXTENDED_OPTIONS), value="不延时", description="延时服务")
        self.appt = W.IntSlider(value=15, min=0, max=80, step=5, description="预约比例（%）",
                                style={"description_width": "initial"})
        self.green = W.Checkbox(value=True, description="老年人、残疾人绿色通道", indent=False)
        self.grid = W.GridBox(list(self.kind_boxes.values()),
                              layout=W.Layout(grid_template_columns="repeat(3, 230px)"))

    @property
    def widgets(self) -> list[W.Widget]:
        return [self.grid, self.ext, self.appt, self.green]

    def value(self) -> dict[str, Any]:
        return {"增加窗口": {k: int(b.value) for k, b in self.kind_boxes.items() if b.value},
                "延时服务": self.ext.value, "预约比例（%）": int(self.appt.value), "绿色通道": bool(self.green.value)}

    def set(self, value: Mapping[str, Any]) -> None:
        for k, b in self.kind_boxes.items():
            b.value = int(value.get("增加窗口", {}).get(k, 0))
        self.ext.value = value.get("延时服务", "不延时")
        self.appt.value = int(value.get("预约比例（%）", 15))
        self.green.value = bool(value.get("绿色通道", True))


class ProposalForm(W.VBox):
    """Levers of the stressed scenario's city hall; 试一试 runs practice seeds; 保存答案 saves."""

    def __init__(self, qid: str):
        self.qid = qid
        self.controls = LeverControls(window_kinds(), max_added=5)
        self.kind_boxes = self.controls.kind_boxes  # the test hooks drive these
        self.try_button = W.Button(description="试一试", icon="play")
        self.save_button = W.Button(description="保存答案", button_style="primary", icon="save")
        self.status = W.HTML()
        self.saved_view = W.HTML()
        self.state_views: list[W.HTML] = []  # live 已保存 lines of check cells (questions.saved)
        self.out = W.Output()
        self.try_button.on_click(self._on_try)
        self.save_button.on_click(self._on_save)
        super().__init__([W.HTML(f"<h4>第五题：我的改进方案{badge_html()}</h4><b>增加窗口（合计不超过两个）</b>"),
                          *self.controls.widgets,
                          W.HBox([self.try_button, self.save_button, self.status]), self.saved_view, self.out],
                         layout=W.Layout(border="1px solid #cbd5e0", padding="8px"))
        saved = answers.load(qid)
        if saved:
            self.set(saved)
            self._show_saved(saved)
        REGISTRY[qid] = self  # type: ignore[assignment]
        testing.register(self)

    def value(self) -> dict[str, Any]:
        return self.controls.value()

    def set(self, value: Mapping[str, Any]) -> None:
        self.controls.set(value)

    def save(self):
        self.save_button.click()
        return answers.load(self.qid)

    def _on_save(self, _b=None) -> None:
        v = self.value()
        try:
            levers = proposal_levers(v)
        except ValueError as exc:
            self.status.value = f'<span style="color:#c53030;">{esc(exc)}</span>'
            return
        if windows_added(levers) > MAX_ADDED_WINDOWS:
            self.status.value = '<span style="color:#c53030;">新增窗口超过两个，请减少后再保存。</span>'
            return
        answers.save(self.qid, v)
        self._show_saved(v)
        for view in self.state_views:
            view.value = state_html(v)

    def _show_saved(self, v) -> None:
        self.status.value = '<span style="color:#2f855a;">已保存，提交作业时会一起交上去。</span>'
        self.saved_view.value = ('<div style="background:#f7fafc;border-left:3px solid #2f855a;padding:4px 8px;">'
                                 f"已保存的方案（评分只看这里）：<br>{render_answer(v)}</div>")

    def _on_try(self, _b=None) -> None:
        self.status.value = "正在模拟，请稍候……"
        try:
            r = compare_levers(proposal_levers(self.value()), PRACTICE_SEEDS)
        except ValueError as exc:
            self.status.value = f'<span style="color:#c53030;">{esc(exc)}</span>'
            return
        fig = charts.before_after({"p90_wait_min": r["before_p90"]}, {"p90_wait_min": r["after_p90"]},
                                  ["p90_wait_min"], title="练习用的日子：调整前后")
        charts.show(fig, self.out)
        with self.out:
            from IPython.display import display
            display(W.HTML(queues_html()))
        self.status.value = f"练习用的日子里，90%群众的等候缩短了 {r['reduction']:.0%}（作业的目标：三成五以上）。"

    def _selftest(self) -> str:
        self._on_try()
        return self.status.value


@functools.lru_cache(maxsize=1)
def queues_html() -> str:
    """Where the queues are on a practice day, before any change (helps trainees choose windows)."""
    sc = proposal_scenario()
    rec = simulate(sc, seed=PRACTICE_SEEDS[0], days=PROPOSAL_DAYS)
    rows = sorted(pool_p90(rec).items(), key=lambda kv: -kv[1])
    body = table_html([(k, f"{v:.0f} 分钟", sc.halls[0].open_windows(k)) for k, v in rows],
                      header=("窗口类别", "90%群众的等候不超过", "在岗窗口数"))
    return panel("调整前：各类窗口的排队情况（练习用的日子）", body).value


def show_queues() -> None:
    from IPython.display import display
    display(W.HTML(queues_html()))


def proposal_form(qid: str) -> ProposalForm:
    return ProposalForm(qid)


class WhatIfPanel(W.VBox):
    """Lesson 2: levers of one hall (one month by default), re-simulate, before/after chart."""

    METRICS = ("mean_wait_min", "p90_wait_min", "one_visit_rate")

    def __init__(self, scenario_name: str = "stressed", hall: str = PROPOSAL_HALL, days: int = 30, seed: int = 5):
        self.base = load(scenario_name).only_hall(hall)
        self.days, self.seed = days, seed
        self.controls = LeverControls(window_kinds(self.base), max_added=10)
        self.kind_boxes, self.ext = self.controls.kind_boxes, self.controls.ext  # the test hooks drive these
        self.run_button = W.Button(description="重新模拟", button_style="primary", icon="refresh")
        self.status = W.HTML()
        self.out = W.Output()
        self.run_button.on_click(self._on_run)
        super().__init__([W.HTML(f"<h4>模拟大厅：{esc(hall)}（{esc(self.base.title)}，{days}天）{badge_html()}</h4>"
                                 "<b>增加窗口</b>"), *self.controls.widgets,
                          W.HBox([self.run_button, self.status]), self.out])
        self._before: dict[str, float] | None = None
        testing.register(self)

    def levers(self) -> dict[str, Any]:
        return self.controls.value()

    def _on_run(self, _b=None) -> float:
        t0 = time.perf_counter()
        if self._before is None:
            self._before = metrics(simulate(self.base, seed=self.seed, days=self.days))
        after = metrics(simulate(apply_levers(self.base, self.levers()), seed=self.seed, days=self.days))
        fig = charts.before_after(self._before, after, self.METRICS)
        charts.show(fig, self.out)
        dt = time.perf_counter() - t0
        self.status.value = f"模拟完成（用时 {dt:.1f} 秒）。"
        return dt

    def _selftest(self) -> str:
        first = next(iter(self.kind_boxes.values()))
        first.value = 2
        self.ext.value = "延时到19:00"
        self._on_run()
        return self.status.value


def whatif_panel(**kw) -> WhatIfPanel:
    return WhatIfPanel(**kw)


def leader_visit():
    """一把手进大厅: pick a window kind, see its queue over the busiest day of the stressed run."""
    sc, rec = _run("stressed", PROPOSAL_HALL, 5, 1)
    from sandbox.scenario import WINDOW_KINDS
    c = rec.cases
    pick = W.Dropdown(options=window_kinds(sc), description="窗口类别", layout=W.Layout(width="320px"))
    out = W.Output()

    def redraw(_c=None):
        import matplotlib.pyplot as plt
        charts.use_cjk_font()
        p = WINDOW_KINDS.index(pick.value)
        rows = (c["pool"] == p) & (c["t_called"] >= 0)
        t_num = c["t_number"][rows] % 86400 / 3600
        wait = (c["t_called"][rows] - c["t_number"][rows]) / 60
        fig, ax = plt.subplots(figsize=(7, 2.8))
        ax.scatter(t_num, wait, s=8, color="#3182ce")
        ax.set_xlabel("取号时刻（点）")
        ax.set_ylabel("等候（分钟）")
        ax.set_title(f"{pick.value}：每位群众的等候")
        charts._mark(fig)
        fig.tight_layout()
        charts.show(fig, out)

    pick.observe(redraw, names="value")
    redraw()
    box = W.VBox([pick, out])
    box._selftest = lambda: [setattr(pick, "value", k) for k in pick.options[:3]] and "ok"  # type: ignore[attr-defined]
    testing.register(box)
    return box


def experience_record():
    """政务服务体验员: the structured record an experiencer fills in after doing a matter (not graded)."""
    from .questions import ask, choice, number, text
    return ask("notes-experience", "政务服务体验记录（不计分）", {
        "办理的事项": text("办理的事项", rows=1),
        "跑了几趟": number("跑了几趟", minimum=0, maximum=10),
        "等了多久（分钟）": number("等了多久（分钟）", minimum=0, maximum=600),
        "指南清不清楚": choice("指南清不清楚", ["清楚", "基本清楚", "看不懂"]),
        "工作人员态度": choice("工作人员态度", ["热情", "一般", "冷淡"]),
        "意见和建议": text("意见和建议", rows=3),
    })


# ---- the assignment's cases (public material from the grader) and the lessons' practice --------------
CAUSE_OPTIONS = ("窗口前两次都没有把缺的材料一次讲全", "老人没有按指南准备材料", "排队时间太长，老人没等到",
                 "材料要在部门之间转来转去")


def _show(*widgets) -> None:
    from IPython.display import display
    display(*widgets)


def _missing_case() -> None:
    _show(note("这道题的案例还没有发给你，请联系培训老师。", "warn"))


def _pre(text: str) -> str:
    return f'<pre style="white-space:pre-wrap;font-family:inherit;">{esc(text)}</pre>'


def farmer_widgets(case: Mapping[str, Any], out: W.Output | None = None) -> None:
    """The farmer's card, path, first application and the two notices (no verdicts)."""
    steps = rows_to_steps(case["steps"])
    parts = [card("这位群众", case["who"]),
             W.HTML(panel("他第一次带来的材料", _pre(case["text"])).value)]
    parts += [W.HTML(panel(f"告知书{'一二'[i]}（第{i + 1}次到窗口时拿到）", _pre(n), colour="#c05621").value)
              for i, n in enumerate(case["notices"])]
    if out is None:
        charts.show(draw(steps, title="化隆老人的办事路线图"))
        _show(*parts)
    else:
        charts.show(draw(steps, title="化隆老人的办事路线图"), out)
        with out:
            _show(*parts)


def show_farmer_case(case: Mapping[str, Any] | None) -> None:
    if not case:
        return _missing_case()
    farmer_widgets(case)


def blockage_fields(materials: Sequence[str]) -> dict:
    from .questions import checklist, choice, number
    return {"跑了几趟": number("他一共到窗口跑了几趟", minimum=0, maximum=10),
            "应一次告知的材料": checklist("第一次到窗口时，告知书上就该写的材料", materials),
            "根子": choice("他多跑的趟数，根子在哪里", list(CAUSE_OPTIONS))}


def blockage_form(qid: str, case: Mapping[str, Any] | None):
    from .questions import ask
    return ask(qid, "化隆老人的办事路：梗阻和它的根子", blockage_fields(case["materials"] if case else []))


def show_path_case(case: Mapping[str, Any] | None, title: str) -> list[str]:
    """A path drawn from neutral rows; returns the row labels the trainee ticks."""
    if not case:
        _missing_case()
        return []
    steps = rows_to_steps(case["steps"])
    charts.show(draw(steps, title=title))
    _show(card("办事的企业", case["who"]),
          W.HTML(panel(title, table_html([(x,) for x in case["labels"]], header=("环节",))).value))
    return list(case["labels"])


def cross_widgets(case: Mapping[str, Any]) -> list[W.Widget]:
    return [W.HTML(panel(f"{it['who']}：{it['name']}", table_html(it["rows"])).value) for it in case["items"]]


def show_cross_case(case: Mapping[str, Any] | None) -> list[str]:
    if not case:
        _missing_case()
        return []
    _show(*cross_widgets(case))
    return [it["name"] for it in case["items"]]


def show_bundle_case(case: Mapping[str, Any] | None) -> None:
    if not case:
        return _missing_case()
    _show(W.HTML(panel(case["name"], f"<div>{esc(case['description'])}</div>"
                       + table_html(case["rows"], header=("事项", "分开办时要交的材料"))).value))


class Practice(W.VBox):
    """A practice exercise of lesson 1: fields, 看看对不对 with graded feedback, 换一个 for a new case.
    ``make(seed)`` returns (widgets to show, fields, feedback(answer) -> html)."""

    def __init__(self, make, seed: int):
        self.make, self.seed = make, seed
        self.case_box, self.form = W.Output(), W.VBox()
        self.check = W.Button(description="看看对不对", icon="check")
        self.next = W.Button(description="换一个", icon="refresh")
        self.result = W.HTML()
        self.check.on_click(self._on_check)
        self.next.on_click(self._on_next)
        super().__init__([self.case_box, self.form, W.HBox([self.check, self.next]), self.result],
                         layout=W.Layout(border="1px dashed #a0aec0", padding="6px"))
        self._load()
        testing.register(self)

    def _load(self) -> None:
        show, self.fields, self.feedback = self.make(self.seed, self.case_box)
        parts: list[W.Widget] = []
        for f in self.fields.values():
            parts += ([W.HTML(f"<b>{esc(f.label)}</b>")] if f.label else []) + [f.widget]
        self.form.children = parts
        self.result.value = ""

    def value(self) -> dict[str, Any]:
        return {k: f.get() for k, f in self.fields.items()}

    def _on_check(self, _b=None) -> None:
        self.result.value = self.feedback(self.value())

    def _on_next(self, _b=None) -> None:
        self.seed += 1
        self._load()

    def _selftest(self) -> str:
        self._on_check()
        self._on_next()
        return self.result.value[:30] or "ok"


def _feedback_list(title: str, truth: Sequence[str], mine: Sequence[str], why: str) -> str:
    """The assignment's list rule (cases.score_list) as lesson feedback."""
    from .cases import score_list
    share, _right, omitted, extra = score_list(truth, mine)
    lines = [f"{title}：得分 <b>{share:.0%}</b>（漏选、多选都扣分）"]
    lines += [f"✘ 漏了：{esc(x)}" for x in omitted] + [f"✘ 不该选：{esc(x)}" for x in extra]
    lines.append(esc(why))
    return "<br>".join(lines)


def _farmer_practice(seed: int, out: W.Output):
    from . import practice_bank
    story = practice_bank.farmer(seed)  # the story and its decision, without the rules (issue 12)
    out.clear_output(wait=True)
    farmer_widgets(story, out)
    fields = blockage_fields(story["materials"])

    def feedback(a):
        truth = list(story["_decision"].outstanding)
        lines = [("✅" if a["跑了几趟"] == story["_trips"] else "❌") + f" 他跑了 {story['_trips']} 趟。",
                 _feedback_list("第一次就该告知的材料", truth, a["应一次告知的材料"],
                                "两张告知书加起来，才是窗口第一次就该一次列全的清单。"),
                 ("✅" if a["根子"] == CAUSE_OPTIONS[0] else "❌") + f" 根子：{CAUSE_OPTIONS[0]}——"
                 "每一张告知书都只讲了一部分，老人按告知书准备，仍然白跑。这正是一次性告知要防止的。"]
        return "<br>".join(lines)
    return None, fields, feedback


def farmer_practice(seed: int = 501) -> Practice:
    return Practice(_farmer_practice, seed)


def _delay_practice(seed: int, out: W.Output):
    from .questions import checklist
    from .stories import is_delay_row
    who, rows = firm_path(seed)
    out.clear_output(wait=True)
    charts.show(draw(rows_to_steps(rows), title="练习：企业的办事路线图"), out)
    with out:
        _show(card("办事的企业", who))
    labels = [r["label"] for r in rows]
    fields = {"迟滞": checklist("哪些环节是迟滞？", labels)}

    def feedback(a):
        truth = [r["label"] for r in rows if is_delay_row(r)]
        return _feedback_list("迟滞", truth, a["迟滞"], f"迟滞：排队等候 {DELAY_WAIT_MIN} 分钟以上（算一算取号和叫号的时刻），"
                              "或后台办理的实际工作日超过承诺；窗口办理时间长、按时办结的后台审批都不算。")
    return None, fields, feedback


def delay_practice(seed: int = 101) -> Practice:
    return Practice(_delay_practice, seed)


# Practice problems for the roles (the assignment draws its own from the grader's bank).
PRACTICE_ROLES = {
    "办事大厅的指示牌看不明白，不知道该去哪个窗口": "企业群众",
    "一位孕妇排在长队里，没有人引导她走绿色通道": "帮办人员",
    "窗口要群众再交一份已经在电子证照库里的营业执照": "经办人员",
    "同一个窗口一个月收到五条差评，没有人分析原因": "监督人员",
    "办完事要填三张内容差不多的表": "企业群众",
    "听不懂普通话的群众在咨询台前说不清要办什么": "帮办人员",
    "受理系统和审批系统不通，材料要扫描两次": "经办人员",
    "有件事超过承诺时限三天，群众打12345才知道": "监督人员",
}


def _roles_practice(seed: int, out: W.Output):
    import random as _random
    from .questions import choice
    problems = _random.Random(seed).sample(sorted(PRACTICE_ROLES), 4)
    out.clear_output()
    fields = {p: choice(p, ROLES) for p in problems}

    def feedback(a):
        why = {"企业群众": "以群众身份办事，最先碰到看不懂、跑冤枉路、重复交材料",
               "帮办人员": "陪在群众身边，最先看到谁需要帮一把",
               "经办人员": "坐在窗口里，最先看到审查、系统和部门衔接哪里卡",
               "监督人员": "盯着时限、差评和整改，最先看到哪里超时、哪里没落实"}
        return "<br>".join(f"{'✅' if a[p] == PRACTICE_ROLES[p] else '❌'} {esc(p)}：{PRACTICE_ROLES[p]}——{why[PRACTICE_ROLES[p]]}"
                           for p in problems)
    return None, fields, feedback


def roles_practice(seed: int = 1) -> Practice:
    return Practice(_roles_practice, seed)


def _cross_practice(seed: int, out: W.Output):
    import random as _random
    from .questions import choice
    from .stories import CROSS_FACTS, cross_case, cross_items
    r = _random.Random(seed)
    pools = cross_items()
    items = [r.choice(pools[m]) for m in r.sample(list(CROSS_FACTS), 2)]
    case = {"items": [cross_case(it, r) for it in items]}
    out.clear_output(wait=True)
    with out:
        _show(*cross_widgets(case))
    fields = {it.name: choice(it.name, list(CROSS_FACTS)) for it in items}

    def feedback(a):
        why = {"全程网办": "不用到场采集、不用当面核验，网上就能办完",
               "异地代收代办": "必须本人到场采集，但只有户籍地能审批：务工地大厅收件，家乡审批，结果寄回",
               "多地联办": "两地部门都要办手续：群众只去一地窗口，几地部门协同"}
        return "<br>".join(f"{'✅' if a[it.name] == it.cross_province else '❌'} {esc(it.name)}：{it.cross_province}——"
                           f"{why[it.cross_province]}" for it in items)
    return None, fields, feedback


def cross_practice(seed: int = 3) -> Practice:
    return Practice(_cross_practice, seed)


PRACTICE_BUNDLE = ("新生儿出生一件事", ("出生医学证明",))  # the hospital pushes it to the hall


def _bundle_practice(seed: int, out: W.Output):
    from .questions import number
    from .stories import bundle_rows, paper_count
    name, produced = PRACTICE_BUNDLE
    out.clear_output(wait=True)
    with out:
        _show(W.HTML(panel(name, f"<div>{esc(_catalog().bundle(name).description)}</div>"
                           + table_html(bundle_rows(name), header=("事项", "分开办时要交的材料"))).value))
    fields = {"分开办": number("分开办，一共交几份", maximum=60), "打包办": number("打包以后，一共交几份", maximum=60)}

    def feedback(a):
        sep, tog = paper_count(name, produced)
        return (f"{'✅' if a['分开办'] == sep else '❌'} 分开办：{sep} 份（每个事项各交一遍）<br>"
                f"{'✅' if a['打包办'] == tog else '❌'} 打包后：{tog} 份——父母居民身份证、居民身份证是同一张证件，只交一次；"
                "出生医学证明由出生医院推送到大厅，群众不用再交。")
    return None, fields, feedback


def bundle_practice(seed: int = 1) -> Practice:
    return Practice(_bundle_practice, seed)


def _catalog():
    from .cases import catalog
    return catalog()


class ImprovePractice(W.VBox):
    """Lesson 2: draft a 改进建议书 and 对照评分要点 (the rubric lines a machine can see)."""

    def __init__(self):
        self.text = W.Textarea(rows=8, placeholder="我以……的身份……", layout=W.Layout(width="95%"))
        self.check = W.Button(description="对照评分要点", icon="list-check")
        self.result = W.HTML()
        self.check.on_click(self._on_check)
        super().__init__([self.text, self.check, self.result])
        testing.register(self)

    def _on_check(self, _b=None) -> None:
        from .stories import improve_hits
        self.result.value = "<br>".join(f"{'✅' if ok else '⬜'} {esc(c)}" for c, ok in improve_hits(self.text.value)) + \
            "<br><span style='color:#718096;'>这里只看有没有写到；作业里由培训老师按这些要点评分。</span>"

    def _selftest(self) -> str:
        self.text.value = "我以一把手进大厅的身份走流程，排队等了40分钟。"
        self._on_check()
        return self.result.value[:30]


def improve_practice() -> ImprovePractice:
    return ImprovePractice()
