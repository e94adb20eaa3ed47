"""coursekit without a kernel: saved answers, forms, glossary, masking, charts, font message."""
from __future__ import annotations

import json

import pytest

import coursekit as ck
from coursekit import answers, charts, glossary


@pytest.fixture(autouse=True)
def answers_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(answers.ENV_DIR, str(tmp_path))
    return tmp_path


def test_form_saves_exactly_what_it_shows_and_refills(answers_dir):
    q = ck.ask("q1", "题目", {"决定": ck.choice("决定", ["受理", "不予受理"]),
                              "材料": ck.checklist("材料", ["甲", "乙", "丙"])})
    assert ck.require.__name__ and answers.load("q1") is None
    q.set({"决定": "不予受理", "材料": ["丙", "甲"]})
    saved = q.save()
    assert saved == {"决定": "不予受理", "材料": ["甲", "丙"]}
    assert json.loads((answers_dir / "answers.json").read_text(encoding="utf-8"))["q1"] == saved
    assert "不予受理" in q.saved_view.value and "已保存" in q.status.value
    q.set({"决定": "受理"})
    assert "还没保存" in q.status.value  # unsaved change is flagged
    again = ck.ask("q1", "题目", {"决定": ck.choice("决定", ["受理", "不予受理"]),
                                  "材料": ck.checklist("材料", ["甲", "乙", "丙"])})
    assert again.value() == saved  # reopened notebook shows the saved answer


def test_check_cell_state_follows_the_form_at_once_with_font_symbols(answers_dir, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objs, **kw: shown.extend(objs))
    q = ck.ask("q9", "题目", ck.choice("决定", ["受理", "不予受理"]))
    assert ck.saved("q9") is None  # the check cell below the form, run before anything is saved
    line = shown[-1]
    assert "还没有保存" in line.value
    q.set("受理")
    q.save()  # only the button: the check cell is not run again
    assert "已保存" in line.value and "还没有保存" not in line.value
    # raw JSON of answers.json is not shown; marks are symbols the CJK font has, not emoji
    assert "answers.json" not in q.saved_view.value
    for text in (line.value, q.saved_view.value, q.status.value, ck.saved_summary(["q9"]).value):
        assert not any(ch in text for ch in "✅❌⬜"), text


def test_require_explains_in_chinese_when_nothing_saved():
    with pytest.raises(answers.NotSaved, match="保存答案"):
        ck.require("nothing")


def test_answer_key_swallows_only_the_released_stub():
    with ck.answer_key():
        raise NotImplementedError()
    with pytest.raises(ValueError):
        with ck.answer_key():
            raise ValueError("real error")


def test_glossary_explains_every_official_term():
    for term in ("好差评", "容缺受理", "告知承诺", "一次性告知", "即办件", "承诺件", "跨省通办", "一件事",
                 "帮办代办", "免申即享"):
        assert len(glossary.explain(term)) > 10
    g = ck.Glossary()
    g.show("免申即享")
    assert g.box.layout.display != "none" and "免申即享" in g.text.value


def test_person_card_is_masked_and_marked():
    from sandbox.population import build_population
    person = build_population(seed=1, n_citizens=50, n_firms=5).citizens[0]
    fields = ck.masked_person(person)
    assert person.id_number not in json.dumps(fields, ensure_ascii=False)
    assert fields["身份证号"].count("*") == 10 and "*" in fields["手机"]
    assert "合成数据" in ck.card("申请人", fields).value


def test_chart_draws_chinese_with_a_cjk_font():
    fam = charts.use_cjk_font(strict=True)
    assert fam
    fig = charts.before_after({"p90_wait_min": 60}, {"p90_wait_min": 30}, ["p90_wait_min"])
    texts = [t.get_text() for t in fig.texts]
    assert "合成数据" in texts


def test_clear_message_without_cjk_font(monkeypatch):
    monkeypatch.setattr(charts.sandbox_charts, "cjk_font", lambda: None)  # a machine without any CJK font
    with pytest.raises(charts.NoCJKFont, match="fonts-wqy-microhei"):
        charts.use_cjk_font(strict=True)
    with pytest.warns(UserWarning, match="中文字体"):
        assert charts.use_cjk_font() is None
