"""Every lesson notebook runs top to bottom, with every widget's callbacks driven headless, in a kernel
that cannot import the answer keys (as a trainee's in root mode)."""
from __future__ import annotations

import pytest

from course_helpers import WITHOUT_KEYS, errors, execute, lesson_paths, render, stream_text


@pytest.mark.timeout(400)
@pytest.mark.parametrize("path", lesson_paths(), ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_lesson_runs_with_widgets_driven(path, tmp_path):
    nb = execute(render(path), tmp_path, before=[WITHOUT_KEYS], extra=[
        "import coursekit.testing as _t\nfor _line in _t.exercise_all():\n    print(_line)"])
    assert not errors(nb), errors(nb)
    log = stream_text(nb.metadata["_extra_outputs"][0])
    assert log.strip(), "the lesson has no interactive widget"
    assert "Glossary" in log  # the glossary pop-up is on every lesson
    import json
    outputs = json.dumps(nb, ensure_ascii=False)  # outputs and the stored widget state
    assert "合成数据" in outputs  # the badge is shown
