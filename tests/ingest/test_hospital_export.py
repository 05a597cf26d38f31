"""The hospital-export example: workbook + mapping file load to the same study, and the same report numbers,
as the same data written canonically; `axspa map` drafts a mapping that resolves nothing wrongly."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from axspa.cli import main
from axspa.errors import DataValidationError
from axspa.ingest.columns import ADVERSE_EVENT_COLUMNS, PATIENT_COLUMNS, Kind
from axspa.ingest.draft import TODO, draft_mapping
from axspa.ingest.mapping import lab_column, read_mapping
from axspa.io import load_study, read_table

pytest.importorskip("openpyxl", reason="the example is a workbook: the optional 'excel' extra")

EXAMPLE = Path(__file__).parents[2] / "examples" / "hospital_export"


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hospital_export")
    spec = importlib.util.spec_from_file_location("make_export", EXAMPLE / "make_export.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make(folder)
    shutil.copy(EXAMPLE / "mapping.toml", folder / "mapping.toml")
    return folder


@pytest.mark.parametrize("engine", ["frame", pytest.param("records", marks=pytest.mark.slow)])
def test_export_with_mapping_loads_as_the_canonical_files(export: Path, engine: str) -> None:
    mapped = load_study(export, mapping=export / "mapping.toml", engine=engine, name="x")
    canonical = load_study(export / "canonical", engine=engine, name="x")
    for table in ("patients", "visits", "adverse_events"):
        pd.testing.assert_frame_equal(getattr(mapped, table), getattr(canonical, table))
    assert mapped.input_units == canonical.input_units == {"crp_mg_l": "crp_mg_dl"}
    # spot checks against the workbook by hand: first visit row of HX001 "BASDAI 1 [mm]" -> / 10
    raw = read_table(export / "hospital_export.xlsx", sheet="Visits")
    assert mapped.visits["basdai_q1"].iloc[0] == float(raw["BASDAI 1 [mm]"].iloc[0]) / 10
    crp = raw["CRP [mg/dL]"]
    comma = crp.str.fullmatch(r"\d+,\d").fillna(False)
    first = comma.idxmax()
    assert mapped.visits["crp_mg_l"].iloc[first] == pytest.approx(float(crp[first].replace(",", ".")) * 10)
    censored = crp.eq("<0.5").idxmax()
    assert mapped.visits["crp_mg_l"].iloc[censored] == 5.0 and mapped.visits["crp_mg_l_censored"].iloc[censored]


@pytest.mark.slow
def test_analysis_of_the_export_equals_that_of_the_canonical_files(export: Path) -> None:
    from axspa.report import analyze

    mapped = analyze(export, mapping=export / "mapping.toml", progress=False, title="t")
    canonical = analyze(export / "canonical", progress=False, title="t")
    assert [t.name for t in mapped.report.tables] == [t.name for t in canonical.report.tables]
    for a, b in zip(mapped.report.tables, canonical.report.tables, strict=True):
        pd.testing.assert_frame_equal(a.data, b.data)


def test_cli_validate_and_analyze_take_the_mapping(export: Path, capsys) -> None:
    from axspa.cli import build_parser

    assert main(["validate", str(export), "--mapping", str(export / "mapping.toml")]) == 0
    assert "visits: 224 of 224 rows loaded" in capsys.readouterr().out
    args = build_parser().parse_args(["analyze", str(export), "--mapping", "m.toml"])
    assert args.mapping == Path("m.toml")  # passed on to analyze(mapping=...), tested above


def _todo_keys(text: str, section: str) -> set[str]:
    """Keys written as '# "key" = ""  # TODO: decide' inside one [section] of a draft."""
    keys, current = set(), None
    for line in text.splitlines():
        if line.startswith("["):
            current = line.strip("[]")
        elif current == section and TODO in line:
            found = re.match(r'^# "(.*?)" = ', line)
            if found:
                keys.add(found.group(1))
    return keys


def test_draft_resolves_nothing_wrongly(export: Path) -> None:
    text = draft_mapping([export / "hospital_export.xlsx"], mapping_dir=export)
    draft = tomllib.loads(text)
    hand = read_mapping(export / "mapping.toml")
    assert draft["missing"] == ["n.a.", "not done"] and draft["decimal_comma"] is True
    resolved = unresolved = 0
    for name, table in hand.tables.items():
        assert (draft[name]["file"], draft[name]["sheet"]) == (table.file.name, table.sheet)
        raw = read_table(table.file, sheet=table.sheet)
        todo = _todo_keys(text, f"{name}.columns")
        units = draft[name].get("units", {})
        for header in raw.columns:
            if header in draft[name]["columns"]:
                target = draft[name]["columns"][header]
                target = lab_column(target, units[target]) if target in units else target
                want = table.columns[header]
                want = lab_column(want, table.units[want]) if want in table.units else want
                assert target == want, header
                resolved += 1
            else:
                assert header in todo, f"{header!r} neither resolved nor marked"
                unresolved += 1
        assert draft[name].get("scales", {}) == {c: "0-100" for c in table.scales}
        columns = PATIENT_COLUMNS if name == "patients" else ADVERSE_EVENT_COLUMNS
        for column, recode in table.recode.items():
            rule = columns[column]
            values = set(read_mapping_values(raw, table, column))
            drafted = draft[name].get("recode", {}).get(column, {}).get("values", {})
            todo_values = _todo_keys(text, f"{name}.recode.{column}.values")
            for value in values:
                if value in drafted:
                    assert rule.check(drafted[value]) == rule.check(recode.target(value)), (column, value)
                    resolved += 1
                else:
                    assert value in todo_values or (rule.kind is Kind.CATEGORY and rule.check(value)), (column, value)
                    unresolved += 1
    assert resolved > 40 and unresolved >= 4  # the free-text reasons and the AE grades are left to decide


def read_mapping_values(raw: pd.DataFrame, table, column: str) -> list[str]:
    header = next(h for h, c in table.columns.items() if c == column)
    return [v.strip() for v in raw[header].dropna() if v.strip().lower() not in {"n/a", "n.a.", "not done", ""}]


def test_cli_map_writes_the_draft(export: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "draft.toml"
    assert main(["map", str(export / "hospital_export.xlsx"), "-o", str(out)]) == 0
    assert "point(s) marked '# TODO: decide'" in capsys.readouterr().err
    assert tomllib.loads(out.read_text())["visits"]["units"] == {"crp": "mg/dL"}


def test_unrecoded_withdrawal_reasons_are_errors(export: Path) -> None:
    text = (export / "mapping.toml").read_text()
    cut = text.replace('    { regex = "(?i)lost to follow|moved", value = "lost_to_follow_up" },\n', "")
    assert cut != text
    (export / "cut.toml").write_text(cut)
    with pytest.raises(DataValidationError) as info:
        load_study(export, mapping=export / "cut.toml")
    raw = read_table(export / "hospital_export.xlsx", sheet="Demographics")["Reason for withdrawal"]
    expected = []
    for value in ("Moved to another city", "Lost to follow-up"):
        rows = [str(i + 1) for i in raw.index[raw == value]]
        if rows:
            n = len(rows)
            shown = ", ".join(rows[:5]) + (", ..." if n > 5 else "")
            expected.append(
                f"mapping file cut.toml, [patients].recode.withdrawal_reason: value {value!r} of column "
                f"withdrawal_reason is not recoded (hospital_export.xlsx, sheet Demographics, {n} "
                f"row{'s' if n > 1 else ''}: {shown}); add it to the values or patterns of the recode"
            )
    assert sorted(p.message for p in info.value.problems) == sorted(expected) and expected


def test_validate_without_the_recodes_summarises_in_at_most_40_lines(export: Path, tmp_path: Path, capsys) -> None:
    """The mapping reduced to its tables and header renames (no recodes, scales, units, missing tokens):
    thousands of problems, summarised first with a count per file, column and rule."""
    mapping = tomllib.loads((export / "mapping.toml").read_text(encoding="utf-8"))
    lines = []
    for table in ("patients", "visits", "adverse_events"):
        spec = mapping[table]
        lines.append(f"[{table}]")
        lines += [f"{key} = {json.dumps(spec[key])}" for key in ("file", "sheet", "drop") if key in spec]
        lines.append(f"[{table}.columns]")
        lines += [f"{json.dumps(k)} = {json.dumps(v)}" for k, v in spec["columns"].items()]
    bare = export / "bare_mapping.toml"  # beside the workbook, which its paths name
    bare.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = tmp_path / "problems.csv"
    assert main(["validate", str(export), "--mapping", str(bare), "--exclusions", str(report)]) == 1
    err = capsys.readouterr().err.splitlines()
    summary = err[: err.index(f"problem list written to {report}")]
    assert len(summary) <= 40
    problems = pd.read_csv(report)
    assert summary[0] == f"study '{export.name}': {len(problems)} problem(s); by file, column and rule:"
    assert len(problems) > 1000
    # every patient's sex is M or F and every HLA-B27 pos./neg. in the export (60 patients)
    assert "  hospital_export.xlsx, sheet Demographics, sex, choice: 60" in summary
    assert "  hospital_export.xlsx, sheet Demographics, hla_b27, type: 60" in summary
    counts = [line for line in summary if line.startswith("  hospital_export.xlsx")]
    for line in counts:
        source, field, rest = line.strip().rsplit(", ", 2)
        rule, n = rest.split(": ")
        assert (
            (problems["source"] == source) & (problems["field"] == field) & (problems["rule"] == rule)
        ).sum() == int(n)
