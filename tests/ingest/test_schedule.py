"""Dates to analysis visits by the schedule's windows; fractional weeks; the ongoing status; withdrawal weeks.

Every expected study day and window below is counted by hand on the calendar, with the CDISC convention (day 1
is the reference date, day -1 the day before, no day 0), and written out beside the data.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from axspa.analysis_sets import completers
from axspa.design import StudyDesign, VisitWindow
from axspa.errors import DataValidationError, InputError, PlausibilityWarning
from axspa.ingest.study_file import parse_study_design, study_file_text
from axspa.io import load_study, write_study
from axspa.report.tables import disposition_table

ENGINES = ["frame", "records"]

# Weeks 0, 2 and 4 with 3 calendar days either side of the target day 7w + 1:
#   week 0: target day 1 (offset 0), offsets -3..3 -> days -3 to 4
#   week 2: target day 15 (offset 14), offsets 11..17 -> days 12 to 18
#   week 4: target day 29 (offset 28), offsets 25..31 -> days 26 to 32
WINDOWS_TOML = """\
[schedule]
weeks = [0, 2, 4]
window_days = 3
"""

# Both patients have reference date 2024-01-10 (day 1).
DATED_VISITS = [
    ("P01", "2024-01-10"),  # row 1: offset 0, day 1 -> week 0
    ("P01", "2024-01-23"),  # row 2: offset 13, day 14 -> week 2, 1 day from the target
    ("P01", "2024-01-25"),  # row 3: offset 15, day 16 -> week 2, 1 day from the target: a tie, the earlier is kept
    ("P01", "2024-02-07"),  # row 4: offset 28, day 29 -> week 4
    ("P02", "2024-01-08"),  # row 5: offset -2, day -2 -> week 0
    ("P02", "2024-01-22"),  # row 6: offset 12, day 13 -> week 2, 2 days from the target
    ("P02", "2024-01-24"),  # row 7: offset 14, day 15 -> week 2, on the target: kept
    ("P02", "2024-02-01"),  # row 8: offset 22, day 23: in no window (nearest target: week 4, 6 days away)
    ("P02", "2024-02-05"),  # row 9: offset 26, day 27 -> week 4
]


def _folder(
    tmp_path: Path,
    visits: list[tuple[str, str]] | pd.DataFrame = DATED_VISITS,
    *,
    toml: str | None = WINDOWS_TOML,
    reference: tuple[object, object] = ("2024-01-10", "2024-01-10"),
    status: tuple[str, str] = ("completed", "completed"),
    last_week: tuple[object, object] = (4, 4),
    reason: tuple[object, object] = (None, None),
) -> Path:
    patients = pd.DataFrame(
        {
            "patient_id": ["P01", "P02"],
            "sex": ["female", "male"],
            "age_years": [30, 40],
            "status": list(status),
            "withdrawal_reason": list(reason),
            "last_week": list(last_week),
            "reference_date": list(reference),
        }
    )
    if isinstance(visits, list):
        visits = pd.DataFrame(visits, columns=["patient_id", "visit_date"]).assign(basdai_q1=5)
    patients.to_csv(tmp_path / "patients.csv", index=False)
    visits.to_csv(tmp_path / "visits.csv", index=False)
    if toml is not None:
        (tmp_path / "study.toml").write_text(toml, encoding="utf-8")
    return tmp_path


# -- the study file ------------------------------------------------------------------------------------------


def test_window_days_give_a_window_around_each_target_day() -> None:
    design = parse_study_design({"schedule": {"weeks": [0, 2, 4], "window_days": 3}})
    assert design.schedule == (0.0, 2.0, 4.0)
    assert design.windows == (VisitWindow(0.0, 1, -3, 4), VisitWindow(2.0, 15, 12, 18), VisitWindow(4.0, 29, 26, 32))


def test_a_visit_table_sets_the_window_of_its_week() -> None:
    design = parse_study_design(
        {
            "schedule": {
                "weeks": [0, 2, 16],
                "window_days": 7,
                "visit": [{"week": 16, "target_day": 113, "low": 99, "high": 127}],
            }
        }
    )
    # week 0: offsets -7..7 -> days -7 to 8; week 2: offsets 7..21 -> days 8 to 22
    assert [w.describe() for w in design.windows] == [
        "week 0 (days -7 to 8, target day 1)",
        "week 2 (days 8 to 22, target day 15)",
        "week 16 (days 99 to 127, target day 113)",
    ]


def test_visit_tables_alone_give_the_weeks_and_the_default_target_day() -> None:
    design = parse_study_design(
        {"schedule": {"visit": [{"week": 2, "low": 8, "high": 21}, {"week": 0, "low": -6, "high": 1}]}}
    )
    assert design.schedule == (0.0, 2.0)
    assert design.windows == (VisitWindow(0.0, 1, -6, 1), VisitWindow(2.0, 15, 8, 21))


def test_weeks_alone_are_the_list_form_without_windows() -> None:
    assert parse_study_design({"schedule": {"weeks": [0, 12]}}) == StudyDesign(schedule=(0.0, 12.0))


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            {"study": {"schedule": [0, 2]}, "schedule": {"weeks": [0, 2]}},
            "study.toml: the visit schedule is given twice, as [study] schedule and as a [schedule] table; "
            "give it once",
        ),
        (
            {"schedule": {"weeks": [0, 2], "visit": [{"week": 2, "low": 8, "high": 21}]}},
            "study.toml: [schedule]: week 0 has no window; give window_days or a [[schedule.visit]] for it",
        ),
        (
            {"schedule": {"visit": [{"week": 0, "low": 0, "high": 3}]}},
            "study.toml: [[schedule.visit]] number 1: the window of week 0: low must be a whole, non-zero study day "
            "(day 1 is the reference date, day -1 the day before; there is no day 0); got 0",
        ),
        (
            {"schedule": {"visit": [{"week": 2, "low": 16, "high": 21}]}},
            "study.toml: [[schedule.visit]] number 1: the window of week 2 must have low <= target_day <= high; "
            "got low 16, target_day 15, high 21",
        ),
        (
            {"schedule": {"weeks": [0, 2], "visit": [{"week": 4, "low": 26, "high": 32}]}},
            "study.toml: [[schedule.visit]] week 4 is not one of the weeks [0.0, 2.0]",
        ),
        (
            {"schedule": {"weeks": [0, 2], "window_days": -1}},
            "study.toml: [schedule] window_days must be a whole number of days >= 0; got -1",
        ),
        (
            {"schedule": {"weeks": [0, 2], "windows": 3}},
            "study.toml: [schedule] has unknown key(s) windows; expected visit, weeks, window_days",
        ),
        (
            {"schedule": {"visit": [{"week": 2, "low": 8}]}},
            "study.toml: [[schedule.visit]] number 1 lacks high; expected keys: week, low, high and optionally "
            "target_day",
        ),
    ],
)
def test_bad_schedule_tables_are_errors_naming_the_place(table: dict[str, object], message: str) -> None:
    with pytest.raises(InputError) as info:
        parse_study_design(table)
    assert str(info.value) == message


def test_the_study_file_text_writes_the_windows_back() -> None:
    design = parse_study_design({"schedule": {"weeks": [0, 2], "window_days": 7}, "study": {"primary_week": 2}})
    import tomllib

    assert parse_study_design(tomllib.loads(study_file_text(_registry(), design))) == design


def _registry():  # type: ignore[no-untyped-def]
    from axspa.measures import REGISTRY

    return REGISTRY


# -- dates to analysis visits ----------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_dates_are_assigned_to_analysis_visits_and_the_study_day_is_kept(tmp_path: Path, engine: str) -> None:
    study = load_study(_folder(tmp_path), engine=engine)  # strict: the window decisions are not errors
    visits = study.visits
    assert visits["patient_id"].tolist() == ["P01", "P01", "P01", "P02", "P02", "P02"]
    assert visits["week"].tolist() == [0.0, 2.0, 4.0, 0.0, 2.0, 4.0]
    assert visits["study_day"].tolist() == [1, 14, 29, -2, 15, 27]
    assert list(visits.columns[:3]) == ["patient_id", "week", "study_day"]
    assert study.rows_read["visits"] == 9
    assert study.exclusions["row"].tolist() == [3, 6, 8]
    assert set(study.exclusions["rule"]) == {"visit_window"}
    assert study.exclusions["message"].tolist() == [
        "study day 16 is in the window of week 2 (days 12 to 18, target day 15), as is the visit of row 2 on study "
        "day 14, which is as close to the target day and earlier and is kept (rule: the visit closest to the target "
        "day; ties to the earlier)",
        "study day 13 is in the window of week 2 (days 12 to 18, target day 15), as is the visit of row 7 on study "
        "day 15, which is closer to the target day and is kept (rule: the visit closest to the target day; ties to "
        "the earlier)",
        "study day 23 is outside every visit window of the schedule (the nearest is week 4 (days 26 to 32, target "
        "day 29)); the visit is not assigned to an analysis visit",
    ]
    assert study.excluded_rows["week"].tolist()[:2] == [2.0, 2.0]
    assert pd.isna(study.excluded_rows["week"].tolist()[2])
    assert "visits.csv row 8: study day 23 is outside every visit window" in study.summary()


@pytest.mark.parametrize("engine", ENGINES)
def test_a_list_schedule_needs_the_exact_target_day(tmp_path: Path, engine: str) -> None:
    # schedule = [0, 2]: windows of one day, the target days 1 and 15
    visits = [("P01", "2024-01-10"), ("P01", "2024-01-24"), ("P02", "2024-01-10"), ("P02", "2024-01-25")]
    study = load_study(_folder(tmp_path, visits, toml="[study]\nschedule = [0, 2]\n", last_week=(2, 2)), engine=engine)
    assert study.visits["week"].tolist() == [0.0, 2.0, 0.0]
    assert study.visits["study_day"].tolist() == [1, 15, 1]
    assert study.exclusions["message"].tolist() == [
        "study day 16 is outside every visit window of the schedule (the nearest is week 2 (days 15 to 15, target "
        "day 15)); the visit is not assigned to an analysis visit"
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_given_week_is_kept_and_the_date_gives_the_study_day(tmp_path: Path, engine: str) -> None:
    visits = pd.DataFrame(
        {
            "patient_id": ["P01", "P01", "P02", "P02"],
            "week": [0, 2, 0, None],
            "visit_date": ["2024-01-10", "2024-01-27", None, "2024-01-24"],  # day 18; day 15 -> week 2
            "basdai_q1": [5, 4, 6, 5],
        }
    )
    study = load_study(_folder(tmp_path, visits, last_week=(2, 2)), engine=engine)
    assert study.visits["week"].tolist() == [0.0, 2.0, 0.0, 2.0]
    assert study.visits["study_day"].astype("Float64").fillna(-99).tolist() == [1, 18, -99, 15]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_dated_study_writes_and_loads_back_the_same(tmp_path: Path, engine: str) -> None:
    (tmp_path / "a").mkdir()
    study = load_study(_folder(tmp_path / "a"), engine=engine)
    again = load_study(write_study(study, tmp_path / "b"), engine=engine)
    assert again.visits.equals(study.visits)
    assert again.design == study.design


@pytest.mark.parametrize("engine", ENGINES)
def test_unreadable_dates_are_errors_without_follow_on_week_errors(tmp_path: Path, engine: str) -> None:
    visits = [("P01", "2024-01-10"), ("P01", "23/01/2024"), ("P02", "2024-01-10"), ("P02", "2024-01-24")]
    folder = _folder(tmp_path, visits, reference=("2024-01-10", "2024-02-30"), last_week=(2, 2))
    with pytest.raises(DataValidationError) as info:
        load_study(folder, engine=engine)
    assert [str(p) for p in info.value.problems] == [
        "patients.csv, row 2, patient P02: reference_date must be a date written YYYY-MM-DD (ISO 8601); "
        "got '2024-02-30'",
        "visits.csv, row 2, patient P01: visit_date must be a date written YYYY-MM-DD (ISO 8601); got '23/01/2024'",
        "visits.csv, row 3, patient P02: the study day of visit_date 2024-01-10 cannot be computed: the "
        "reference_date of patient P02 in patients.csv is not a date",
        "visits.csv, row 4, patient P02: the study day of visit_date 2024-01-24 cannot be computed: the "
        "reference_date of patient P02 in patients.csv is not a date",
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_patient_without_reference_date_is_named(tmp_path: Path, engine: str) -> None:
    visits = [("P01", "2024-01-10"), ("P02", "2024-01-10")]
    study = load_study(
        _folder(tmp_path, visits, reference=("2024-01-10", None), last_week=(0, 0)), strict=False, engine=engine
    )
    assert study.visits["patient_id"].tolist() == ["P01"]
    assert study.exclusions["message"].tolist() == [
        "the study day of visit_date 2024-01-10 cannot be computed: the reference_date of patient P02 in patients.csv "
        "is missing"
    ]
    assert study.exclusions["rule"].tolist() == ["reference_date"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (
            {"visit_date": ["2024-01-10", "2024-01-10"], "study_day": [2, 1]},
            "study_day 2 disagrees with visit_date 2024-01-10, which is study day 1 from the reference_date 2024-01-10",
        ),
        (
            {"study_day": [0, 1]},
            "study_day must be a whole number in [-728, 7281] other than 0 (day 1 is the reference date, day -1 the "
            "day before); got '0'",
        ),
    ],
)
def test_a_wrong_study_day_is_an_error(
    tmp_path: Path, engine: str, columns: dict[str, list[object]], message: str
) -> None:
    visits = pd.DataFrame({"patient_id": ["P01", "P02"], **columns, "basdai_q1": 5})
    with pytest.raises(DataValidationError) as info:
        load_study(_folder(tmp_path, visits, last_week=(0, 0)), engine=engine)
    assert [str(p) for p in info.value.problems] == [
        "visits.csv, patient P01: patient P01 has no baseline visit (week 0)",  # its only visit is excluded
        f"visits.csv, row 1, patient P01: {message}",
    ]


def test_dates_without_a_schedule_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_study(_folder(tmp_path, toml=None))
    assert str(info.value) == (
        "visits.csv dates its visits without a week, but the study declares no visit schedule to assign them to "
        "analysis visits: declare one in study.toml ([schedule] weeks = [...] with window_days, or "
        "[[schedule.visit]] windows)"
    )


# -- fractional weeks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_fractional_weeks_without_a_schedule_warn_naming_the_first_ones(tmp_path: Path, engine: str) -> None:
    visits = pd.DataFrame({"patient_id": ["P01"] * 3 + ["P02"] * 3, "week": [0, 2.3, 16.6, 0, 4.1, 17], "basdai_q1": 5})
    folder = _folder(tmp_path, visits, toml=None, reference=(None, None), last_week=(16.6, 17))
    with pytest.warns(PlausibilityWarning) as record:
        study = load_study(folder, engine=engine)
    assert len(study.visits) == 6
    messages = [str(w.message) for w in record if "fractional" in str(w.message)]
    assert messages == [
        "visits.csv: 3 visit(s) at a fractional week, week 2.3 for patient P01 (row 2), week 16.6 for patient P01 "
        "(row 3), week 4.1 for patient P02 (row 5), and the study declares no visit schedule, so they match no other "
        "patient's visit. Were the weeks computed as days / 7? Give visit_date and reference_date with a schedule of "
        "visit windows in study.toml, or the nominal weeks"
    ]


def test_four_fractional_weeks_name_three_and_count_the_rest(tmp_path: Path) -> None:
    visits = pd.DataFrame({"patient_id": ["P01"] * 3 + ["P02"] * 3, "week": [0, 1.5, 2.5, 0, 3.5, 4.5]})
    folder = _folder(tmp_path, visits, toml=None, reference=(None, None), last_week=(2.5, 4.5))
    with pytest.warns(PlausibilityWarning, match=r"4 visit\(s\) at a fractional week, .*\(row 5\) and 1 more, and"):
        load_study(folder)


def test_whole_weeks_do_not_warn_and_a_reference_date_alone_adds_no_study_day(tmp_path: Path) -> None:
    import warnings

    visits = pd.DataFrame({"patient_id": ["P01", "P01", "P02", "P02"], "week": [0, 4, 0, 4], "basdai_q1": 5})
    with warnings.catch_warnings():
        warnings.simplefilter("error", PlausibilityWarning)
        study = load_study(_folder(tmp_path, visits, toml=None))  # patients have reference dates, visits no dates
    assert "study_day" not in study.visits.columns
    assert "reference_date" not in study.patients.columns


# -- the ongoing status and the withdrawal week ----------------------------------------------------------------


def _weekly(tmp_path: Path, **kwargs: object) -> Path:
    visits = pd.DataFrame({"patient_id": ["P01", "P01", "P02", "P02"], "week": [0, 4, 0, 4], "basdai_q1": 5})
    return _folder(tmp_path, visits, toml=None, reference=(None, None), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("engine", ENGINES)
def test_ongoing_patients_load_and_are_not_completers(tmp_path: Path, engine: str) -> None:
    study = load_study(_weekly(tmp_path, status=("ongoing", "completed")), engine=engine)
    assert study.patients["status"].tolist() == ["ongoing", "completed"]
    assert completers(study.patients).patient_ids == ("P02",)


@pytest.mark.parametrize("engine", ENGINES)
def test_an_ongoing_patient_with_a_withdrawal_reason_is_an_error(tmp_path: Path, engine: str) -> None:
    folder = _weekly(tmp_path, status=("ongoing", "completed"), reason=("other", None))
    with pytest.raises(DataValidationError) as info:
        load_study(folder, engine=engine)
    first, *follow_on = info.value.problems
    assert str(first) == (
        "patients.csv, row 1, patient P01: withdrawal_reason must be empty when status is ongoing; got 'other'"
    )
    assert [(p.rule, p.row) for p in follow_on] == [("unknown_patient", 1), ("unknown_patient", 2)]


def test_the_disposition_table_counts_ongoing_patients(tmp_path: Path) -> None:
    study = load_study(_weekly(tmp_path, status=("ongoing", "completed")))
    view = disposition_table(study.patients).view
    assert view["Patients"].tolist()[:4] == ["Enrolled (treated)", "Completed", "Ongoing (still on study)", "Withdrawn"]
    assert view["n (%)"].tolist()[:4] == ["2 (100.0%)", "1 (50.0%)", "1 (50.0%)", "0 (0.0%)"]


def test_the_disposition_table_has_no_ongoing_row_without_ongoing_patients(tmp_path: Path) -> None:
    view = disposition_table(load_study(_weekly(tmp_path)).patients).view
    assert "Ongoing (still on study)" not in view["Patients"].tolist()


@pytest.mark.parametrize("engine", ENGINES)
def test_a_withdrawal_after_the_last_visit_is_noted(tmp_path: Path, engine: str) -> None:
    folder = _weekly(tmp_path, status=("completed", "withdrawn"), last_week=(4, 12), reason=(None, "other"))
    study = load_study(folder, engine=engine)  # a note, not an error: strict loading succeeds
    assert [str(n) for n in study.notes] == [
        "patients.csv, row 2, patient P02: withdrawn at last_week 12, later than the last visit (week 4): withdrawn "
        "between visits, or is a later visit missing?"
    ]
    assert study.notes[0].rule == "last_week_after_last_visit"
    assert len(study.patients) == 2 and len(study.visits) == 4


@pytest.mark.parametrize("engine", ENGINES)
def test_a_withdrawal_at_the_last_visit_is_not_noted(tmp_path: Path, engine: str) -> None:
    folder = _weekly(tmp_path, status=("completed", "withdrawn"), last_week=(4, 4), reason=(None, "other"))
    assert load_study(folder, engine=engine).notes == []
