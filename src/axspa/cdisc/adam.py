"""ADaM data sets of a loaded study: ADSL, ADQS (questionnaire items), ADEFF (indices, laboratory values
and metrology) and ADRS (responders).

The values come from the rest of axspa, never recomputed here: indices and responses from
:func:`axspa.derive.score_visits`, baselines and changes from :func:`axspa.derive.add_change`, the
analysis sets from :mod:`axspa.analysis_sets` and the imputed records from :mod:`axspa.imputation`.
This module arranges them as CDISC ADaM data sets (ADSL, and the Basic Data Structure for the others)
and describes every variable (:class:`axspa.cdisc.spec.Variable`).

The parameter codes (PARAMCD, PARAM) come from one editable table (:mod:`axspa.cdisc.terms`). Apart
from the laboratory codes CRP, ESR and IGA, they are sponsor-defined: CDISC publishes no controlled
terminology for BASDAI, BASFI, BAS-G, ASDAS, BASMI or the ASAS responses.

References
----------
.. [1] CDISC Analysis Data Model Implementation Guide (ADaMIG), version 1.3, 2021.
.. [2] CDISC ADaM Basic Data Structure for Time-to-Event Analyses and the BDS (ADaM v2.1), 2016.
.. [3] ICH E9: Statistical principles for clinical trials, 1998; section 5.2 (analysis sets).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from axspa.analysis_sets import AnalysisSet, controlled_sets, standard_sets
from axspa.cdisc.spec import Adam, Dataset, Variable
from axspa.cdisc.terms import NCOMPLT, SEX_CODES, SPONSOR_DEFINED, Parameter, read_codes
from axspa.derive import RESPONSE_COLUMNS, add_change, score_visits
from axspa.errors import InputError
from axspa.imputation import IMPUTATIONS, impute
from axspa.io import LoadedStudy
from axspa.measures import REGISTRY

__all__ = ["DATASET_LABELS", "build_adam"]

Imputation = Literal["locf", "bocf"]

DATASET_LABELS: Mapping[str, str] = {
    "ADSL": "Subject-Level Analysis Dataset",
    "ADQS": "Questionnaire Item Analysis Dataset",
    "ADEFF": "Efficacy Analysis Dataset",
    "ADRS": "Responder Analysis Dataset",
}
"""Label of each data set."""

_STATUS = {"completed": "COMPLETED", "withdrawn": "DISCONTINUED", "ongoing": "ONGOING"}
_REASON = NCOMPLT
_SEX = SEX_CODES
_NRI = "NRI"
_DEFAULT_TREATMENT = "Study treatment"


def _v(name: str, label: str, type_: Literal["Char", "Num"], derivation: str, *sources: str) -> Variable:
    return Variable(name, label, type_, derivation, tuple(sources))


def _table(*variables: Variable) -> dict[str, Variable]:
    return {v.name: v for v in variables}


_COMMON = _table(
    _v("STUDYID", "Study Identifier", "Char", "the study's name (or the identifier given)"),
    _v("USUBJID", "Unique Subject Identifier", "Char", "STUDYID, '-', SUBJID", "STUDYID", "SUBJID"),
    _v("SUBJID", "Subject Identifier for the Study", "Char", "the patient's id", "patients.patient_id"),
)

_ADSL = _table(
    _v("ARM", "Description of Planned Arm", "Char", "", "patients.arm"),
    _v("ARMCD", "Planned Arm Code", "Char", "", "patients.arm"),
    _v("TRT01P", "Planned Treatment for Period 01", "Char", "ARM", "ARM"),
    _v("TRT01PN", "Planned Treatment for Period 01 (N)", "Num", "", "ARM"),
    _v("TRT01A", "Actual Treatment for Period 01", "Char", "", "TRT01P", "patients.treated"),
    _v(
        "TRT01AN", "Actual Treatment for Period 01 (N)", "Num", "TRT01PN where TRT01A is not blank", "TRT01PN", "TRT01A"
    ),
    _v("ITTFL", "Intent-To-Treat Population Flag", "Char", ""),
    _v("FASFL", "Full Analysis Set Population Flag", "Char", ""),
    _v("SAFFL", "Safety Population Flag", "Char", ""),
    _v("PPROTFL", "Per-Protocol Population Flag", "Char", ""),
    _v("COMPLFL", "Completers Population Flag", "Char", ""),
    _v(
        "EOSSTT",
        "End of Study Status",
        "Char",
        "status completed -> COMPLETED, withdrawn -> DISCONTINUED, ongoing -> ONGOING",
        "patients.status",
    ),
    _v(
        "DCSREAS",
        "Reason for Discontinuation from Study",
        "Char",
        "withdrawal_reason of a withdrawn patient as a term of CDISC's NCOMPLT codelist (adverse_event -> "
        "ADVERSE EVENT, lack_of_efficacy -> LACK OF EFFICACY, lost_to_follow_up -> LOST TO FOLLOW-UP, "
        "other -> OTHER); blank otherwise",
        "patients.withdrawal_reason",
        "patients.status",
    ),
    _v(
        "LASTWK",
        "Last Week on Study",
        "Num",
        "last_week: weeks from the start of treatment to the patient's last visit",
        "patients.last_week",
    ),
    _v("SEX", "Sex", "Char", "male -> M, female -> F (CDISC SEX codelist); blank when missing", "patients.sex"),
    _v("AGE", "Age", "Num", "age_years", "patients.age_years"),
    _v("AGEU", "Age Units", "Char", "YEARS where AGE is present"),
    _v(
        "HLAB27",
        "HLA-B27 Antigen Status",
        "Char",
        "hla_b27 true -> POSITIVE, false -> NEGATIVE; blank "
        "when missing (the laboratory test is LBTESTCD HLAB27AG, CDISC C100460)",
        "patients.hla_b27",
    ),
    _v("DURDIS", "Duration of Disease", "Num", "disease_duration_years", "patients.disease_duration_years"),
    _v("DURDISU", "Duration of Disease Units", "Char", "YEARS where DURDIS is present"),
    _v(
        "SUBTYPE",
        "Disease Subtype",
        "Char",
        "subtype in upper case (JUVENILE, AXIAL, PERIPHERAL, PSORIATIC)",
        "patients.subtype",
    ),
)

_BDS = _table(
    _v("TRTP", "Planned Treatment", "Char", "ADSL.TRT01P", "ADSL.TRT01P"),
    _v("TRTPN", "Planned Treatment (N)", "Num", "ADSL.TRT01PN", "ADSL.TRT01PN"),
    _v("FASFL", "Full Analysis Set Population Flag", "Char", "ADSL.FASFL", "ADSL.FASFL"),
    _v(
        "PARAMCD",
        "Parameter Code",
        "Char",
        "from the table of parameter codes (axspa/cdisc/codes.csv) by source column; sponsor-defined codes "
        "are not CDISC controlled terminology (see the parameters of specification.json)",
    ),
    _v(
        "PARAM",
        "Parameter",
        "Char",
        "from the table of parameter codes, with the unit of axspa's measure "
        "registry in parentheses where the measure has one",
    ),
    _v(
        "PARCAT1",
        "Parameter Category 1",
        "Char",
        "the category of the table of parameter codes (QSCAT of an item: BASDAI, BASFI, BAS-G, ASAS; "
        "INDEX, LAB or METROLOGY otherwise)",
    ),
    _v("AVAL", "Analysis Value", "Num", ""),
    _v("AVALC", "Analysis Value (C)", "Char", "Y where AVAL is 1, N where AVAL is 0"),
    _v("AVISIT", "Analysis Visit", "Char", "Baseline at the baseline week, else 'Week ' and AVISITN", "visits.week"),
    _v("AVISITN", "Analysis Visit (N)", "Num", "the visit's week (weeks from the start of treatment)", "visits.week"),
    _v(
        "ABLFL",
        "Baseline Record Flag",
        "Char",
        "Y on the record at the baseline week when its AVAL is present; blank otherwise",
        "AVISITN",
        "AVAL",
    ),
    _v(
        "BASE",
        "Baseline Value",
        "Num",
        "AVAL of the patient's record with ABLFL = Y for the parameter (axspa.derive.add_change); missing without one",
        "AVAL",
        "ABLFL",
    ),
    _v("CHG", "Change from Baseline", "Num", "AVAL - BASE (axspa.derive.add_change)", "AVAL", "BASE"),
    _v(
        "PCHG",
        "Percent Change from Baseline",
        "Num",
        "100 * (AVAL - BASE) / BASE, missing where BASE is 0 (axspa.derive.add_change)",
        "AVAL",
        "BASE",
    ),
    _v("ANL01FL", "Analysis Flag 01", "Char", ""),
    _v("DTYPE", "Derivation Type", "Char", ""),
)


def _blank(values: pd.Series) -> np.ndarray:
    """Text values as str, missing ones as blank."""
    return np.asarray([("" if v is None or v is pd.NA or v != v else str(v).strip()) for v in values], dtype=object)


def _column(patients: pd.DataFrame, name: str) -> pd.Series:
    return patients[name] if name in patients.columns else pd.Series([pd.NA] * len(patients), index=patients.index)


def _flag(mask: np.ndarray) -> np.ndarray:
    return np.where(np.asarray(mask, dtype=bool), "Y", "N").astype(object)


def _number(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values, errors="coerce").astype(float).to_numpy()


def _dataset(name: str, structure: str, columns: dict[str, Any], variables: Sequence[Variable]) -> Dataset:
    frame = pd.DataFrame({v.name: columns[v.name] for v in variables})
    for v in variables:
        frame[v.name] = frame[v.name].astype(float) if v.type == "Num" else frame[v.name].astype(object)
    return Dataset(name, DATASET_LABELS[name], structure, frame.reset_index(drop=True), tuple(variables))


def _sets(study: LoadedStudy, per_protocol: AnalysisSet | None) -> dict[str, AnalysisSet | None]:
    """The analysis set behind each ADSL population flag (None: no such set)."""
    if study.design.controlled:
        sets = controlled_sets(study.patients, study.design)
        out: dict[str, AnalysisSet | None] = {"ITTFL": sets["fas"], "FASFL": sets["fas"], "SAFFL": sets["safety"]}
    else:
        sets = standard_sets(study.patients)
        out = {"ITTFL": sets["enrolled"], "FASFL": sets["enrolled"], "SAFFL": sets["enrolled"]}
    out["PPROTFL"] = per_protocol
    out["COMPLFL"] = sets["completers"]
    return out


def _adsl(
    study: LoadedStudy, studyid: str, sets: Mapping[str, AnalysisSet | None], treatment: str, treatment_code: str
) -> Dataset:
    p = study.patients
    design = study.design
    ids = p["patient_id"].astype(str).to_numpy()
    var = dict(_ADSL)
    if design.controlled:
        arm = p["arm"].astype(str).str.strip().str.lower().to_numpy()
        arm_label = np.asarray([design.label(a) for a in arm], dtype=object)
        armcd = np.char.upper(arm.astype(str)).astype(object)
        trtpn = np.asarray([design.codes.index(a) + 1 for a in arm], dtype=float)
        treated = (
            p["treated"].astype("boolean").fillna(False).to_numpy(dtype=bool)
            if "treated" in p.columns
            else np.ones(len(p), dtype=bool)
        )
        var["ARM"] = replace(var["ARM"], derivation="the label of the patient's randomised arm (study file)")
        var["ARMCD"] = replace(var["ARMCD"], derivation="the code of the patient's randomised arm, upper case")
        var["TRT01PN"] = replace(var["TRT01PN"], derivation="the arm's position in the study's arms (1, 2, ...)")
        var["TRT01A"] = replace(
            var["TRT01A"],
            derivation="TRT01P for a patient who received study drug (treated true, or every patient when the "
            "data have no treated column); blank otherwise",
        )
    else:
        arm_label = np.full(len(p), treatment, dtype=object)
        armcd = np.full(len(p), treatment_code.upper(), dtype=object)
        trtpn = np.ones(len(p), dtype=float)
        treated = np.ones(len(p), dtype=bool)
        var["ARM"] = replace(var["ARM"], derivation=f"single-arm study: its one treatment, {treatment!r}", sources=())
        var["ARMCD"] = replace(
            var["ARMCD"],
            derivation=f"single-arm study: the code of its one treatment, {treatment_code.upper()!r}",
            sources=(),
        )
        var["TRT01PN"] = replace(var["TRT01PN"], derivation="1 (single-arm study)")
        var["TRT01A"] = replace(
            var["TRT01A"], derivation="TRT01P (single-arm study: every patient is treated)", sources=("TRT01P",)
        )
    cols: dict[str, Any] = {
        "STUDYID": np.full(len(p), studyid, dtype=object),
        "USUBJID": np.asarray([f"{studyid}-{i}" for i in ids], dtype=object),
        "SUBJID": ids.astype(object),
        "ARM": arm_label,
        "ARMCD": armcd,
        "TRT01P": arm_label,
        "TRT01PN": trtpn,
        "TRT01A": np.where(treated, arm_label, "").astype(object),
        "TRT01AN": np.where(treated, trtpn, np.nan),
    }
    for flag, analysis_set in sets.items():
        if analysis_set is None:
            cols[flag] = _flag(np.zeros(len(p), dtype=bool))
            var[flag] = replace(var[flag], derivation="no such analysis set was defined: N for every patient")
        else:
            cols[flag] = _flag(np.isin(ids, analysis_set.patient_ids))
            var[flag] = replace(
                var[flag],
                derivation=f"Y for a patient of the analysis set '{analysis_set.label}' ({analysis_set.definition}); "
                "N otherwise",
            )
    status = p["status"].astype(str).str.strip().str.lower()
    reason = _column(p, "withdrawal_reason").astype("string").str.strip().str.lower()
    cols["EOSSTT"] = status.map(_STATUS).fillna("").to_numpy(dtype=object)
    reasons = reason.map(_REASON).fillna("").to_numpy(dtype=object)
    cols["DCSREAS"] = np.where(status.to_numpy() == "withdrawn", reasons, "").astype(object)
    cols["LASTWK"] = _number(_column(p, "last_week"))
    cols["SEX"] = _column(p, "sex").astype("string").str.strip().str.lower().map(_SEX).fillna("").to_numpy(dtype=object)
    cols["AGE"] = _number(_column(p, "age_years"))
    cols["AGEU"] = np.where(np.isnan(cols["AGE"]), "", "YEARS").astype(object)
    hla = _column(p, "hla_b27").astype("boolean")
    cols["HLAB27"] = np.where(hla.isna(), "", np.where(hla.fillna(False), "POSITIVE", "NEGATIVE")).astype(object)
    cols["DURDIS"] = _number(_column(p, "disease_duration_years"))
    cols["DURDISU"] = np.where(np.isnan(cols["DURDIS"]), "", "YEARS").astype(object)
    cols["SUBTYPE"] = np.char.upper(_blank(_column(p, "subtype")).astype(str)).astype(object)
    variables = [*_COMMON.values(), *var.values()]
    for i, stratum in enumerate(study.design.strata, start=1):
        name = f"STRAT{i}R"
        cols[name] = _blank(_column(p, stratum))
        variables.append(
            _v(
                name,
                f"Stratification Factor {i} (Randomized)",
                "Char",
                f"the patient's value of the stratification factor {stratum!r} (study file strata)",
                f"patients.{stratum}",
            )
        )
    return _dataset("ADSL", "one record per subject", cols, variables)


def _param_text(p: Parameter) -> str:
    unit = REGISTRY[p.column].unit if p.column in REGISTRY else ""
    return f"{p.param} ({unit})" if unit else p.param


def _visit(week: np.ndarray, baseline_week: float) -> np.ndarray:
    return np.asarray(["Baseline" if w == baseline_week else f"Week {w:g}" for w in week], dtype=object)


def _long(wide: pd.DataFrame, params: Sequence[Parameter], values: Mapping[str, str]) -> pd.DataFrame:
    """One row per patient, week and parameter with a value: ``patient_id``, ``week``, ``order``, then
    each key of ``values`` taken from the parameter's column with that suffix (``{"AVAL": ""}``)."""
    parts = []
    for order, p in enumerate(params):
        part = pd.DataFrame(
            {"patient_id": wide["patient_id"].astype(str).to_numpy(), "week": _number(wide["week"]), "order": order}
        )
        for key, suffix in values.items():
            part[key] = _number(wide[p.column + suffix])
        parts.append(part[part["AVAL"].notna().to_numpy()])
    if not parts:
        return pd.DataFrame(columns=["patient_id", "week", "order", *values])
    return pd.concat(parts, ignore_index=True)


def _bds(
    name: str,
    records: pd.DataFrame,
    params: Sequence[Parameter],
    adsl: Dataset,
    variables: Sequence[Variable],
    baseline_week: float,
    extra: Callable[[pd.DataFrame], Mapping[str, Any]] | None = None,
) -> Dataset:
    """Arrange records (patient_id, week, order, the value columns, DTYPE) as a BDS data set, sorted by
    patient (ADSL order), parameter (table order), visit and DTYPE (observed first)."""
    subject = adsl.frame.set_index("SUBJID")
    rank = pd.Series(np.arange(len(subject)), index=subject.index)
    records = records.assign(_rank=records["patient_id"].map(rank).to_numpy())
    records = records.sort_values(["_rank", "order", "week", "DTYPE"], kind="stable").reset_index(drop=True)
    pid = records["patient_id"].to_numpy()
    order = records["order"].to_numpy(dtype=int)
    week = records["week"].to_numpy(dtype=float)
    cols: dict[str, Any] = {
        "STUDYID": subject.loc[pid, "STUDYID"].to_numpy(),
        "USUBJID": subject.loc[pid, "USUBJID"].to_numpy(),
        "SUBJID": pid.astype(object),
        "TRTP": subject.loc[pid, "TRT01P"].to_numpy(),
        "TRTPN": subject.loc[pid, "TRT01PN"].to_numpy(),
        "FASFL": subject.loc[pid, "FASFL"].to_numpy(),
        "PARAMCD": np.asarray([params[i].paramcd for i in order], dtype=object),
        "PARAM": np.asarray([_param_text(params[i]) for i in order], dtype=object),
        "PARCAT1": np.asarray([params[i].category for i in order], dtype=object),
        "AVISIT": _visit(week, baseline_week),
        "AVISITN": week,
        "DTYPE": records["DTYPE"].to_numpy(dtype=object),
        "ANL01FL": np.full(len(records), "Y", dtype=object),
    }
    for key in ("AVAL", "BASE", "CHG", "PCHG"):
        if key in records.columns:
            cols[key] = records[key].to_numpy(dtype=float)
    if "ABLFL" in {v.name for v in variables}:
        cols["ABLFL"] = np.where((week == baseline_week) & (records["DTYPE"] == ""), "Y", "").astype(object)
    if extra is not None:
        cols |= dict(extra(records))
    return _dataset(name, "one record per subject, parameter and analysis visit", cols, variables)


def _select(codes: Sequence[Parameter], dataset: str, present: Sequence[str]) -> list[Parameter]:
    return [p for p in codes if p.dataset == dataset and p.column in present]


def _bds_variables(names: str, **derivations: str) -> list[Variable]:
    table = _COMMON | _BDS
    out = [table[n] for n in names.split()]
    return [replace(v, derivation=derivations[v.name]) if v.name in derivations else v for v in out]


def _analysis_weeks(study: LoadedStudy) -> tuple[float, ...]:
    if study.design.schedule:
        return tuple(float(w) for w in study.design.schedule)
    return tuple(sorted(set(_number(study.visits["week"]))))


def _adqs(study: LoadedStudy, codes: Sequence[Parameter], adsl: Dataset, baseline_week: float) -> Dataset:
    params = _select(codes, "ADQS", [c for c in study.visits.columns if study.visits[c].notna().any()])
    wide = add_change(study.visits, baseline_week=baseline_week, columns=[p.column for p in params], keep=True)
    records = _long(wide, params, {"AVAL": "", "BASE": "_base", "CHG": "_chg"}).assign(DTYPE="")
    variables = _bds_variables(
        "STUDYID USUBJID SUBJID TRTP TRTPN FASFL PARCAT1 PARAMCD PARAM AVAL AVISIT AVISITN ABLFL BASE CHG",
        AVAL="the item's value as recorded (0-10) at the visit; one record per item answered",
    )
    for v in variables:
        if v.name == "PARAMCD":
            variables[variables.index(v)] = replace(v, label="Parameter Code (QSTESTCD)")
    return _bds("ADQS", records, params, adsl, variables, baseline_week)


def _imputed(
    frame: pd.DataFrame,
    params: Sequence[Parameter],
    analysis_set: AnalysisSet,
    method: Imputation,
    weeks: Sequence[float],
    baseline_week: float,
) -> pd.DataFrame:
    """Records filled in by LOCF or BOCF (axspa.imputation) where no value was observed."""
    columns = [p.column + s for p in params for s in ("", "_chg", "_pchg")]
    options = {"baseline_week": baseline_week} if method == "bocf" else {}
    done = impute(frame, analysis_set, method=method, columns=columns, weeks=weeks, **options).frame
    at_base = frame.loc[_number(frame["week"]) == baseline_week]
    base = at_base.set_index(at_base["patient_id"].astype(str))
    parts = []
    for order, p in enumerate(params):
        mask = done[f"{p.column}_imputed"].fillna(False).to_numpy(dtype=bool) & done[p.column].notna().to_numpy()
        rows = done[mask]
        pid = rows["patient_id"].astype(str)
        parts.append(
            pd.DataFrame(
                {
                    "patient_id": pid.to_numpy(),
                    "week": _number(rows["week"]),
                    "order": order,
                    "AVAL": _number(rows[p.column]),
                    "BASE": _number(pid.map(base[p.column + "_base"])) if len(base) else np.full(len(rows), np.nan),
                    "CHG": _number(rows[p.column + "_chg"]),
                    "PCHG": _number(rows[p.column + "_pchg"]),
                    "DTYPE": method.upper(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _adeff(
    study: LoadedStudy,
    scored: pd.DataFrame,
    codes: Sequence[Parameter],
    adsl: Dataset,
    baseline_week: float,
    itt: AnalysisSet,
    imputation: Imputation | None,
) -> Dataset:
    params = _select(codes, "ADEFF", [c for c in scored.columns if scored[c].notna().any()])
    wide = add_change(scored, baseline_week=baseline_week, columns=[p.column for p in params], keep=False)
    wide = wide.assign(**{p.column: scored[p.column].to_numpy() for p in params})
    records = _long(wide, params, {"AVAL": "", "BASE": "_base", "CHG": "_chg", "PCHG": "_pchg"}).assign(DTYPE="")
    dtype = "blank for an observed record"
    anl = "Y on every record: each patient, parameter and analysis visit has one record, observed"
    if imputation is not None:
        filled = _imputed(wide, params, itt, imputation, _analysis_weeks(study), baseline_week)
        records = pd.concat([records, filled], ignore_index=True) if len(filled) else records
        definition = IMPUTATIONS[imputation].definition
        dtype += (
            f"; {imputation.upper()} for a record filled in by {IMPUTATIONS[imputation].label} over the "
            f"analysis set '{itt.label}' at the analysis visits ({definition}). LOCF and BOCF follow the "
            "extensible CDISC DTYPE codelist"
        )
        anl += f" or, where none was observed, filled in by {imputation.upper()} (DTYPE)"
    variables = _bds_variables(
        "STUDYID USUBJID SUBJID TRTP TRTPN FASFL PARCAT1 PARAMCD PARAM AVAL AVISIT AVISITN ABLFL BASE CHG PCHG "
        "ANL01FL DTYPE",
        AVAL="the index as scored by axspa.derive.score_visits (scoring options in specification.json), or the "
        "laboratory or metrology value in the unit of PARAM",
        DTYPE=dtype,
        ANL01FL=anl,
    )
    return _bds("ADEFF", records, params, adsl, variables, baseline_week)


def _adrs(
    study: LoadedStudy,
    scored: pd.DataFrame,
    codes: Sequence[Parameter],
    adsl: Dataset,
    baseline_week: float,
    itt: AnalysisSet,
    nri: bool,
) -> Dataset:
    responses = [c for c in RESPONSE_COLUMNS if c in scored.columns]
    params = _select(codes, "ADRS", responses)
    post = scored.loc[_number(scored["week"]) > baseline_week]
    wide = pd.DataFrame({"patient_id": post["patient_id"].to_numpy(), "week": post["week"].to_numpy()})
    for p in params:
        wide[p.column] = _number(post[p.column].astype("boolean").astype("Float64"))
    records = _long(wide, params, {"AVAL": ""}).assign(DTYPE="")
    dtype = "blank for an observed response"
    anl = "Y on every record: each patient, parameter and post-baseline analysis visit has one record, observed"
    if nri:
        weeks = [w for w in _analysis_weeks(study) if w > baseline_week]
        done = impute(scored, itt, method="nri", columns=[p.column for p in params], weeks=weeks).frame
        parts = []
        for order, p in enumerate(params):
            rows = done[done[f"{p.column}_imputed"].fillna(False).to_numpy(dtype=bool)]
            parts.append(
                pd.DataFrame(
                    {
                        "patient_id": rows["patient_id"].astype(str).to_numpy(),
                        "week": _number(rows["week"]),
                        "order": order,
                        "AVAL": 0.0,
                        "DTYPE": _NRI,
                    }
                )
            )
        records = pd.concat([records, *parts], ignore_index=True)
        dtype += (
            f"; NRI for a record filled in by {IMPUTATIONS['nri'].label} over the analysis set '{itt.label}' at "
            f"the post-baseline analysis visits ({IMPUTATIONS['nri'].definition}). NRI is a sponsor-extended "
            "value of the extensible DTYPE codelist, not a CDISC term"
        )
        anl += " or, where none was evaluable, a non-responder by NRI (DTYPE)"
    variables = _bds_variables(
        "STUDYID USUBJID SUBJID TRTP TRTPN FASFL PARCAT1 PARAMCD PARAM AVAL AVALC AVISIT AVISITN ANL01FL DTYPE",
        AVAL="1 for a responder, 0 for a non-responder: the response column of axspa.derive.score_visits at the "
        "visit (post-baseline visits with an evaluable response), or 0 for an NRI record",
        DTYPE=dtype,
        ANL01FL=anl,
    )

    def avalc(rec: pd.DataFrame) -> dict[str, Any]:
        return {"AVALC": np.where(rec["AVAL"].to_numpy() == 1.0, "Y", "N").astype(object)}

    return _bds("ADRS", records, params, adsl, variables, baseline_week, extra=avalc)


def build_adam(
    study: LoadedStudy,
    *,
    scoring: Mapping[str, Any] | None = None,
    studyid: str | None = None,
    treatment: str | None = None,
    treatment_code: str = "TRT",
    per_protocol: AnalysisSet | None = None,
    imputation: Imputation | None = None,
    nri: bool = False,
    codes: str | Path | Sequence[Parameter] | None = None,
) -> Adam:
    """The ADaM data sets of a study: ADSL, ADQS, ADEFF and ADRS, each with its variable metadata.

    Parameters
    ----------
    study : LoadedStudy
        A loaded study (:func:`axspa.io.load_study`); its design says whether it is controlled.
    scoring : mapping, optional
        Options of :func:`axspa.derive.score_visits` (``{"patient_global": "basg"}`` for a study that used
        BAS-G as its patient global); the baseline week is the study file's (0 without one).
    studyid : str, optional
        STUDYID; the study's name by default.
    treatment, treatment_code : str
        A single-arm study's one treatment (ARM, TRT01P; ``"Study treatment"`` when not given) and its
        code (ARMCD, default ``"TRT"``). A controlled study takes its arms from its design instead.
    per_protocol : AnalysisSet, optional
        The per-protocol set (:func:`axspa.analysis_sets.per_protocol`, with its stated rule); without
        one, PPROTFL is N for every patient and the specification says why.
    imputation : {"locf", "bocf"}, optional
        Add ADEFF records filled in by LOCF or BOCF (DTYPE) over the full analysis set at the analysis
        visits (the study's schedule, else every visit week).
    nri : bool, default False
        Add ADRS records of non-responder imputation (DTYPE ``"NRI"``) over the full analysis set at the
        post-baseline analysis visits.
    codes : path or sequence of Parameter, optional
        The table of parameter codes (:func:`axspa.cdisc.terms.read_codes`); the shipped one by default.

    Returns
    -------
    Adam
        The four data sets, the parameters used and the choices made (scoring, sets, imputations).

    Raises
    ------
    InputError
        If an option is unknown, the study's analysis sets cannot be built (a controlled study whose
        patients lack an arm), or the table of codes is invalid.

    Notes
    -----
    ADSL has one record per patient; population flags are always Y or N. ITTFL and FASFL mark the full
    analysis set (every randomised patient; in a single-arm study every enrolled patient), SAFFL the
    safety set, COMPLFL the completers (:mod:`axspa.analysis_sets`). In the BDS data sets BASE is the
    AVAL of the record with ABLFL = "Y" (the baseline week), CHG = AVAL - BASE and PCHG = 100 CHG / BASE,
    all from :func:`axspa.derive.add_change`; ADRS holds the responses of :func:`axspa.derive.score_visits`
    at post-baseline visits, AVAL 1 or 0 with AVALC Y or N.

    Examples
    --------
    The reference study: 13 patients, 78 visits with 19 questionnaire items each (its patient global
    column is empty: it used BAS-G), hence 78 x 19 = 1482 item records:

    >>> from axspa.studies import thalidomide_2003
    >>> adam = build_adam(thalidomide_2003.load(), scoring={"patient_global": "basg"}, treatment="Thalidomide")
    >>> adam.to_frame()[["name", "records"]].values.tolist()
    [['ADSL', 13], ['ADQS', 1482], ['ADEFF', 702], ['ADRS', 438]]
    >>> adam["ADSL"].frame[["USUBJID", "ARM", "FASFL", "COMPLFL", "DCSREAS"]].head(3)
                    USUBJID          ARM FASFL COMPLFL        DCSREAS
    0  thalidomide_2003-T01  Thalidomide     Y       Y
    1  thalidomide_2003-T02  Thalidomide     Y       Y
    2  thalidomide_2003-T03  Thalidomide     Y       N  ADVERSE EVENT
    """
    if not isinstance(study, LoadedStudy):
        raise InputError(f"build_adam needs a loaded study (axspa.io.load_study); got {type(study).__name__}")
    if imputation is not None and imputation not in ("locf", "bocf"):
        raise InputError(f"imputation must be 'locf', 'bocf' or None; got {imputation!r}")
    if codes is None or isinstance(codes, (str, Path)):
        codes = read_codes(codes)
    studyid = str(studyid or study.name)
    treatment = treatment or _DEFAULT_TREATMENT
    baseline_week = float(study.design.baseline_week) if study.design.baseline_week is not None else 0.0
    scoring = dict(scoring or {})
    scored = score_visits(study.visits, baseline_week=baseline_week, keep=True, **scoring)
    sets = _sets(study, per_protocol)
    itt = sets["FASFL"]
    if itt is None:  # pragma: no cover - _sets always gives the full analysis set
        raise InputError("the study has no full analysis set")
    adsl = _adsl(study, studyid, sets, treatment, treatment_code)
    datasets = (
        adsl,
        _adqs(study, codes, adsl, baseline_week),
        _adeff(study, scored, codes, adsl, baseline_week, itt, imputation),
        _adrs(study, scored, codes, adsl, baseline_week, itt, nri),
    )
    used = {(d.name, code) for d in datasets[1:] for code in d.frame["PARAMCD"].unique()}
    choices = {
        "scoring": scored.attrs.get("choices", {}),
        "analysis_sets": {flag: (s.name if s is not None else None) for flag, s in sets.items()},
        "imputation": imputation,
        "nri": nri,
        "sponsor_defined_terminology": SPONSOR_DEFINED,
    }
    return Adam(studyid, datasets, tuple(p for p in codes if (p.dataset, p.paramcd) in used), choices)
