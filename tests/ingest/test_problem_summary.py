"""Problem summaries (axspa.errors.summarize_problems), the bounded text of DataValidationError, and a missing
baseline that follows from an excluded baseline row."""

from __future__ import annotations

import pytest

from axspa.errors import DataValidationError, Problem, summarize_problems
from axspa.io import validate_frames


def _problems(n_groups: int, per_group: int) -> list[Problem]:
    return [
        Problem(rule="range", message=f"bad c{g}", field=f"c{g}", value=r, source="visits.csv", row=r, patient_id="P1")
        for g in range(n_groups)
        for r in range(1, per_group + 1)
    ]


def test_groups_with_counts_and_three_examples():
    problems = _problems(2, 5)[::-1]  # the larger group first either way; examples keep the list's order
    problems.append(Problem(rule="type", message="not a number", field="crp", value="a", source="lab.csv"))
    assert summarize_problems(problems) == [
        "visits.csv, c1, range: 5",
        "    e.g. row 5, patient P1, value 5: bad c1",
        "    e.g. row 4, patient P1, value 4: bad c1",
        "    e.g. row 3, patient P1, value 3: bad c1",
        "visits.csv, c0, range: 5",
        "    e.g. row 5, patient P1, value 5: bad c0",
        "    e.g. row 4, patient P1, value 4: bad c0",
        "    e.g. row 3, patient P1, value 3: bad c0",
        "lab.csv, crp, type: 1",
        "    e.g. value 'a': not a number",
    ]


def test_examples_are_dealt_out_while_they_fit():
    # 15 groups of 4 in 40 lines: 15 group lines, then 15 first examples (30 lines), then second examples
    # for the first 10 groups (40 lines); no third examples.
    lines = summarize_problems(_problems(15, 4))
    assert len(lines) == 40
    assert lines[:3] == [
        "visits.csv, c0, range: 4",
        "    e.g. row 1, patient P1, value 1: bad c0",
        "    e.g. row 2, patient P1, value 2: bad c0",
    ]
    assert lines[27:29] == ["visits.csv, c9, range: 4", "    e.g. row 1, patient P1, value 1: bad c9"]
    assert lines[29] == "    e.g. row 2, patient P1, value 2: bad c9"
    assert lines[30:32] == ["visits.csv, c10, range: 4", "    e.g. row 1, patient P1, value 1: bad c10"]
    assert lines[32] == "visits.csv, c11, range: 4"


def test_groups_that_do_not_fit_are_counted_on_the_last_line():
    # 50 groups of 2: one line each for the first 39, the 40th line counts the other 11 groups (22 problems).
    lines = summarize_problems(_problems(50, 2))
    assert len(lines) == 40
    assert lines[38] == "visits.csv, c38, range: 2"
    assert lines[39] == "... 11 more group(s) with 22 problem(s)"


def test_error_text_lists_few_problems_and_summarises_many():
    few = DataValidationError(problems=_problems(1, 3), summary="study 's'")
    assert str(few).splitlines() == [
        "study 's': 3 problem(s)",
        *(f"  - visits.csv, row {r}, patient P1: bad c0" for r in (1, 2, 3)),
    ]
    many = DataValidationError(problems=_problems(3, 200), summary="study 's'")
    lines = str(many).splitlines()
    assert lines[0] == "study 's': 600 problem(s); by file, column and rule:"
    assert lines[1] == "  visits.csv, c0, range: 200"
    assert lines[-1] == "every problem is in the error's .problems (axspa validate --all lists them)"
    assert len(lines) == 1 + 3 * 4 + 1
    assert len(many.problems) == 600


@pytest.mark.parametrize("engine", ["frame", "records"])
def test_missing_baseline_points_to_its_excluded_row(patients_raw, visits_raw, engine):
    visits = visits_raw.copy()
    visits.loc[4, "esr_mm_h"] = "-4"  # row 5: the baseline of P03
    with pytest.raises(DataValidationError) as info:
        validate_frames(patients_raw, visits, engine=engine)
    follow_on = [p for p in info.value.problems if p.rule == "baseline_missing"]
    assert [(p.patient_id, p.message) for p in follow_on] == [
        (
            "P03",
            "patient P03 has no baseline visit (week 0): its baseline row, visits.csv row 5, was excluded: "
            "esr_mm_h must be a number in [0, 200] (or a censored value such as '<5'); got -4",
        )
    ]


def test_a_baseline_that_was_never_there_is_still_a_plain_problem(patients_raw, visits_raw):
    visits = visits_raw.drop(index=4)
    with pytest.raises(DataValidationError) as info:
        validate_frames(patients_raw, visits)
    assert [p.message for p in info.value.problems if p.rule == "baseline_missing"] == [
        "patient P03 has no baseline visit (week 0)"
    ]
