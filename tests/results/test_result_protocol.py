"""Every public result object follows one protocol: to_frame(), a compact repr and _repr_html_.

The repr bound (under 2,000 characters) is checked on a synthetic 3,000-patient study, where an
analysis set printed every patient id (79,000 characters) and the analyze() result 110,000.
"""

from __future__ import annotations

import dataclasses
import inspect

import numpy as np
import pandas as pd
import pytest

import axspa
import axspa.forensics
import axspa.report
import axspa.stats
from axspa.results import ConfidenceInterval, Result
from axspa.studies.controlled_reproduction import Explained, GridCheck
from axspa.studies.reproduction import Comparison

N_PATIENTS = 3000
MAX_REPR = 2000

# Public dataclasses that are not results, with the reason.
NOT_RESULTS = {
    "Measure": "a registry entry of axspa.measures, not the result of a computation",
    "Problem": "one line of an error or exclusions report (axspa.errors)",
    "DataValidationError": "an exception",
}


def public_dataclasses() -> dict[str, type]:
    found: dict[str, type] = {}
    for module in (axspa, axspa.stats, axspa.report, axspa.forensics):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and dataclasses.is_dataclass(obj) and name not in NOT_RESULTS:
                found[name] = obj
    found |= {"Comparison": Comparison, "Explained": Explained, "GridCheck": GridCheck}
    return found


def synthetic_study(folder):
    """3,000 patients seen at weeks 0 and 24 (one in ten withdraws before week 24), three AE terms."""
    rng = np.random.default_rng(2026)
    ids = [f"S{i:05d}" for i in range(N_PATIENTS)]
    withdrawn = np.arange(N_PATIENTS) % 10 == 0
    patients = pd.DataFrame(
        {
            "patient_id": ids,
            "sex": np.where(np.arange(N_PATIENTS) % 3 == 0, "female", "male"),
            "age_years": rng.integers(40, 70, N_PATIENTS),
            "disease_duration_years": rng.integers(1, 20, N_PATIENTS),
            "hla_b27": "true",
            "subtype": "axial",
            "status": np.where(withdrawn, "withdrawn", "completed"),
            "withdrawal_reason": np.where(withdrawn, "adverse_event", ""),
            "last_week": np.where(withdrawn, 0, 24),
        }
    )
    rows = []
    for week in (0, 24):
        keep = ~withdrawn if week == 24 else np.ones(N_PATIENTS, dtype=bool)
        n = int(keep.sum())
        level = np.clip(np.round(rng.uniform(2, 8, (n, 20)) * (1 - week / 60), 1), 0, 10)
        frame = pd.DataFrame({"patient_id": np.array(ids)[keep], "week": week})
        for k in range(6):
            frame[f"basdai_q{k + 1}"] = level[:, k]
        for k in range(10):
            frame[f"basfi_q{k + 1}"] = level[:, 6 + k]
        frame["basg_week"], frame["basg_6m"] = level[:, 16], level[:, 17]
        frame["patient_global"], frame["back_pain"] = level[:, 16], level[:, 18]
        frame["esr_mm_h"] = rng.integers(5, 90, n)
        frame["crp_mg_l"] = np.round(rng.uniform(1, 60, n), 1)
        frame["iga_g_l"] = np.round(rng.uniform(2, 7, n), 2)
        rows.append(frame)
    ae = pd.DataFrame(
        {
            "patient_id": ids[::2],
            "term": np.array(["headache", "nausea", "dizziness"])[np.arange(len(ids[::2])) % 3],
            "onset_week": 0,
            "severity": "mild",
            "serious": "false",
            "action": "none",
        }
    )
    folder.mkdir()
    patients.to_csv(folder / "patients.csv", index=False)
    pd.concat(rows).to_csv(folder / "visits.csv", index=False)
    ae.to_csv(folder / "adverse_events.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def instances(tmp_path_factory) -> dict[str, list[object]]:
    """At least one instance of every public result class, built on the 3,000-patient study."""
    from axspa.studies import esther_2011 as esther
    from axspa.studies import thalidomide_2003 as reference
    from axspa.studies.controlled_reproduction import grid_audit
    from axspa.studies.reproduction import compare_figures

    folder = synthetic_study(tmp_path_factory.mktemp("large") / "study")
    # One outcome keeps the run short: the exact Hodges-Lehmann interval of 2,700 pairs takes seconds.
    analysis = axspa.analyze(folder, None, measures=["basdai"], progress=False)
    enrolled = analysis.sets["enrolled"]
    imputed = axspa.impute(analysis.scored, enrolled, method="locf", columns=["basdai"])
    wide = analysis.scored.pivot(index="patient_id", columns="week", values="basdai")
    d = (wide[24.0] - wide[0.0]).dropna().to_numpy()
    rows = np.tile(np.arange(1.0, 9.0), (N_PATIENTS, 1)) - 3
    test = axspa.stats.wilcoxon_signed_rank(d, method="asymptotic")
    study = reference.load()
    # every week-24 BASDAI question 1 out of range: 2,700 excluded rows, loaded leniently
    bad_visits = analysis.study.visits.assign(
        basdai_q1=analysis.study.visits["basdai_q1"].where(analysis.study.visits["week"] == 0, 11)
    )
    lenient = axspa.validate_frames(analysis.study.patients, bad_visits, strict=False, name="large")
    return {
        "AnalysisSet": [enrolled, *analysis.sets.values()],
        "Imputed": [imputed],
        "Table": list(analysis.report.tables),
        "Analysis": [analysis],
        "AnalysisPlan": [analysis.plan],
        "Report": [analysis.report],
        "ReportFigure": list(analysis.report.figures),
        "SignedRankConvention": [analysis.plan.test],
        "WilcoxonSignedRankResult": [test],
        "HodgesLehmannResult": [axspa.stats.hodges_lehmann(d[:500])],
        "SignedRankBatchResult": [axspa.stats.wilcoxon_signed_rank_batch(rows)],
        "SignedRankNullDistribution": [axspa.stats.signed_rank_null_distribution(n=200)],
        "ExactSignedRankPValue": [axspa.stats.signed_rank_exact_pvalue(0, n=8)],
        "ZEffectSize": [axspa.stats.signed_rank_z_effect_size(test, n_basis="pairs")],
        "DescriptiveSummary": [axspa.stats.describe(d)],
        "BinomialInterval": [axspa.stats.binomial_ci(2000, N_PATIENTS)],
        "BinomialTestResult": [axspa.stats.binomial_test(2000, N_PATIENTS)],
        "TwoByTwoResult": [axspa.stats.fisher([[1200, 300], [900, 600]])],
        "GrimResult": [axspa.forensics.grim(mean="5.19", n=28)],
        "GrimmerResult": [axspa.forensics.grimmer(mean="3.0", sd="1.10", n=5)],
        "DebitResult": [axspa.forensics.debit(mean="0.53", sd="0.50", n=100)],
        "PLatticeResult": [lattice := axspa.forensics.p_lattice(p="0.0156", n=8)],
        "PLatticeMatch": list(lattice.matches[:3]),
        "PairedReconstruction": [
            axspa.forensics.reconstruct_paired(
                n=10,
                grid="0.01",
                lower=0,
                upper=10,
                baseline_mean="5.39",
                baseline_sd="2.33",
                followup_mean="3.78",
                followup_sd="1.67",
                p="0.007",
            )
        ],
        "SearchProgress": [axspa.forensics.SearchProgress(iteration=1, restarts=0, best_score=0.5, seconds=0.1)],
        "TwoArmReconstruction": [
            axspa.forensics.reconstruct_two_arm_counts(
                n={"A": 1500, "B": 1500},
                upper=5,
                totals={"A": {0: 900, 12: 300}, "B": {0: 880, 12: 700}},
                positives={"A": {0: 600, 12: 250}, "B": {0: 590, 12: 500}},
                p={12: None},
                seed=1,
            ),
            axspa.forensics.reconstruct_two_arm_counts(
                n={"A": 5, "B": 5},
                upper=2,
                totals={"A": {0: 9, 12: 1}, "B": {0: 2, 12: 2}},
                positives={"A": {0: 4, 12: 1}, "B": {0: 2, 12: 2}},
                p={12: None},
            ),
        ],
        "Comparison": compare_figures(study, reference.published_figures(), conventions=reference.conventions())[:3],
        "Explained": esther.reproduce()[-5:],
        "GridCheck": grid_audit(esther.published_figures(), esther.load())[:3],
        "Imputation": [imputed.imputation],
        "LoadedStudy": [analysis.study, lenient, study],
        "ConfidenceInterval": [axspa.stats.binomial_ci(2000, N_PATIENTS).ci],
        "WilcoxonRankSumResult": [
            axspa.stats.wilcoxon_rank_sum(d[:1500], d[1500:], method="asymptotic"),
            rank_sum := axspa.stats.wilcoxon_rank_sum(d[:40], d[40:80]),
        ],
        # the exact shift interval of two samples of 1,500 needs a table of billions of cells
        "TwoSampleShiftResult": [rank_sum.hodges_lehmann()],
        "CMHResult": [axspa.stats.cmh([8, 5], [10, 10], [4, 3], [10, 10])],
        "StratifiedRiskDifference": [axspa.stats.mh_risk_difference([8, 5], [10, 10], [4, 3], [10, 10])],
        "ProportionComparison": [axspa.stats.risk_difference(1200, 1500, 900, 1500)],
        "AncovaResult": [
            axspa.stats.ancova(
                pd.DataFrame({"arm": np.where(np.arange(d.size) % 2 == 0, "placebo", "active"), "chg": d}),
                outcome="chg",
                treatment="arm",
                reference="placebo",
            )
        ],
        "MmrmResult": [
            fit := axspa.stats.mmrm(
                analysis.scored.assign(
                    arm=np.where(analysis.scored["patient_id"].str[-1].isin(list("02468")), "a", "b")
                ),
                outcome="basdai",
                subject="patient_id",
                visit="week",
                treatment="arm",
            )
        ],
        "MmrmConvergence": [fit.convergence],
    }


def test_every_public_dataclass_is_a_result():
    classes = public_dataclasses()
    # the walk is not empty: the objects the issue names are among the classes found
    assert {"AnalysisSet", "Imputed", "Analysis", "Report", "Table", "WilcoxonSignedRankResult"} <= set(classes)
    not_results = sorted(name for name, cls in classes.items() if not issubclass(cls, Result))
    assert not_results == []
    for name, cls in classes.items():
        assert callable(getattr(cls, "_repr_html_", None)), name
        assert callable(getattr(cls, "to_frame", None)), name
        assert cls.__dataclass_params__.frozen, name  # type: ignore[attr-defined]
        assert "__slots__" in cls.__dict__, name  # slotted: no per-instance __dict__


@pytest.mark.slow
def test_every_result_class_has_an_instance_here(instances):
    assert set(public_dataclasses()) <= set(instances)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(public_dataclasses()))
def test_repr_is_compact_on_a_3000_patient_study(name, instances):
    objs = instances[name]
    assert objs, name
    for obj in objs:
        text = repr(obj)
        assert len(text) < MAX_REPR, (name, len(text), text[:300])
        html = obj._repr_html_()  # type: ignore[attr-defined]
        assert isinstance(html, str) and html.startswith("<")
        assert isinstance(obj.to_frame(), pd.DataFrame)  # type: ignore[attr-defined]


@pytest.mark.slow
def test_the_3000_patient_objects_are_large(instances):
    # the bound is met by summarising, not because the objects are small
    enrolled = instances["AnalysisSet"][0]
    assert enrolled.n == N_PATIENTS and len(", ".join(enrolled.patient_ids)) > 20_000
    assert "3000 items" in repr(enrolled)
    assert len(instances["Analysis"][0].scored) > 5000
    loaded, lenient = instances["LoadedStudy"][:2]
    assert len(loaded.patients) == N_PATIENTS and len(loaded.visits) == N_PATIENTS + 2700
    assert len(lenient.excluded_rows) == 2700


def test_confidence_interval_unpacks_as_a_pair():
    ci = axspa.stats.binomial_ci(8, 10).ci
    assert isinstance(ci, ConfidenceInterval)
    low, high = ci
    # R: binom.test(8, 10)$conf.int = 0.4439045 0.9747893
    assert (low, high) == (ci.low, ci.high)
    assert low == pytest.approx(0.4439045377) and high == pytest.approx(0.9747892737)
    assert axspa.stats.ConfidenceInterval is ConfidenceInterval
    hl = axspa.stats.wilcoxon_signed_rank([-1.0, -2.0, -3.0, -4.0, -5.0, -6.0, -7.0, 8.5]).confidence_interval()
    assert isinstance(hl.ci, ConfidenceInterval) and tuple(hl.ci) == (hl.low, hl.high)
