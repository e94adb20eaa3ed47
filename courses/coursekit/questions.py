"""Answer forms: widgets whose values a 保存答案 button writes to ``answers.json``.

Each question has an id (``qid``) that its graded cell reads back with ``coursekit.answers.load``.
A form shows exactly what is saved, marks unsaved changes, and refills itself from the saved answers
when the notebook is reopened. Tests drive forms headless through :data:`REGISTRY`, ``set`` and
``save`` (``save`` is the button's own click handler).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Iterable, Sequence

import ipywidgets as W

from .answers import load as load_answer
from .answers import load_all as load_all_answers
from .answers import save as save_answer
from .answers import saved as answers_saved
from .testing import register as register_for_tests
from .display import badge_html, esc

REGISTRY: dict[str, "Question"] = {}

_FIELD_LAYOUT = W.Layout(width="auto")


class Field:
    """One input of a form: a widget plus how its value becomes JSON and back."""

    def __init__(self, label: str, widget: W.Widget, get: Callable[[], Any], set_: Callable[[Any], None],
                 observe: Callable[[Callable], None]):
        self.label, self.widget, self.get, self.set, self.observe = label, widget, get, set_, observe


def choice(label: str, options: Sequence[str]) -> Field:
    """Pick one option (radio buttons); nothing is picked at first."""
    w = W.RadioButtons(options=list(options), value=None, layout=_FIELD_LAYOUT,
                       style={"description_width": "initial"})

    def set_(v):
        w.value = v if v in w.options else None
    return Field(label, w, lambda: w.value, set_, lambda cb: w.observe(cb, names="value"))


def checklist(label: str, options: Sequence[str]) -> Field:
    """Tick any number of options; the answer is the list of ticked options in display order."""
    boxes = [W.Checkbox(value=False, description=str(o), indent=False, layout=_FIELD_LAYOUT)
             for o in options]
    box = W.VBox(boxes)

    def get():
        return [b.description for b in boxes if b.value]

    def set_(values):
        chosen = set(values or [])
        for b in boxes:
            b.value = b.description in chosen

    def observe(cb):
        for b in boxes:
            b.observe(cb, names="value")
    return Field(label, box, get, set_, observe)


def text(label: str, *, rows: int = 6, placeholder: str = "在这里输入……") -> Field:
    w = W.Textarea(value="", placeholder=placeholder, rows=rows, layout=W.Layout(width="95%"))
    return Field(label, w, lambda: w.value.strip(), lambda v: setattr(w, "value", v or ""),
                 lambda cb: w.observe(cb, names="value"))


def number(label: str, *, minimum: int = 0, maximum: int = 1000, value: int = 0) -> Field:
    w = W.BoundedIntText(value=value, min=minimum, max=maximum, layout=W.Layout(width="120px"))
    return Field(label, w, lambda: int(w.value), lambda v: setattr(w, "value", int(v)),
                 lambda cb: w.observe(cb, names="value"))


def render_answer(value: Any) -> str:
    """Plain rendering of a saved answer for trainees (no JSON punctuation)."""
    if isinstance(value, dict):
        return "<br>".join(f"<b>{esc(k)}</b>：{render_answer(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(esc(v) for v in value) if value else "（一项也没选）"
    if value in (None, ""):
        return "（空）"
    return esc(value)


class Question(W.VBox):
    """A titled form with one or more fields and its own 保存答案 button."""

    def __init__(self, qid: str, title: str, fields: dict[str, Field] | Field, *, intro: str = ""):
        self.qid = qid
        self.single = isinstance(fields, Field)
        self.fields: dict[str, Field] = {"answer": fields} if self.single else dict(fields)
        self.save_button = W.Button(description="保存答案", button_style="primary", icon="save",
                                    tooltip="把答案保存到作业文件夹里的 answers.json，提交作业时一起交上去")
        self.status = W.HTML()
        self.saved_view = W.HTML()
        self.state_views: list[W.HTML] = []  # live 已保存/未保存 lines of check cells (see saved())
        parts: list[W.Widget] = [W.HTML(f'<h4 style="margin:4px 0;">{esc(title)}{badge_html()}</h4>'
                                        + (f"<div>{intro}</div>" if intro else ""))]
        for f in self.fields.values():
            if f.label:
                parts.append(W.HTML(f"<b>{esc(f.label)}</b>"))
            parts.append(f.widget)
        parts += [W.HBox([self.save_button, self.status]), self.saved_view]
        super().__init__(parts, layout=W.Layout(border="1px solid #cbd5e0", padding="8px", margin="6px 0"))
        self.save_button.on_click(self._on_save)
        saved = load_answer(qid)
        if saved is not None:
            self.set(saved)
        for f in self.fields.values():
            f.observe(self._on_change)
        self._refresh(saved)
        REGISTRY[qid] = self
        register_for_tests(self)

    def _selftest(self) -> Any:
        """Lessons only: fill every field with its first option and save (never in graded work)."""
        for f in self.fields.values():
            w = f.widget
            if isinstance(w, W.RadioButtons) and w.options:
                f.set(w.options[0])
            elif isinstance(w, W.VBox):
                f.set([w.children[0].description] if w.children else [])
            elif isinstance(w, W.Textarea):
                f.set("测试答案")
        return self.save()

    # -- value -------------------------------------------------------------------------------------
    def value(self) -> Any:
        if self.single:
            return self.fields["answer"].get()
        return {name: f.get() for name, f in self.fields.items()}

    def set(self, value: Any) -> None:
        """Fill the form (test hook; also used to refill from saved answers)."""
        if self.single:
            self.fields["answer"].set(value)
        else:
            for name, v in (value or {}).items():
                if name in self.fields:
                    self.fields[name].set(v)

    # -- saving ------------------------------------------------------------------------------------
    def save(self) -> Any:
        """Save the current value, exactly as the 保存答案 button does."""
        self.save_button.click()
        return load_answer(self.qid)

    def _on_save(self, _button=None) -> None:
        try:
            save_answer(self.qid, self.value())
        except OSError as exc:
            self.status.value = f'<span style="color:#c53030;">保存失败：{esc(exc)}。请联系培训老师。</span>'
            return
        self._refresh(load_answer(self.qid), just_saved=True)

    def _on_change(self, _change) -> None:
        saved = load_answer(self.qid)
        if saved is not None and saved != self.value():
            self.status.value = '<span style="color:#c05621;">有修改还没保存，记得点“保存答案”。</span>'
        elif saved is not None:
            self._refresh(saved)

    def _refresh(self, saved: Any, just_saved: bool = False) -> None:
        for view in self.state_views:
            view.value = state_html(saved)
        if saved is None:
            self.status.value = '<span style="color:#718096;">还没有保存答案。</span>'
            self.saved_view.value = ""
            return
        when = dt.datetime.now().strftime("%H:%M:%S") if just_saved else ""
        self.status.value = (f'<span style="color:#2f855a;">已保存{("（" + when + "）") if when else ""}。'
                             "提交作业时会一起交上去。</span>")
        self.saved_view.value = (
            '<div style="background:#f7fafc;border-left:3px solid #2f855a;padding:4px 8px;">'
            f"<div style='color:#4a5568;'>已保存的答案（评分只看这里）：</div>{render_answer(saved)}</div>")


# Text symbols that the CJK font the academy installs (fonts-wqy-microhei) has; emoji render as boxes.
MARK_SAVED = '<span style="color:#2f855a;font-weight:bold;">✓</span>'
MARK_EMPTY = '<span style="color:#718096;">□</span>'


def state_html(saved: Any) -> str:
    if saved in (None, ""):
        return f"{MARK_EMPTY} 这道题还没有保存答案。请在上面的表单中作答，并点击“保存答案”。"
    return f"{MARK_SAVED} 这道题已保存。对错在提交并评分后公布。"


def saved(qid: str) -> Any:
    """A check cell's save state that follows the form: a live line when the form of ``qid`` is on
    the page (it changes the moment 保存答案 is clicked), plain text elsewhere (grading, formgrader)."""
    question = REGISTRY.get(qid)
    if question is None or not hasattr(question, "state_views"):
        return answers_saved(qid)
    from IPython.display import display

    view = W.HTML(state_html(load_answer(qid)))
    question.state_views.append(view)
    display(view)
    return load_answer(qid)


def ask(qid: str, title: str, fields: dict[str, Field] | Field, *, intro: str = "") -> Question:
    return Question(qid, title, fields, intro=intro)


def saved_summary(qids: Iterable[str]) -> W.HTML:
    """A table of which questions have saved answers (shown before submitting)."""
    data = load_all_answers()
    rows = "".join(
        f"<tr><td style='padding:2px 8px;'>{esc(q)}</td><td style='padding:2px 8px;'>"
        + (f"{MARK_SAVED} 已保存" if data.get(q) not in (None, "", [], {}) else f"{MARK_EMPTY} 未保存") + "</td></tr>"
        for q in qids)
    return W.HTML(f"<table>{rows}</table>")


def show_saved_text(qid: str, title: str = "已保存的回答") -> None:
    """Display a saved free-text answer as plain output (the formgrader shows it to the grader;
    widgets do not render there)."""
    from IPython.display import HTML, display

    value = load_answer(qid)
    body = "（还没有保存）" if value in (None, "") else str(value)
    display(HTML(f'<div style="border:1px dashed #718096;padding:6px 10px;white-space:pre-wrap;">'
                 f"<b>{esc(title)}</b>{badge_html()}<br>{esc(body)}</div>"))
