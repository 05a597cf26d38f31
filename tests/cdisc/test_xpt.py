"""SAS transport version 5: the validator refuses each thing version 5 cannot hold; what is written reads back equal.

The read-back check uses pandas.read_sas, a reader independent of pyreadstat (which writes). pandas reads an
XPT zero back as 16**-65 = 5.397605e-79, the smallest IBM magnitude (an open pandas bug,
pandas-dev/pandas#50670). The check handles it so: it first asserts that no value written lies strictly
between 0 and 1e-70 (so a read-back 16**-65 can only be a written zero), then maps 16**-65 back to 0
before comparing, and it asserts that the data sets do hold zeros (CHG at baseline), so the mapping is
exercised.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from axspa.cdisc import Adam, Dataset, Variable, check_xpt, write_adam, write_xpt
from axspa.cdisc.xpt import IBM_MIN, IBM_WRITABLE_MAX
from axspa.errors import InputError

PANDAS_ZERO = 16.0**-65  # what pandas.read_sas returns for an XPT zero (pandas-dev/pandas#50670)


def _frame(**columns: object) -> pd.DataFrame:
    return pd.DataFrame(columns)


def _refuse(frame: pd.DataFrame, *, match: str, dataset: str = "ADTEST", labels: dict | None = None, label="Test"):
    labels = labels if labels is not None else {c: "A label" for c in frame.columns}
    with pytest.raises(InputError, match=match):
        check_xpt(frame, dataset=dataset, labels=labels, dataset_label=label)


# one test per refusal -------------------------------------------------------------------------


def test_refuses_a_variable_name_over_8_characters() -> None:
    _refuse(_frame(PARAMCODE1=[1.0]), match=r"ADTEST: variable name 'PARAMCODE1' has 10 characters; .* at most 8")


def test_refuses_a_variable_name_not_in_upper_case() -> None:
    _refuse(_frame(Aval=[1.0]), match=r"ADTEST: variable name 'Aval' is not upper case; expected 'AVAL'")


def test_refuses_a_data_set_name_over_8_characters_or_not_upper_case() -> None:
    _refuse(_frame(AVAL=[1.0]), dataset="ADEFFICACY", match=r"data set name 'ADEFFICACY' has 10 characters")
    _refuse(_frame(AVAL=[1.0]), dataset="adeff", match=r"data set name 'adeff' is not upper case")


def test_refuses_a_label_over_40_bytes() -> None:
    long = "Analysis Value of the Efficacy Parameter!"  # 41 characters
    assert len(long) == 41
    _refuse(_frame(AVAL=[1.0]), labels={"AVAL": long}, match=rf"label of variable AVAL, '{long}', has 41 bytes")
    _refuse(_frame(AVAL=[1.0]), labels={"AVAL": "x"}, label=long, match="label of the data set, .* has 41 bytes")


def test_refuses_a_character_value_over_200_bytes() -> None:
    value = "x" * 201
    _refuse(_frame(DCSREAS=["OTHER", value]), match=r"variable DCSREAS holds a value of 201 bytes \(row 2\)")


def test_refuses_non_ascii_text_in_a_value() -> None:
    _refuse(
        _frame(USUBJID=["S-1"], PARAM=["Schober test (cm)"], SEX=["M"], SITE=["Zürich"]),
        match=r"variable SITE holds 'Zürich' \(row 1, USUBJID S-1\) with non-ASCII characters",
    )


def test_refuses_non_ascii_text_in_a_label() -> None:
    _refuse(_frame(AVAL=[1.0]), labels={"AVAL": "Valeur analysée"}, match="label of variable AVAL.*non-ASCII")


def test_refuses_a_number_too_large_for_the_ibm_format_as_written() -> None:
    _refuse(_frame(AVAL=[1.0, 7.3e75]), match=r"variable AVAL holds 7.3e\+75 \(row 2\), outside the range")
    _refuse(_frame(AVAL=[IBM_WRITABLE_MAX]), match=r"variable AVAL holds 9.04625697166532\de\+74")
    _refuse(_frame(AVAL=[-np.inf]), match=r"variable AVAL holds -inf")


def test_refuses_a_non_zero_number_too_small_for_the_ibm_format() -> None:
    _refuse(_frame(AVAL=[0.0, 1e-80]), match=r"variable AVAL holds 1e-80 \(row 2\), outside the range")


def test_refuses_trailing_blanks_a_boolean_column_and_a_missing_label() -> None:
    _refuse(_frame(ARM=["Placebo "]), match=r"ARM holds 'Placebo ' \(row 1\), which ends in blanks")
    _refuse(_frame(FLAG=[True]), match="FLAG holds True/False values")
    _refuse(_frame(AVAL=[1.0]), labels={}, match="variable 'AVAL' has no label")


def test_lists_every_problem_at_once() -> None:
    with pytest.raises(InputError) as info:
        check_xpt(_frame(aval=[1e80], LONGNAME9=["é"]), dataset="ADX", labels={}, dataset_label="X")
    assert "ADX cannot be written as SAS transport version 5 (6 problems)" in str(info.value)


def test_a_refused_data_set_writes_nothing(tmp_path: Path, controlled: Adam) -> None:
    pytest.importorskip("pyreadstat", reason="writing XPT needs the optional extra cdisc (pyreadstat)")
    bad = Dataset("ADX", "Bad", "one record", _frame(AVAL=[1e80]), (Variable("AVAL", "Value", "Num", "x"),))
    with pytest.raises(InputError, match="ADX: variable AVAL holds 1e\\+80"):
        write_xpt(bad, tmp_path / "adx.xpt")
    assert not (tmp_path / "adx.xpt").exists()
    broken = Adam(controlled.study, (*controlled.datasets, bad), controlled.parameters)
    with pytest.raises(InputError, match="ADX"):
        write_adam(broken, tmp_path / "out", xpt=True)
    assert not (tmp_path / "out").exists()  # checked before any file is written


# read-back --------------------------------------------------------------------------------------


def _read_back(path: Path) -> pd.DataFrame:
    return pd.read_sas(path, format="xport", encoding="ascii")


def assert_reads_back_equal(dataset: Dataset, frame: pd.DataFrame) -> None:
    """``frame`` (read from the XPT file) equals the data set, once pandas' zero is mapped back to 0."""
    assert list(frame.columns) == list(dataset.frame.columns)
    assert len(frame) == len(dataset.frame)
    for v in dataset.variables:
        written = dataset.frame[v.name]
        got = frame[v.name]
        if v.type == "Num":
            values = written.to_numpy(dtype=float)
            tiny = (np.abs(values) > 0) & (np.abs(values) < 1e-70)
            assert not tiny.any(), f"{dataset.name}.{v.name}: a value near 16**-65 would be ambiguous"
            back = np.where(got.to_numpy(dtype=float) == PANDAS_ZERO, 0.0, got.to_numpy(dtype=float))
            np.testing.assert_array_equal(back, values, err_msg=f"{dataset.name}.{v.name}")
        else:
            assert got.fillna("").tolist() == written.tolist(), f"{dataset.name}.{v.name}"


@pytest.mark.parametrize("which", ["reference", "controlled"])
def test_every_xpt_written_reads_back_equal_with_pandas(which: str, request, tmp_path: Path) -> None:
    pyreadstat = pytest.importorskip("pyreadstat", reason="writing XPT needs the optional extra cdisc (pyreadstat)")
    adam: Adam = request.getfixturevalue(which)
    paths = write_adam(adam, tmp_path, xpt=True)
    zeros = 0
    for d in adam.datasets:
        path = paths[f"{d.name.lower()}.xpt"]
        assert_reads_back_equal(d, _read_back(path))
        zeros += int((d.frame.select_dtypes("number") == 0).sum().sum())
        _, meta = pyreadstat.read_xport(str(path), metadataonly=True)  # names, labels and member as written
        assert meta.table_name == d.name and meta.file_label == d.label
        assert dict(zip(meta.column_names, meta.column_labels, strict=True)) == d.labels
        csv = pd.read_csv(paths[f"{d.name.lower()}.csv"], keep_default_na=False)
        for v in d.variables:
            if v.type == "Num":
                back = pd.to_numeric(csv[v.name].replace("", np.nan)).to_numpy(dtype=float)
                np.testing.assert_array_equal(back, d.frame[v.name].to_numpy(dtype=float))
            else:
                assert csv[v.name].astype(str).tolist() == d.frame[v.name].tolist()
    assert zeros > 0  # the pandas zero bug is met and handled


def test_numbers_at_the_edges_of_the_writable_range_read_back_equal(tmp_path: Path) -> None:
    pytest.importorskip("pyreadstat", reason="writing XPT needs the optional extra cdisc (pyreadstat)")
    edge = [np.nextafter(IBM_WRITABLE_MAX, 0), -np.nextafter(IBM_WRITABLE_MAX, 0), 1.5 * IBM_MIN, 1 / 3, -0.1, 0.0]
    d = Dataset(
        "ADX",
        "Edges",
        "one record per value",
        _frame(AVAL=edge, AVALC=["a", "b", "", "d", "e", "f"]),
        (Variable("AVAL", "Value", "Num", "x"), Variable("AVALC", "Text", "Char", "x")),
    )
    path = write_xpt(d, tmp_path / "adx.xpt")
    back = _read_back(path)
    np.testing.assert_array_equal(back["AVAL"].to_numpy()[:5], edge[:5])
    assert back["AVAL"].iloc[5] == PANDAS_ZERO  # the bug itself, as pandas 3 still has it
    assert back["AVALC"].tolist() == ["a", "b", "", "d", "e", "f"]


def test_the_label_pyreadstat_would_truncate_is_refused_before_writing(tmp_path: Path) -> None:
    pytest.importorskip("pyreadstat", reason="writing XPT needs the optional extra cdisc (pyreadstat)")
    label = "A label of exactly forty-one characters.."
    d = Dataset("ADX", "X", "one", _frame(AVAL=[1.0]), (Variable("AVAL", label, "Num", "x"),))
    with pytest.raises(InputError, match="has 41 bytes"):
        write_xpt(d, tmp_path / "adx.xpt")
