"""Widgets toolkit for the academy's course notebooks (see courses/README.md).

Trainees work through forms and buttons; everything they see is marked 合成数据 and masked.
Modules: ``answers`` (saved answers), ``questions`` (answer forms), ``display`` (badge, cards),
``glossary`` (official terms in plain words), ``charts`` (before/after charts, CJK font),
``timeline`` (a case's path), ``casework`` and ``journeys`` (the widgets of the guides and
walkthrough courses: guides, applications, journeys, scenario levers and re-simulation), ``cases`` and
``stories`` (their case material without widgets, shared with the grader-only checkers). Answer keys
are not here: they live beside each course in ``courses/<course>/grader/``.
"""
from __future__ import annotations

from . import answers, charts, display, glossary, questions, timeline
from .answers import answer_key, load, require, save
from .display import badge, card, masked_firm, masked_person, note, panel
from .glossary import Glossary, explain, term_html
from .glossary import glossary as terms
from .questions import (REGISTRY, Question, ask, checklist, choice, number, saved, saved_summary,
                        show_saved_text, text)

__all__ = [
    "answers", "charts", "display", "glossary", "questions", "timeline",
    "answer_key", "load", "require", "save", "saved",
    "badge", "card", "masked_firm", "masked_person", "note", "panel",
    "Glossary", "explain", "term_html",
    "REGISTRY", "Question", "ask", "checklist", "choice", "number", "saved_summary", "show_saved_text", "text",
    "terms",
]


def start() -> None:
    """First hidden cell of every course notebook: Chinese fonts on, the glossary and the badge shown."""
    from IPython.display import display as _display
    charts.use_cjk_font()
    _display(badge())
