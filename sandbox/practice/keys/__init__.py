"""Answer keys: the rules that decide graded cases (grader-only; see sandbox.practice.load_key).

- :mod:`.decisions` — ``decide`` / ``grade_decision``: the acceptance rules (受理审查).
- :mod:`.defects` — ``check_guide`` / ``make_defective_guide`` / ``grade_defects``: service-guide review.

Root mode installs this package root:academy-graders, 0750/0640, in the runtime venv
(``academy.runtime.close_answer_keys``). Nothing outside grading, the course graders, the practice
bank's builder and the sandbox's own tests may import it.
"""
