"""The three hotline-side courses (issue 21): 12345工单办理 (hotline), 差评整改与评估考核 (ratings),
月度通报与预警 (bulletin). Lessons run headless with their widgets driven; each checker gives the
reference full marks, blank and typical wrong answers less on every check; behaviour grading accepts
good handling and rejects bad on seeds no lesson shows; two seeds give different cases."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from course_helpers import COURSES_DIR, WITHOUT_KEYS, errors, execute, render, stream_text
from grading.checks import Context, load_checker

NEW_COURSES = {"hotline": "queue", "ratings": "rectify", "bulletin": "month"}
UNSEEN = (424242, 977)  # seeds no lesson or notebook uses (trainees' seeds are HMACs)


def new_lessons() -> list[Path]:
    return sorted(p for c in NEW_COURSES for p in (COURSES_DIR / c / "lessons").glob("*.py"))


def checker(course: str):
    return load_checker(COURSES_DIR / course / "grader" / f"{NEW_COURSES[course]}.py")


def ctx(course: str, seed: int) -> Context:
    return Context(course, NEW_COURSES[course], "trainee01", 1, seed)


def graded(course: str, answers: dict, seed: int) -> dict:
    return {i.cell: i for i in checker(course).check(answers, ctx(course, seed))}


def reference(course: str, seed: int) -> dict:
    spec = checker(course)
    return spec.module.reference(spec.cases(seed), seed)


@pytest.mark.timeout(400)
@pytest.mark.parametrize("path", new_lessons(), ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_lesson_runs_with_widgets_driven(path, tmp_path):
    nb = execute(render(path), tmp_path, before=[WITHOUT_KEYS], extra=[
        "import coursekit.testing as _t\nfor _line in _t.exercise_all():\n    print(_line)"])
    assert not errors(nb), errors(nb)
    log = stream_text(nb.metadata["_extra_outputs"][0])
    assert "Glossary" in log and log.count("\n") >= 2, log
    assert "合成数据" in json.dumps(nb, ensure_ascii=False)
    assert "学习目标" in nb.cells[0].source


@pytest.mark.parametrize("course", list(NEW_COURSES))
def test_cases_are_public_json_and_differ_by_seed(course):
    spec = checker(course)
    a, b = spec.cases(UNSEEN[0]), spec.cases(UNSEEN[1])
    text = json.dumps(a, ensure_ascii=False)
    assert a != b
    assert spec.cases(UNSEEN[0]) == a  # same seed, same cases
    assert "合成数据" in text
    for secret in ("truth", "master", "extension_ok", "planted", "hot_issue"):
        assert secret not in text, secret


@pytest.mark.parametrize("course", list(NEW_COURSES))
@pytest.mark.parametrize("seed", UNSEEN)
def test_reference_full_blank_zero(course, seed):
    full = graded(course, reference(course, seed), seed)
    blank = graded(course, {}, seed)
    auto = [c for c, i in full.items() if not i.needs_manual]
    assert len(auto) >= 5 and any(i.needs_manual for i in full.values())
    for c in auto:
        assert full[c].points == full[c].max_points, (c, full[c].reasons)
        assert blank[c].points == 0, (c, blank[c].points)
        assert blank[c].reasons


# ---- 12345工单办理 ---------------------------------------------------------------------------------
def _wrong_hotline(seed: int) -> dict:
    """Typical mistakes: push returns down to the township, refuse a valid complaint, dispatch every
    consultation, dispatch duplicates, approve every extension, guess the category of half the tickets."""
    from sandbox.hotline.desk import make_queue, township_unit
    q = make_queue(seed)
    ans = reference("hotline", seed)
    dec = ans["queue"]
    first_dispatch = True
    for t in q.tickets:
        d, tr = dec[t.number], t.truth
        if tr.kind == "returned":
            d["主办"] = township_unit(t.county, t.town)
        elif tr.kind == "new-dispatch" and first_dispatch:
            d.update(处理="不予受理", 理由="涉诉")
            first_dispatch = False
        elif tr.kind == "new-dispatch":
            d["分类"] = "其他事项"
            d["主办"] = "海东市政务服务中心"
        elif tr.kind == "direct":
            d.update(处理="派单", 主办=tr.lead)
        elif tr.kind == "duplicate":
            d.update(处理="派单", 主办=tr.lead, 协办=list(tr.assist))
        elif tr.kind == "extension":
            d["处理"] = "同意延期"
        elif tr.kind == "refuse":
            d.update(处理="派单", 类型="投诉", 分类="其他事项", 主办="海东市政务服务中心")
    return ans


@pytest.mark.parametrize("seed", UNSEEN)
def test_hotline_wrong_handling_scores_lower_on_every_check(seed):
    full = graded("hotline", reference("hotline", seed), seed)
    wrong = graded("hotline", _wrong_hotline(seed), seed)
    for cell, item in full.items():
        if not item.needs_manual:
            assert wrong[cell].points < item.points, (cell, wrong[cell].points, wrong[cell].reasons)
    text = "".join(wrong["return-check"].reasons)
    assert "乡镇" in text and "职能部门" in text
    assert any("错误地不予受理" in r for r in wrong["refuse-check"].reasons)


@pytest.mark.parametrize("seed", UNSEEN)
def test_hotline_behaviour_late_extension_is_refused_by_the_system(seed):
    """Approving a 延期 asked after 17:00 of the due day is refused by the ticket API itself."""
    from sandbox.hotline.desk import make_queue
    from sandbox.hotline.handling import apply
    q = make_queue(seed)
    ans = reference("hotline", seed)["queue"]
    late = [t for t in q.tickets if t.truth.kind == "extension" and t.request_at.hour >= 17]
    assert late
    ans[late[0].number]["处理"] = "同意延期"
    out = {o.number: o for o in apply(q, ans)}[late[0].number]
    assert any("17:00" in r for r in out.reasons), out.reasons
    assert out.handled_on_time is False


def test_hotline_bad_seed_answers_do_not_transfer():
    """Answers made for one trainee's queue score low on another's (cases cannot be passed around)."""
    a, b = UNSEEN
    other = graded("hotline", reference("hotline", a), b)
    assert sum(i.points for i in other.values()) < 0.2 * sum(i.max_points for i in other.values() if not i.needs_manual)


# ---- 差评整改与评估考核 -----------------------------------------------------------------------------
def _wrong_ratings(seed: int) -> dict:
    """Typical mistakes: skip one callback, appeal a true 差评, explain instead of rectifying, plan a fix
    after the deadline, use all 差评 as the denominator, tick no unit."""
    from sandbox.practice.rating_batch import make_batch
    ans = reference("ratings", seed)
    batch = make_batch(seed)
    true = [b.rating.rating_id for b in batch if b.kind == "rectify"]
    expl = [b.rating.rating_id for b in batch if b.kind == "explain"]
    planted = [b.rating.rating_id for b in batch if b.kind == "appeal"]
    ans["batch"][true[0]]["回访"] = False
    ans["batch"][true[1]]["处理"] = "申诉"
    ans["batch"][true[2]]["完成日期"] = "2099-01-01"
    ans["batch"][expl[0]]["处理"] = "整改"
    ans["batch"][planted[0]]["处理"] = "解释说明"
    ans["eval"] = {k: "100.0" for k in ans["eval"]}
    ans["floor"] = [] if ans["floor"] else ["乐都区政务服务中心"]
    return ans


@pytest.mark.parametrize("seed", UNSEEN)
def test_ratings_wrong_handling_scores_lower_on_every_check(seed):
    full = graded("ratings", reference("ratings", seed), seed)
    wrong = graded("ratings", _wrong_ratings(seed), seed)
    for cell, item in full.items():
        if not item.needs_manual:
            assert wrong[cell].points < item.points, (cell, wrong[cell].points, wrong[cell].reasons)
    assert any("申诉不成立" in r for r in wrong["appeal-check"].reasons)
    assert any("超过整改期限" in r for r in wrong["ontime-check"].reasons)


# ---- 月度通报与预警 ---------------------------------------------------------------------------------
def _wrong_bulletin(seed: int) -> dict:
    """Typical mistakes: all received tickets as the denominator and 基本满意 counted in full, the
    hot topics in the wrong order with year-on-year change, a rule that warns on everything, every
    苗头 ticked (seasonal ones included), the refused and merged tickets left out of 受理量."""
    ans = reference("bulletin", seed)
    ans["defs"].update({"按期办结率分母": "全部受理工单", "基本满意权重": "1", "环比": "与去年同月比", "响应率分子": "已签收"})
    f = ans["figures"]
    f["受理量"] = str(int(f["受理量"]) - 30)
    for k in ("按期办结率", "满意率", "响应率"):
        f[k] = f"{float(f[k]) - 3:.1f}"
    h = ans["hot"]
    h["第1名"], h["第2名"] = h["第2名"], h["第1名"]
    h["第3名环比"] = "0"
    ans["rule"] = {"窗口天数": "3", "倍数": "1.2", "最少件数": "1"}
    ans["flags"] = [f"{c['县区']}·{c['分类']}" for c in checker("bulletin").cases(seed)["苗头"]]
    return ans


@pytest.mark.timeout(600)
@pytest.mark.parametrize("seed", UNSEEN)
def test_bulletin_wrong_answers_score_lower_on_every_check(seed):
    full = graded("bulletin", reference("bulletin", seed), seed)
    wrong = graded("bulletin", _wrong_bulletin(seed), seed)
    for cell, item in full.items():
        if not item.needs_manual:
            assert wrong[cell].points < item.points, (cell, wrong[cell].points, wrong[cell].reasons)
    assert any("误报" in r for r in wrong["rule-check"].reasons)


@pytest.mark.timeout(600)
def test_bulletin_rule_replay_accepts_a_good_rule_and_rejects_a_blind_one():
    """On months no notebook shows: the reference rule flags each planted issue by its peak with at most
    one stray alert per clean month; a rule too strict to fire misses them; a rule that fires on noise floods clean months."""
    from sandbox.hotline.drill import Rule, replay_rule
    seeds, clean = (7001, 7002, 7003), (7101, 7102)
    good = replay_rule(Rule(7, 4, 6), seeds, clean)
    assert all(lead is not None and lead >= 0 for lead in good["提前天数"]) and good["误报"] <= 2, good
    blind = replay_rule(Rule(7, 10, 40), seeds, clean)
    assert blind["提前天数"] == [None, None, None]
    noisy = replay_rule(Rule(3, 1.2, 1), seeds, clean)
    assert noisy["误报"] > 20


def test_bulletin_definitions_matter_on_an_unseen_month():
    """Each definition choice other than the bulletin's changes a figure on a month the trainee never saw."""
    from sandbox.hotline import drill
    run = drill.month_run(7201, planted=False)
    cur, prev = drill.frames(run)
    want = drill.figures(cur, prev, drill.BULLETIN_DEFINITIONS)
    for key, options in drill.DEFINITIONS.items():
        for other in options[1:]:
            got = drill.figures(cur, prev, {**drill.BULLETIN_DEFINITIONS, key: other})
            assert got != want, (key, other)


# ---- the assignment notebooks: widgets → answers.json → checker -----------------------------------
PRACTICE = {"hotline": 20250602, "ratings": 20250302, "bulletin": 20250703}  # the notebooks' fallback cases
DRIVE = """
import coursekit as ck, coursekit.testing as _T
from grading.checks import load_checker
_spec = load_checker({path!r})
_ref = _spec.module.reference(CASES, {seed})
for _c in _T.components():
    if type(_c).__name__ in ("QueueDesk", "RatingDesk"):
        for _k, _v in _ref[_c.qid].items():
            _c.save(_k, _v)
for _qid, _q in ck.REGISTRY.items():
    if _qid in _ref and _qid not in ("queue", "batch"):
        _q.set(_ref[_qid]); _q.save()
print(sorted(ck.answers.load_all()))
"""


@pytest.mark.timeout(600)
@pytest.mark.parametrize("course,own", [(c, True) for c in NEW_COURSES] + [("hotline", False)])
def test_assignment_widgets_save_answers_the_checker_grades(course, own, tmp_path):
    """The notebook reads the trainee's own cases.json (coursekit.answers.my_cases; without one it says
    so and shows practice cases); answers entered through its widgets land in answers.json and the
    checker gives the reference full marks on those cases."""
    from grading.checker_run import cases_document
    a = NEW_COURSES[course]
    path = COURSES_DIR / course / "assignments" / a / f"{a}.py"
    checker_path = COURSES_DIR / course / "grader" / f"{a}.py"
    seed = UNSEEN[0] if own else PRACTICE[course]
    if own:
        doc = cases_document(course, a, "trainee01", 1, 1, checker(course).cases(seed))
        (tmp_path / "cases.json").write_bytes(doc)
    nb = execute(render(path), tmp_path, extra=[DRIVE.format(path=str(checker_path), seed=seed)])
    assert not errors(nb), errors(nb)
    out = json.dumps(nb, ensure_ascii=False)
    assert ("练习数据" in out) != own and "合成数据" in out
    answers = json.loads((tmp_path / "answers.json").read_text(encoding="utf-8"))
    items = checker(course).check(answers, ctx(course, seed))
    for i in items:
        if not i.needs_manual:
            assert i.points == i.max_points, (i.cell, i.reasons)


# ---- review fixes (layers, B2, B3) -----------------------------------------------------------------
@pytest.mark.parametrize("course", list(NEW_COURSES))
def test_checkers_import_nothing_from_grading(course):
    """Courses sit on the sandbox: a checker returns mappings with Item's fields (grading.checks.as_item)."""
    import ast
    path = COURSES_DIR / course / "grader" / f"{NEW_COURSES[course]}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    names += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [n for n in names if n.split(".")[0] == "grading"], names
    raw = checker(course).module.check({}, ctx(course, UNSEEN[0]))
    assert raw and all(isinstance(r, dict) for r in raw)


def test_refusal_lesson_teaches_the_open_list_and_emergency_transfer():
    text = (COURSES_DIR / "hotline" / "lessons" / "02-routing-and-exceptions.py").read_text(encoding="utf-8")
    assert "只限" not in text and "七种" not in text and "七类" not in text
    assert "等程序" in text and "商业秘密" in text and "公序良俗" in text
    assert "110/119/120/122" in text


def test_ratings_eval_units_have_every_rate_defined_over_many_seeds():
    """B3: a unit with no 差评 to rectify has no 整改率 (NaN): it is never one of the units asked."""
    import math
    from sandbox.practice import rating_batch as rb
    for seed in range(120):
        _, table = rb.quarter_table(seed)
        units = rb.eval_units(table)
        assert len(units) == 2, seed
        for u in units:
            row = table[table["unit"] == u].iloc[0]
            assert row["需整改"] >= 2, (seed, u)
            assert not any(math.isnan(float(row[m])) for m in ("差评率", "回访率", "整改率", "按期整改率")), (seed, u)


def test_ratings_grader_accepts_a_dash_for_an_undefined_rate(monkeypatch):
    """B3: should a unit without 需整改 be asked, 「—」 scores and the reason never says 'nan%'."""
    spec = checker("ratings")
    mod, seed = spec.module, 2
    rows, table = mod._quarter_rows(seed)
    unit = mod.eval_units(table)[0]
    table = table.copy()
    table.loc[table["unit"] == unit, ["整改率", "按期整改率"]] = float("nan")
    monkeypatch.setattr(mod, "_quarter_rows", lambda s: (rows, table))
    ans = mod.reference(spec.cases(seed), seed)
    assert ans["eval"][f"{unit}·整改率"] == "—"
    full = {i["cell"]: i for i in mod._eval_items(ans, seed)}
    assert full["eval-check"]["points"] == full["eval-check"]["max_points"], full["eval-check"]["reasons"]
    ans["eval"][f"{unit}·整改率"] = "0.0"
    wrong = {i["cell"]: i for i in mod._eval_items(ans, seed)}
    assert wrong["eval-check"]["points"] < 4 and "nan" not in "".join(wrong["eval-check"]["reasons"])


def test_bulletin_grader_handles_a_missing_rate_and_a_new_category(monkeypatch):
    """B3: no 回访 this month (满意率 None) and a hot topic absent last month (环比 None) do not crash
    the grader; 「—」 is the right answer and is shown as such."""
    spec = checker("bulletin")
    mod, seed = spec.module, UNSEEN[0]
    month, cur, prev, b = mod._truth(seed)
    b["回访评价"]["满意率"] = None
    b["热点分析"]["二级分类前列"][0] = {**b["热点分析"]["二级分类前列"][0], "环比": None}
    monkeypatch.setattr(mod, "_truth", lambda s: (month, cur, prev, b))
    ans = mod.reference(spec.cases(seed), seed)
    assert ans["figures"]["满意率"] == "—" and ans["hot"]["第1名环比"] == "—"
    full = {i["cell"]: i for i in mod._figure_items(ans["figures"], b) + [mod._hot_item(ans["hot"], b)]}
    assert full["rates-check"]["points"] == 3 and full["hot-check"]["points"] == 2
    ans["figures"]["满意率"], ans["hot"]["第1名环比"] = "90.0", "12.0"
    wrong = {i["cell"]: i for i in mod._figure_items(ans["figures"], b) + [mod._hot_item(ans["hot"], b)]}
    assert wrong["rates-check"]["points"] < 3 and wrong["hot-check"]["points"] < 2
    assert any("—" in r for r in wrong["rates-check"]["reasons"] + wrong["hot-check"]["reasons"])


def test_bulletin_lesson_defines_received_and_valid_tickets():
    """M16: 受理量 is every registered request; 有效工单量 = 受理量 − 不予受理 − 并单 (as the bulletin counts)."""
    from sandbox.hotline import bulletin, drill
    text = (COURSES_DIR / "bulletin" / "lessons" / "01-figures.py").read_text(encoding="utf-8")
    assert "有效工单量 | 受理量 − 不予受理 − 并单" in text and "含不予受理、并单、直接办结" in text
    cur, prev, _, _ = drill.month_frames(UNSEEN[0])
    r = bulletin.month_figures(cur, prev)["rates"]
    assert r["有效工单"] == r["受理量"] - r["不予受理"] - r["并单"]


def test_bulletin_definition_options_are_shuffled_per_trainee():
    """M15: the bulletin's definition is not always the first option; same cases, same order."""
    from coursekit.bulletinkit import definition_options
    from sandbox.hotline.drill import BULLETIN_DEFINITIONS, DEFINITIONS
    orders = [definition_options({"苗头": [seed]}) for seed in range(40)]
    assert definition_options({"苗头": [1]}) == orders[1]
    for key, right in BULLETIN_DEFINITIONS.items():
        assert all(sorted(o[key]) == sorted(DEFINITIONS[key]) for o in orders)
        assert 0.2 < sum(o[key][0] == right for o in orders) / len(orders) < 0.9, key


def test_hotline_lessons_teach_what_is_graded_m7_m8_m9_m6():
    """Review M7 (quiz case not 网购), M8 (utility deadline whatever the urgency, extension terms),
    M9 (回访 practised before it is graded), M6 (驳回退单 taught beside 改派)."""
    one = (COURSES_DIR / "hotline" / "lessons" / "01-ticket-life.py").read_text(encoding="utf-8")
    two = (COURSES_DIR / "hotline" / "lessons" / "02-routing-and-exceptions.py").read_text(encoding="utf-8")
    assert "网上买的羽绒服" not in one and "乐都区一家商场买的羽绒服" in one
    assert "水电气暖（紧急）" not in one and "延期只能申请一次，最多延长 5 个工作日" in one
    assert "## 四、回访" in two and "您对办理结果满意吗" in two
    assert "驳回退单" in two


def test_ratings_lesson_gives_a_model_conclusion_m14():
    text = (COURSES_DIR / "ratings" / "lessons" / "02-evaluation.py").read_text(encoding="utf-8")
    assert "有数、有因、有措施" in text and "民和回族土族自治县政务服务中心" in text and "> 下一步" in text


def test_queue_form_offers_both_answers_to_a_return():
    """M6: a returned ticket is reviewed (改派 or 驳回退单); the stage label gives neither away."""
    from coursekit.tickets import STAGE_ACTIONS
    from sandbox.hotline.desk import STAGES
    assert set(STAGE_ACTIONS[STAGES["returned"]]) == {"改派", "驳回退单"}
    assert "改派" not in STAGES["returned"]


def test_second_review_wording_in_lessons_rubric_and_terms():
    """F4/F10/F11/m-a/m-b (second review): 回访 distinguishes reasonable and unreasonable unsolved matters;
    退单 review rests on the catalogue and statutory duties; 90% is the training's own line; 培训口径 marked."""
    import re
    l1 = (COURSES_DIR / "hotline" / "lessons" / "01-ticket-life.py").read_text(encoding="utf-8")
    l2 = (COURSES_DIR / "hotline" / "lessons" / "02-routing-and-exceptions.py").read_text(encoding="utf-8")
    asg = (COURSES_DIR / "hotline" / "assignments" / "queue" / "queue.py").read_text(encoding="utf-8")
    ev = (COURSES_DIR / "ratings" / "lessons" / "02-evaluation.py").read_text(encoding="utf-8")
    rect = (COURSES_DIR / "ratings" / "assignments" / "rectify" / "rectify.py").read_text(encoding="utf-8")
    assert "没有解决的，重新交办" not in l2 and "如实记录“未解决”并说明理由，不重复交办" in l2
    assert "只看一点" not in l2 and "报请本级政府确定牵头单位" in l2
    assert asg.count("并说明未解决时的处理（合理诉求重新交办）") == 2  # the table and the nbgrader rubric
    assert "延期只能申请一次、最多延长 5 个工作日，都是本培训采用的口径" in l1
    assert "尚有 1 条未整改" in ev and "本培训设定的 90% 考核线" in ev and "国办发〔2019〕51号" in ev
    assert not re.search(r"低于 90% 的目标", ev) and "90%（本培训考核线）" in rect
    from coursekit import hotterms
    from sandbox.hotline.handling import RULES
    assert "培训口径" in hotterms.HOTLINE_TERMS["延期"] and "培训口径" in RULES["extend"]
    assert "不予改派" in hotterms.HOTLINE_TERMS["驳回退单"]
