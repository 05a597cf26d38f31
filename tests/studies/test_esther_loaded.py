"""The ESTHER files load through axspa.io.load_study as a controlled study (arms from study.toml)."""

from __future__ import annotations

from axspa.io import load_study
from axspa.studies import esther_2011 as study


def test_loads_as_a_controlled_study_with_every_row():
    loaded = load_study(study.folder(), strict=True)
    assert loaded.design.control == "sulfasalazine"
    assert {arm.code for arm in loaded.design.arms} == {"etanercept", "sulfasalazine"}
    assert loaded.design.schedule == (0.0, 24.0, 48.0)
    assert loaded.patients["arm"].value_counts().to_dict() == {"etanercept": 40, "sulfasalazine": 36}  # abstract
    assert len(loaded.visits) == 76 * 3
    assert loaded.excluded_rows.empty
    for name in ("physician_global", "joint_count", "enthesitis_score", "basmi", "eq5d", "asqol", "mri_sij"):
        assert name in loaded.study_measures
        assert loaded.visits[name].notna().all()


def test_conventions_name_the_ancova_and_the_figures_not_reproduced():
    conventions = study.conventions()
    assert "arm + baseline" in conventions["ancova"]["model"]
    assert set(conventions["not_reproduced"]) == {"table3.crp_mg_l.week24.p", "table3.crp_mg_l.week48.p"}
