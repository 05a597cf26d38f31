"""The bundled synthetic controlled trial loads strictly through the public loader, arms and all."""

from __future__ import annotations

from axspa.analysis_sets import controlled_sets
from axspa.studies import synthetic_rct


def test_loads_strictly_with_every_row_and_no_exclusions():
    study = synthetic_rct.load()
    assert study.name == "synthetic_rct"
    assert len(study.patients) == 80
    assert study.exclusions.empty
    # Rows of data/synthetic_rct/visits.csv and adverse_events.csv (wc -l, less the header): 80 baselines and
    # 375 planned post-baseline visits of treated patients, 19 of them missed; 56 adverse events.
    assert (len(study.visits), len(study.adverse_events)) == (436, 56)


def test_the_study_file_gives_the_design():
    design = synthetic_rct.load().design
    assert [(arm.code, arm.label) for arm in design.arms] == [("active", "Active drug"), ("placebo", "Placebo")]
    assert design.control == "placebo"
    assert design.strata == ("prior_tnfi",)
    assert design.schedule == (0, 2, 4, 8, 12, 16)
    assert design.primary_week == 16


def test_analysis_sets_by_arm():
    study = synthetic_rct.load()
    sets = controlled_sets(study.patients, study.design)
    # 40 randomised per arm; one per arm withdrew before the first dose; 35 and 34 completed
    # (data/synthetic_rct/patients.csv).
    assert {name: len(s.patient_ids) for name, s in sets.items()} == {"fas": 80, "safety": 78, "completers": 69}
    assert list(sets["fas"].arm_of().values()).count("active") == 40
    assert list(sets["safety"].arm_of().values()).count("active") == 39
