"""Malformed study folders: every one loads or raises an AxspaError naming the file (and line), never a raw
pandas, OS or decoding error; both engines, strict and lenient, give the same answer."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from malformed_studies import CASES, FILES, Case

from axspa.errors import AxspaError, DataValidationError, InputError
from axspa.io import LoadedStudy, load_study, read_table

REQUIRED = {"patients": ("patient_id", "sex", "age_years", "status"), "visits": ("patient_id", "week")}
MODES = [(engine, strict) for engine in ("frame", "records") for strict in (True, False)]


def _build(case: Case, tmp_path: Path) -> Path:
    folder, outside = tmp_path / "study", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    case.build(folder, outside)
    return folder


def _load(folder: Path, engine: str, strict: bool) -> LoadedStudy | AxspaError:
    try:
        return load_study(folder, engine=engine, strict=strict)  # type: ignore[arg-type]
    except AxspaError as exc:
        return exc


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", [c for c in CASES if c.error is not None], ids=lambda c: c.name)
def test_unreadable_folder_is_an_input_error_naming_the_file(case: Case, tmp_path: Path) -> None:
    folder = _build(case, tmp_path)
    for engine, strict in MODES:  # the file is refused before any rule is applied, whatever the mode
        outcome = _load(folder, engine, strict)
        assert isinstance(outcome, InputError) and not isinstance(outcome, DataValidationError), outcome
        assert case.error in str(outcome)


@pytest.mark.parametrize("case", [c for c in CASES if c.same], ids=lambda c: c.name)
def test_common_encodings_and_line_ends_read_as_the_plain_file(case: Case, tmp_path: Path) -> None:
    folder = _build(case, tmp_path)
    plain = tmp_path / "plain"
    plain.mkdir()
    for name, text in FILES.items():
        (plain / name).write_text(text, encoding="utf-8")
        pd.testing.assert_frame_equal(read_table(folder / name), read_table(plain / name))
    assert load_study(folder).to_frame()["loaded"].tolist() == [2, 4, 1]


@pytest.mark.parametrize("case", [c for c in CASES if c.error is None and not c.same], ids=lambda c: c.name)
def test_odd_but_readable_folder_loads_or_lists_its_problems(case: Case, tmp_path: Path) -> None:
    folder = _build(case, tmp_path)
    outcomes = {mode: _load(folder, *mode) for mode in MODES}
    for mode, outcome in outcomes.items():
        assert isinstance(outcome, LoadedStudy | DataValidationError), (mode, outcome)
        if isinstance(outcome, LoadedStudy):
            for table, columns in REQUIRED.items():
                assert not getattr(outcome, table)[list(columns)].isna().any().any(), (mode, table)
            # nothing lost: each table's rows read are its rows loaded and its rows listed as excluded
            listed = outcome.excluded_rows["source"].map(lambda source: Path(source).stem).value_counts()
            for table, read, loaded in outcome.to_frame()[["table", "read", "loaded"]].itertuples(index=False):
                assert read - loaded == listed.get(table, 0), (mode, table)
    for strict in (True, False):  # the two engines agree
        frame, records = outcomes[("frame", strict)], outcomes[("records", strict)]
        assert type(frame) is type(records)
        if isinstance(frame, DataValidationError):
            assert str(frame) == str(records)
        else:
            assert isinstance(frame, LoadedStudy) and isinstance(records, LoadedStudy)
            for table in ("patients", "visits", "adverse_events"):
                pd.testing.assert_frame_equal(getattr(frame, table), getattr(records, table), check_dtype=False)
            pd.testing.assert_frame_equal(frame.exclusions, records.exclusions, check_dtype=False)
