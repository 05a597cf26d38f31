"""CSV files separated by semicolons, tabs or bars: refused with a clear message as canonical tables, read
through a mapping file that names the delimiter, and detected by ``axspa map``.

Excel writes "CSV" with semicolons wherever the decimal separator is a comma (most of continental Europe), so
an export of that kind, with decimal commas, is the main case here. The expected study is the bundled
synthetic trial as loaded from its canonical comma-separated files.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from axspa.cli import main
from axspa.errors import InputError
from axspa.ingest.columns import VISIT_COLUMNS
from axspa.ingest.draft import TODO, draft_mapping
from axspa.io import load_study, read_table, read_table_typed, sniff_delimiter
from axspa.studies import synthetic_rct

TABLES = ("patients.csv", "visits.csv", "adverse_events.csv")
_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")


def _european(source: Path, folder: Path, delimiter: str = ";") -> Path:
    """The study's CSV files rewritten as a European Excel export: fields separated by ``delimiter``, decimal
    commas. The bundled files quote nothing and hold no semicolon, tab or bar, so a plain replace is exact."""
    folder.mkdir()
    for name in TABLES:
        text = (source / name).read_text(encoding="utf-8")
        assert not any(c in text for c in ';\t|"')
        (folder / name).write_text(_DECIMAL.sub(",", text.replace(",", delimiter)), encoding="utf-8")
    shutil.copy(source / "study.toml", folder / "study.toml")
    return folder


def _mapping(folder: Path, delimiter: str = ";") -> Path:
    lines = ["decimal_comma = true"]
    for name in TABLES:
        table = name.removesuffix(".csv")
        lines += [f"[{table}]", f'file = "{name}"', f"delimiter = {delimiter!r}".replace("'", '"')]
    path = folder / "mapping.toml"
    path.write_text("\n".join(lines).replace('"\t"', '"\\t"') + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def canonical() -> object:
    return load_study(synthetic_rct.folder(), name="x")


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_an_export_read_through_its_delimiter_is_the_canonical_study(
    tmp_path: Path, canonical: object, delimiter: str
) -> None:
    folder = _european(synthetic_rct.folder(), tmp_path / "export", delimiter)
    mapped = load_study(folder, mapping=_mapping(folder, delimiter), name="x")
    for table in ("patients", "visits", "adverse_events"):
        pd.testing.assert_frame_equal(getattr(mapped, table), getattr(canonical, table))
    # and by hand: the first visit row of the canonical visits.csv reads P01,0,5.4,7.0,...
    first = mapped.visits.iloc[0]
    assert (first["patient_id"], first["week"], first["basdai_q1"], first["basdai_q2"]) == ("P01", 0, 5.4, 7.0)


def test_the_records_engine_reads_the_delimiter_too(tmp_path: Path, canonical: object) -> None:
    folder = _european(synthetic_rct.folder(), tmp_path / "export")
    mapped = load_study(folder, mapping=_mapping(folder), engine="records", name="x")
    pd.testing.assert_frame_equal(mapped.visits, canonical.visits)  # type: ignore[attr-defined]


def test_a_semicolon_study_folder_is_refused_with_what_to_do(tmp_path: Path) -> None:
    folder = _european(synthetic_rct.folder(), tmp_path / "export")
    with pytest.raises(InputError) as caught:
        load_study(folder)
    message = str(caught.value)
    assert message.startswith("patients.csv, line 1: the fields are separated by semicolons (';'), not by commas")
    assert "delimiter = ';'" in message and "axspa map" in message and "Comma delimited" in message


def test_the_command_line_says_the_same_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _european(synthetic_rct.folder(), tmp_path / "export")
    assert main(["validate", str(folder)]) == 2
    assert "separated by semicolons" in capsys.readouterr().err


def test_too_many_fields_names_the_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "visits.csv"
    path.write_text("patient_id;week\nA;0\nA;4;x\n", encoding="utf-8")
    with pytest.raises(
        InputError,
        match=r"visits.csv, line 3: 3 fields, but the header has 2; quote a value that "
        r"holds a semicolon",
    ):
        read_table(path, delimiter=";")


def test_read_table_keeps_values_as_written(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Pat.-Nr.;CRP [mg/dl];Bemerkung\nA; <0,5;ok, gut\nB;1,3;\n", encoding="utf-8")
    table = read_table(path, delimiter=";")
    assert list(table.columns) == ["Pat.-Nr.", "CRP [mg/dl]", "Bemerkung"]
    assert table.iloc[0].tolist() == ["A", "<0,5", "ok, gut"]  # the space after the semicolon is dropped
    assert table.iloc[1, :2].tolist() == ["B", "1,3"] and pd.isna(table.iloc[1, 2])


def test_read_table_typed_parses_numbers_between_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "visits.csv"
    path.write_text("patient_id; week; basdai_q1\nA; 0; 4.5\nA; 4; 12\n", encoding="utf-8")
    table = read_table_typed(
        path, {"week": VISIT_COLUMNS["week"], "basdai_q1": VISIT_COLUMNS["basdai_q1"]}.get, delimiter=";"
    )
    assert table["week"].tolist() == [0, 4]
    # 12 is out of basdai_q1's range, so the column comes back as written for the checks to report
    assert table["basdai_q1"].tolist() == [4.5, "12"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [("a;b;c", ";"), ("a\tb\tc", "\t"), ("a|b|c", "|"), ("a,b,c", ","), ("a", ","), ("a;b,c;d", ";")],
)
def test_sniff_delimiter_counts_the_header(tmp_path: Path, header: str, expected: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(header + "\n1\n", encoding="utf-8")
    assert sniff_delimiter(path) == expected


def test_an_unknown_delimiter_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a:b\n1:2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"delimiter must be one of ',', ';', '\\t', '\|'; got ':'"):
        read_table(path, delimiter=":")


def test_a_mapping_with_an_unknown_delimiter_names_the_file_and_key(tmp_path: Path) -> None:
    folder = _european(synthetic_rct.folder(), tmp_path / "export")
    path = _mapping(folder)
    path.write_text(path.read_text().replace('delimiter = ";"', 'delimiter = ":"', 1))
    with pytest.raises(
        InputError, match=r"mapping file mapping.toml, \[patients\].delimiter: must be one of .*got ':'"
    ):
        load_study(folder, mapping=path)


def test_the_draft_names_the_delimiter_of_each_csv_file(tmp_path: Path) -> None:
    folder = _european(synthetic_rct.folder(), tmp_path / "export")
    draft = draft_mapping([folder / name for name in TABLES], mapping_dir=folder)
    assert draft.count('delimiter = ";"  # the file\'s fields are separated by semicolons') == 3
    assert "decimal_comma = true" in draft
    # the canonical comma-separated files need no delimiter line
    plain = draft_mapping([synthetic_rct.folder() / name for name in TABLES])
    assert "delimiter" not in plain


@pytest.mark.parametrize(
    "header", ["Treatment arm", "Randomised arm", "Behandlungsarm", "Bras de traitement", "Brazo de tratamiento"]
)
def test_the_draft_matches_arm_headers_in_several_languages(tmp_path: Path, header: str) -> None:
    path = tmp_path / "patients.csv"
    path.write_text(f"Patient ID;{header};Treated\nA;Drug;yes\n", encoding="utf-8")
    draft = draft_mapping([path])
    assert f'"{header}" = "arm"' in draft and '"Treated" = "treated"' in draft


def test_the_drafted_mapping_loads_the_export_once_its_open_points_are_settled(
    tmp_path: Path, canonical: object
) -> None:
    folder = _european(synthetic_rct.folder(), tmp_path / "export")
    draft = draft_mapping([folder / name for name in TABLES], mapping_dir=folder)
    open_points = [line for line in draft.splitlines() if TODO in line and not line.startswith("# Check")]
    # the arm and treated columns are matched; the stratum is this trial's own, which no draft can know
    assert '"arm" = "arm"' in draft and '"treated" = "treated"' in draft
    assert [line.split('"')[1] for line in open_points] == ["prior_tnfi"]
    settled = draft
    for line in open_points:
        header = re.match(r'# "([^"]+)" = ""', line)
        assert header is not None, line
        settled = settled.replace(line, f'"{header.group(1)}" = "{header.group(1)}"')
    (folder / "mapping.toml").write_text(settled, encoding="utf-8")
    mapped = load_study(folder, mapping=folder / "mapping.toml", name="x")
    for table in ("patients", "visits", "adverse_events"):
        pd.testing.assert_frame_equal(getattr(mapped, table), getattr(canonical, table))
