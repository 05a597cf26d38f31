"""The ESTHER trial's files: its study.toml parses, and published.json is well formed and says what the paper prints.

Song IH, et al. Ann Rheum Dis 2011;70:590-6 (doi 10.1136/ard.2010.139667). The expected strings below are copied
from the paper as stored at the addresses in published.json's ``study.sources``; each says where it is printed.
"""

from __future__ import annotations

import json
import tomllib
from itertools import product
from pathlib import Path
from typing import Any

import pytest

from axspa.ingest.study_file import parse_study_design, parse_study_measures, study_registry
from axspa.measures import MeasureRegistry

FOLDER = Path(__file__).resolve().parents[2] / "data" / "esther_2011"
REQUIRED = {"id", "source", "locations", "population", "statistic", "printed"}
COMPARISON = "etanercept vs sulfasalazine"
TABLE3_MEASURES = (
    "basdai",
    "basfi",
    "patient_global",
    "physician_global",
    "joint_count",
    "enthesitis_score",
    "basmi",
    "eq5d",
    "asqol",
    "crp_mg_l",
)


@pytest.fixture(scope="module")
def toml() -> dict[str, Any]:
    return tomllib.loads((FOLDER / "study.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    with open(FOLDER / "published.json", encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@pytest.fixture(scope="module")
def figures(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["id"]: f for f in document["figures"]}


@pytest.fixture(scope="module")
def registry() -> MeasureRegistry:
    return study_registry(FOLDER)


def _number(printed: str, statistic: str) -> float:
    """The printed value as a number: a p-value may carry a leading '<', a percentage a trailing '%'."""
    if statistic == "p_value":
        return float(printed.removeprefix("<"))
    if statistic == "percent":
        return float(printed.removesuffix("%"))
    return float(printed)


# --- study.toml ---------------------------------------------------------------------------------------------------


def test_design_parses(toml: dict[str, Any]) -> None:
    design = parse_study_design(toml)
    assert design.codes == ("etanercept", "sulfasalazine")
    assert design.control == "sulfasalazine"
    assert design.schedule == (0.0, 24.0, 48.0)  # abstract: MRI at weeks 0, 24 and 48; Table 3: same weeks
    assert (design.baseline_week, design.primary_week) == (0.0, 48.0)
    assert design.arm_labels == {"etanercept": "Etanercept", "sulfasalazine": "Sulfasalazine"}


def test_measures_parse_with_the_printed_ranges(toml: dict[str, Any]) -> None:
    measures = {m.name: m for m in parse_study_measures(toml)}
    # (lower, upper) as printed beside each row: Table 3 and the MRI table
    printed_ranges = {
        "physician_global": (0, 10),  # Table 3, "Physician global (0–10)"
        "joint_count": (0, 64),  # Table 3, "Joint count (0–64)"
        "enthesitis_score": (0, 17),  # Table 3, "Enthesitis score (0–17)"
        "basmi": (0, 10),  # Table 3, "BASMI (0–10)"
        "eq5d": (0, 1),  # Table 3, "EQ-5D (0–1)"
        "asqol": (0, 18),  # Table 3, "AS-QoL (0–18)"
        "mri_sij": (0, 24),  # MRI table, "MRI sacroiliac joint score (0–24)"
        "mri_spine": (0, 69),  # MRI table, "MRI spine score (0–69)"
    }
    assert {name: (m.lower, m.upper) for name, m in measures.items() if name in printed_ranges} == printed_ranges
    # The MRI table's site counts print no range (their caps are argued in study.toml).
    assert set(measures) == set(printed_ranges) | {"mri_enthesitis", "mri_posterior_segments"}
    assert measures["eq5d"].direction.value == "higher_is_better"
    assert all(m.direction.value == "lower_is_better" for name, m in measures.items() if name != "eq5d")


def test_study_measures_do_not_shadow_built_ins(registry: MeasureRegistry) -> None:
    # study_registry raises if a declared name is already a built-in measure; the built-ins stay as they are
    assert registry.lookup("patient_global").kind.value == "rating"
    assert registry.lookup("mri_sij").kind.value == "study"


# --- published.json: form ----------------------------------------------------------------------------------------


def test_header_names_the_paper_and_its_addresses(document: dict[str, Any]) -> None:
    study = document["study"]
    assert study["doi"] == "10.1136/ard.2010.139667"
    assert "Ann Rheum Dis 2011;70:590-6" in study["citation"]
    assert set(study["sources"]) == {"abstract", "Table 3", "MRI table"}
    assert all(url.startswith(("http://", "https://")) for url in study["sources"].values())


def test_ids_are_unique_and_required_keys_present(document: dict[str, Any]) -> None:
    ids = [f["id"] for f in document["figures"]]
    assert len(ids) == len(set(ids))
    missing = {f["id"]: sorted(REQUIRED - set(f)) for f in document["figures"] if not REQUIRED <= set(f)}
    assert missing == {}
    assert {f["source"] for f in document["figures"]} <= {"table", "abstract", "text"}
    assert all(isinstance(f["locations"], list) and f["locations"] for f in document["figures"])


def test_arms_and_comparisons_name_declared_arms(document: dict[str, Any], toml: dict[str, Any]) -> None:
    codes = set(parse_study_design(toml).codes)
    for f in document["figures"]:
        assert not ("arm" in f and "comparison" in f), f["id"]
        if "arm" in f:
            assert f["arm"] in codes, f["id"]
            assert f["arm"] in f["id"].split("."), f["id"]
        if f["statistic"] == "p_value":
            assert f.get("comparison") == COMPARISON, f["id"]
            if f["source"] == "table":  # the tables' headers give each arm's n; the abstract's p-values none
                assert f["n_by_arm"] == {"etanercept": 40, "sulfasalazine": 36}, f["id"]
            assert "n" not in f, f["id"]  # n on a p-value would read as a one-sample (signed-rank) p


def test_printed_values_parse_and_lie_in_range(document: dict[str, Any], registry: MeasureRegistry) -> None:
    for f in document["figures"]:
        value = _number(f["printed"], f["statistic"])
        if f["statistic"] == "p_value":
            assert 0 < value <= 1, f["id"]
        elif f["statistic"] == "percent":
            assert 0 <= value <= 100, f["id"]
        elif f["statistic"] in ("count", "total"):
            assert f["printed"].isdigit(), f["id"]
        elif f["statistic"] == "sd":
            assert value >= 0, f["id"]
        else:
            assert f["statistic"] == "mean", f["id"]
            m = registry.lookup(f["measure"])  # every mean is of a built-in or a declared measure
            assert m.contains(value), f"{f['id']}: {f['printed']} outside {m.range_text()}"


def test_table3_is_complete(figures: dict[str, dict[str, Any]]) -> None:
    for measure, arm, week, stat in product(
        TABLE3_MEASURES, ("etanercept", "sulfasalazine"), (0, 24, 48), ("mean", "sd")
    ):
        f = figures[f"table3.{measure}.{arm}.week{week}.{stat}"]
        assert (f["measure"], f["arm"], f["week"], f["population"]) == (measure, arm, week, "itt")
        assert f["n"] == {"etanercept": 40, "sulfasalazine": 36}[arm]  # Table 3 footnote
    for measure, week in product(TABLE3_MEASURES, (24, 48)):
        assert figures[f"table3.{measure}.week{week}.p"]["population"] == "itt"
    assert sum(i.startswith("table3.") for i in figures) == 10 * 2 * 3 * 2 + 10 * 2 + 2


def test_mri_table_is_complete(figures: dict[str, dict[str, Any]]) -> None:
    for measure, arm, week, stat in product(
        ("mri_sij", "mri_spine"), ("etanercept", "sulfasalazine"), (0, 24, 48), ("mean", "sd")
    ):
        assert f"mri_table.{measure}.{arm}.week{week}.{stat}" in figures
    for measure, arm, week, stat in product(
        ("mri_enthesitis", "mri_posterior_segments"),
        ("etanercept", "sulfasalazine"),
        (0, 24, 48),
        ("sites", "patients"),
    ):
        assert f"mri_table.{measure}.{arm}.week{week}.{stat}" in figures
    for measure, week in product(("mri_sij", "mri_spine", "mri_enthesitis", "mri_posterior_segments"), (0, 24, 48)):
        assert f"mri_table.{measure}.week{week}.p" in figures


# --- published.json: spot checks against the paper -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("figure", "printed"),
    [
        ("table3.basdai.etanercept.week0.mean", "5.5"),  # Table 3, BASDAI, Baseline, etanercept: "5.5 (1.3)"
        ("table3.basdai.sulfasalazine.week48.sd", "2.4"),  # Table 3, BASDAI, Week 48, sulfasalazine: "4.4 (2.4)"
        ("table3.basdai.week24.p", "0.002"),  # Table 3, BASDAI, Week 24, p Value
        ("table3.physician_global.sulfasalazine.week48.mean", "4.1"),  # Table 3, Physician global, Week 48
        ("table3.joint_count.etanercept.week0.sd", "5.8"),  # Table 3, Joint count, Baseline, etanercept: "2.3 (5.8)"
        ("table3.enthesitis_score.week48.p", "0.70"),  # Table 3, Enthesitis score, Week 48, p Value
        ("table3.eq5d.week48.p", "0.047"),  # Table 3, EQ-5D, Week 48, p Value
        ("table3.asqol.week24.p", "<0.001"),  # Table 3, AS-QoL, Week 24, p Value
        ("table3.crp_mg_l.sulfasalazine.week24.mean", "8.5"),  # Table 3, CRP, Week 24, sulfasalazine: "8.5 (11.8)"
        ("mri_table.mri_sij.etanercept.week0.mean", "7.8"),  # MRI table, sacroiliac joint score, Baseline: "7.8 (6.3)"
        ("mri_table.mri_spine.week24.p", "0.03"),  # MRI table, spine score, Week 24, p Value
        ("mri_table.mri_enthesitis.etanercept.week48.sites", "11"),  # MRI table: "11 sites (in 11 patients)"
        ("mri_table.mri_posterior_segments.sulfasalazine.week48.patients", "1"),  # MRI table: "13 sites (in 1 patient)"
        ("mri_table.mri_sij.week0.p", "0.06"),  # MRI table footnote †: "sacroiliac joints (p=0.06)"
        ("abstract.mri_sij.etanercept.week0.mean", "7.7"),  # Abstract, Results: "from 7.7 at baseline"
        # Abstract, Results: "... versus 24 to 26 in the sulfasalazine group"
        ("abstract.mri_enthesitis.sulfasalazine.week48.sites", "26"),
        # Abstract, Results: "50% of patients reached clinical remission in the etanercept group versus 19% ..."
        ("abstract.remission.etanercept.week48.percent", "50%"),
        ("abstract.remission.sulfasalazine.week48.percent", "19%"),
    ],
)
def test_spot_check(figures: dict[str, dict[str, Any]], figure: str, printed: str) -> None:
    assert figures[figure]["printed"] == printed


@pytest.mark.parametrize(
    ("abstract", "table"),
    [
        ("7.7", "7.8"),  # etanercept sacroiliac joint score at baseline: Abstract, Results vs MRI table
        ("2.0", "2.4"),  # etanercept sacroiliac joint score at week 48
        ("2.2", "2.3"),  # etanercept spine score at baseline
    ],
)
def test_abstract_and_table_differences_are_both_kept(
    figures: dict[str, dict[str, Any]], abstract: str, table: str
) -> None:
    pairs = {
        (f["printed"], figures[f["counterpart"]]["printed"])
        for f in figures.values()
        if f["source"] == "abstract" and "counterpart" in f
    }
    assert (abstract, table) in pairs
