"""A measure declared in a study's study.toml loads, is range-checked, is summarised in the outcomes
table and drawn in a figure, with no code change; the registry finds it for that study only."""

from __future__ import annotations

import pandas as pd
import pytest

from axspa.errors import DataValidationError, InputError
from axspa.io import load_study, write_study
from axspa.measures import REGISTRY, MeasureKind, label, lookup
from axspa.report import analyze

from .data import write_synthetic_study

STUDY_TOML = """
[measures.physician_global]
label = "Physician global assessment of disease activity"
short = "Physician global"
unit = "0-10"
lower = 0
upper = 10
grid = 0.1
"""


def _with_physician_global(folder, values) -> None:
    """The synthetic report study plus a physician global column given by ``values(week)``."""
    write_synthetic_study(folder)
    visits = pd.read_csv(folder / "visits.csv")
    visits["physician_global"] = [values(w) for w in visits["week"]]
    visits.to_csv(folder / "visits.csv", index=False)
    (folder / "study.toml").write_text(STUDY_TOML)


def test_a_declared_measure_loads_and_is_found_in_the_study_registry(tmp_path):
    _with_physician_global(tmp_path, lambda w: 2.5 if w == 0 else 1.5)
    study = load_study(tmp_path)
    assert study.study_measures == ("physician_global",)
    assert study.visits["physician_global"].tolist()[:2] == [2.5, 1.5]
    m = lookup("physician_global", study.registry)
    assert (m.kind, m.lower, m.upper, m.grid) == (MeasureKind.STUDY, 0.0, 10.0, 0.1)
    assert label("physician_global", study.registry) == "Physician global (0-10)"
    # scoped to the study: the built-in registry is unchanged
    assert "physician_global" not in REGISTRY
    with pytest.raises(KeyError, match="unknown measure 'physician_global'"):
        lookup("physician_global")


def test_a_study_with_its_own_measures_writes_and_loads_back(tmp_path):
    _with_physician_global(tmp_path / "in", lambda w: 2.5 if w == 0 else 1.5)
    study = load_study(tmp_path / "in")
    again = load_study(write_study(study, tmp_path / "out"))
    assert again.registry.lookup("physician_global") == study.registry.lookup("physician_global")
    pd.testing.assert_frame_equal(again.visits, study.visits)


def test_a_declared_measure_is_range_checked_like_a_built_in_one(tmp_path):
    _with_physician_global(tmp_path, lambda w: 11 if w == 12 else 3)
    with pytest.raises(DataValidationError) as info:
        load_study(tmp_path)
    # the built-in message shape: "<field> must be a number in [lower, upper]; got <value>"
    assert "physician_global must be a number in [0, 10]; got 11" in str(info.value)
    lenient = load_study(tmp_path, strict=False)
    assert set(lenient.exclusions["field"]) == {"physician_global"}
    assert (lenient.visits["week"] == 12).sum() == 0


def test_a_declared_measure_is_summarised_and_drawn_by_analyze(tmp_path):
    _with_physician_global(tmp_path, lambda w: 2.5 if w == 0 else 1.5)
    analysis = analyze(tmp_path, None, progress=False)
    outcomes = next(t for t in analysis.report.tables if t.data["table"].iloc[0] == "outcomes").data
    pg = outcomes[(outcomes["variable"] == "physician_global") & (outcomes["statistic"] == "mean")]
    # every patient has 2.5 at baseline and 1.5 afterwards, so every visit mean is one of the two
    means = dict(zip(pg.loc[pg["level"] == "visit", "week"], pg.loc[pg["level"] == "visit", "value"], strict=True))
    assert means[0.0] == 2.5
    assert {v for w, v in means.items() if w != 0.0} == {1.5}
    view = next(t for t in analysis.report.tables if t.data["table"].iloc[0] == "outcomes").view
    assert "Physician global (0-10)" in set(view["Measure"])  # labelled from the study's registry
    figure = next(f for f in analysis.report.figures if f.name == "figure3_study_measures")
    assert "Figure 3. The study's own measures (Physician global (0-10))" in figure.caption
    (ax,) = figure.figure.axes
    assert ax.get_ylabel() == "Physician global (0-10), mean ± SD"
    assert ax.lines[0].get_ydata()[0] == 2.5


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[measures.x1]\nlabel = 'x'\nlower = 0\nupper = 10\n", r"\[measures.x1\] lacks grid"),
        ("[measures.x1]\nlabel = 'x'\nlower = 5\nupper = 1\ngrid = 1\n", "lower must be below upper"),
        ("[measures.x1]\nlabel = 'x'\nlower = 0\nupper = 1\ngrid = 0\n", "grid must be positive; got 0"),
        ("[measures.x1]\nlabel = 'x'\nlower = 0\nupper = 1\ngrid = 1\nscale = 2\n", "unknown key.*scale"),
        ("[measures.X]\nlabel = 'x'\nlower = 0\nupper = 1\ngrid = 1\n", "lower-case letters"),
        ("[measures.basdai]\nlabel = 'x'\nlower = 0\nupper = 1\ngrid = 1\n", "'basdai' is already a built-in"),
        ("[measures.x1]\nlabel = 'x'\nlower = 'a'\nupper = 1\ngrid = 1\n", "lower must be a finite number"),
        ("[measures.x1\n", "not valid TOML"),
    ],
)
def test_a_bad_study_file_is_refused_with_its_reason(tmp_path, toml, message):
    write_synthetic_study(tmp_path)
    (tmp_path / "study.toml").write_text(toml)
    with pytest.raises(InputError, match=message):
        load_study(tmp_path)


def test_the_record_engine_checks_a_study_measure_as_the_frame_engine_does(tmp_path):
    _with_physician_global(tmp_path, lambda w: 12.0 if w == 12 else (None if w == 4 else 3.0))
    by_frame = load_study(tmp_path, strict=False)
    by_records = load_study(tmp_path, strict=False, engine="records")
    bad = by_frame.exclusions[by_frame.exclusions["field"] == "physician_global"]
    assert len(bad) > 0 and set(bad["rule"]) == {"range"}
    assert bad["message"].iloc[0] == "physician_global must be a number in [0, 10]; got 12"
    pd.testing.assert_frame_equal(by_records.exclusions, by_frame.exclusions)
    pd.testing.assert_frame_equal(by_records.visits, by_frame.visits)
    pd.testing.assert_frame_equal(by_records.patients, by_frame.patients)
    with pytest.raises(InputError, match=r"declares its own measures \(physician_global\)"):
        load_study(tmp_path, strict=False).to_study()


def test_outcomes_note_an_interval_that_cannot_reach_its_level() -> None:
    import warnings

    import pandas as pd

    from axspa.analysis_sets import AnalysisSet
    from axspa.report.tables.outcomes import outcomes_table

    scored = pd.DataFrame(
        {"patient_id": ["A", "A", "B", "B", "C", "C"], "week": [0, 12] * 3, "basdai": [6.0, 3.0, 4.0, 2.0, 8.0, 5.0]}
    )
    everyone = AnalysisSet("all", "All", "every patient", ("A", "B", "C"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said in the notes, not warned per cell
        table = outcomes_table(scored, everyone, measures=["basdai"])
    # three non-zero changes: the widest exact interval has confidence 1 - 2 / 2^3 = 75 %
    assert table.value(week=12.0, level="paired", statistic="hl_ci_achieved_confidence") == 0.75
    assert any("BASDAI (0-10) week 12 (n = 3, 75.0%)" in note for note in table.notes)
