"""Analysis sets: the named sets of patients an analysis is run on, each labelled wherever it is used.

Denominators change the answer. With the reference study's counts (13 enrolled, 3 adverse-event
withdrawals, 2 lack-of-efficacy dropouts, 8 completers who all responded) the same data give 8/8
among completers, 8/10 among "enrolled minus adverse-event withdrawals" and 8/13 with non-responder
imputation over everyone treated. This module builds each analysis set as an :class:`AnalysisSet`
(name, label, definition and the patient ids); :mod:`axspa.imputation` handles missing outcomes
within a set.

References
----------
.. [1] ICH E9(R1) addendum on estimands and sensitivity analysis in clinical trials, 2019.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from axspa.design import StudyDesign
from axspa.errors import InputError
from axspa.ingest.checks import require_one_row_per_visit
from axspa.ingest.columns import Status, WithdrawalReason
from axspa.results import Result

__all__ = [
    "STATUSES",
    "WITHDRAWAL_REASONS",
    "AnalysisSet",
    "all_enrolled",
    "completers",
    "controlled_sets",
    "excluding_withdrawals",
    "per_protocol",
    "seen_at",
    "standard_sets",
]

STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
WITHDRAWAL_REASONS: tuple[str, ...] = tuple(r.value for r in WithdrawalReason)

_REASON_TEXT = {
    "adverse_event": "adverse events",
    "lack_of_efficacy": "lack of efficacy",
    "lost_to_follow_up": "loss to follow-up",
    "other": "other reasons",
}


@dataclass(frozen=True, slots=True, repr=False)
class AnalysisSet(Result):
    """A named set of patients that an analysis is run on.

    Attributes
    ----------
    name : str
        Short machine name (``"enrolled"``, ``"completers"``, ...), used in tidy outputs.
    label : str
        Human-readable label for tables and figures.
    definition : str
        The rule in words, for the methods section.
    patient_ids : tuple of str
        The patients in the set, in the order of the patients frame.
    arms : tuple of str
        In a controlled trial, the arm each patient is analysed in (parallel to ``patient_ids``; the
        arm of randomisation unless the set says otherwise); empty for a single-arm study.
    """

    name: str
    label: str
    definition: str
    patient_ids: tuple[str, ...]
    arms: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.name or not self.label or not self.definition:
            raise InputError("an AnalysisSet needs a non-empty name, label and definition")
        if len(set(self.patient_ids)) != len(self.patient_ids):
            raise InputError(f"analysis set {self.name!r} lists a patient more than once")
        if self.arms and len(self.arms) != len(self.patient_ids):
            raise InputError(
                f"analysis set {self.name!r} gives {len(self.arms)} arms for {len(self.patient_ids)} patients"
            )

    @property
    def controlled(self) -> bool:
        """True when the set's patients carry arms."""
        return bool(self.arms)

    def arm_of(self) -> dict[str, str]:
        """Patient id -> the arm the patient is analysed in (empty for a single-arm study)."""
        return dict(zip(self.patient_ids, self.arms, strict=True))

    def by_arm(self, design: StudyDesign) -> dict[str, AnalysisSet]:
        """The set split by arm, in the design's order: code -> the set's patients in that arm.

        Each part is named ``"<name>.<code>"`` and labelled ``"<label>, <arm label>"``; an arm
        without patients in the set gives an empty part.

        Raises
        ------
        InputError
            If the set has no arms, or a patient's arm is not an arm of the design.

        Examples
        --------
        >>> from axspa.design import Arm, StudyDesign
        >>> d = StudyDesign(arms=(Arm("active", "Active drug"), Arm("placebo", "Placebo")), control="placebo")
        >>> s = AnalysisSet("fas", "FAS", "all randomised", ("A", "B", "C"), arms=("placebo", "active", "placebo"))
        >>> {code: part.patient_ids for code, part in s.by_arm(d).items()}
        {'active': ('B',), 'placebo': ('A', 'C')}
        """
        if not self.arms:
            raise InputError(f"analysis set {self.name!r} has no arms: the study is not a controlled trial")
        unknown = sorted(set(self.arms) - set(design.codes))
        if unknown:
            raise InputError(
                f"analysis set {self.name!r} holds patients of arm(s) {unknown}, which the design does not "
                f"have; arms: {', '.join(design.codes)}"
            )
        return {
            code: AnalysisSet(
                name=f"{self.name}.{code}",
                label=f"{self.label}, {design.label(code)}",
                definition=f"{self.definition}; arm {design.label(code)}",
                patient_ids=tuple(p for p, a in zip(self.patient_ids, self.arms, strict=True) if a == code),
                arms=tuple(a for a in self.arms if a == code),
            )
            for code in design.codes
        }

    @property
    def n(self) -> int:
        """Number of patients in the set (the denominator of a per-patient analysis)."""
        return len(self.patient_ids)

    def __len__(self) -> int:
        return self.n

    def __contains__(self, patient_id: object) -> bool:
        return patient_id in set(self.patient_ids)

    def select(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Return the rows of ``frame`` (with a ``patient_id`` column) whose patient is in the set.

        The input is not modified; row order is kept.
        """
        if "patient_id" not in frame.columns:
            raise InputError(
                f"cannot select analysis set {self.name!r}: the frame has no 'patient_id' column; "
                f"got columns {list(frame.columns)}"
            )
        return frame.loc[frame["patient_id"].astype(str).isin(self.patient_ids)].copy()

    def describe(self) -> str:
        """One line for a methods section: label, n and definition."""
        return f"{self.label} (n = {self.n}): {self.definition}"

    def to_frame(self) -> pd.DataFrame:
        """The set as a one-row frame: name, label, n, definition."""
        return pd.DataFrame(
            {"name": [self.name], "label": [self.label], "n": [self.n], "definition": [self.definition]}
        )


def _check_patients(patients: pd.DataFrame, *, need_reason: bool = False) -> pd.DataFrame:
    """Validate the columns an analysis set is built from; return a frame with clean values."""
    if not isinstance(patients, pd.DataFrame):
        raise InputError(f"patients must be a pandas DataFrame; got {type(patients).__name__}")
    required = ["patient_id", "status"] + (["withdrawal_reason"] if need_reason else [])
    missing = [c for c in required if c not in patients.columns]
    if missing:
        raise InputError(
            f"the patients frame lacks column(s) {missing}; expected the canonical columns "
            f"{required}; got {list(patients.columns)}"
        )
    ids = patients["patient_id"]
    if ids.isna().any():
        rows = [int(i) for i in np.flatnonzero(ids.isna().to_numpy())]
        raise InputError(f"patient_id is missing in patients rows {rows}")
    ids = ids.astype(str)
    dup = ids[ids.duplicated()].unique().tolist()
    if dup:
        raise InputError(f"patient_id must be unique in the patients frame; repeated: {dup}")
    status = patients["status"].astype("string").str.strip().str.lower()
    bad = ~status.isin(STATUSES) | status.isna()
    if bad.any():
        where = ", ".join(f"{p}: {s!r}" for p, s in zip(ids[bad], patients["status"][bad], strict=True))
        raise InputError(f"status must be one of {list(STATUSES)}; got {where}")
    out = pd.DataFrame({"patient_id": ids.to_numpy(), "status": status.to_numpy()}, index=patients.index)
    if "arm" in patients.columns:
        arm = patients["arm"].astype("string").str.strip().str.lower()
        if arm.isna().any() or (arm == "").any():
            missing = ids[(arm.isna() | (arm == "")).to_numpy()].tolist()
            raise InputError(f"arm is missing for patient(s) {missing}: every patient of a controlled trial needs one")
        out["arm"] = arm.to_numpy()
    if "withdrawal_reason" in patients.columns:
        reason = patients["withdrawal_reason"].astype("string").str.strip().str.lower()
        reason = reason.mask(reason == "", pd.NA)
        bad = reason.notna() & ~reason.isin(WITHDRAWAL_REASONS)
        if bad.any():
            where = ", ".join(f"{p}: {r!r}" for p, r in zip(ids[bad], patients["withdrawal_reason"][bad], strict=True))
            raise InputError(f"withdrawal_reason must be one of {list(WITHDRAWAL_REASONS)} or empty; got {where}")
        out["withdrawal_reason"] = reason.to_numpy()
    return out


def _members(clean: pd.DataFrame, mask: np.ndarray) -> dict[str, tuple[str, ...]]:
    """``patient_ids`` (and ``arms`` in a controlled trial) of the patients selected by ``mask``."""
    mask = np.asarray(mask, dtype=bool)
    members = {"patient_ids": tuple(clean["patient_id"].to_numpy()[mask])}
    if "arm" in clean.columns:
        members["arms"] = tuple(clean["arm"].to_numpy()[mask])
    return members


def all_enrolled(patients: pd.DataFrame) -> AnalysisSet:
    """Every enrolled patient; in a single-arm trial every enrolled patient was treated.

    Parameters
    ----------
    patients : DataFrame
        Canonical patients frame: ``patient_id`` (unique, none missing) and ``status`` (one of
        :data:`STATUSES`, case and surrounding spaces ignored); other columns are ignored.

    Returns
    -------
    AnalysisSet
        Named ``"enrolled"``, labelled "All enrolled (treated)": every row of ``patients``, in
        their order, whatever their status. Where a ``treated`` column says that some patients did not
        receive the study drug, the label is "All enrolled" and the definition says how many.

    Raises
    ------
    InputError
        If ``patients`` is not a DataFrame, a required column is missing, a patient id is missing
        or repeated, or a status is not one of :data:`STATUSES`.

    Notes
    -----
    This is the intention-to-treat denominator of a single-arm trial: the full analysis set of
    ICH E9 [1]_ ("as complete as possible and as close as possible to the intention-to-treat
    ideal of including all randomised subjects"), with "enrolled and treated" in place of
    "randomised". Patients without an outcome stay in it; :mod:`axspa.imputation` says what
    their outcome counts as.

    References
    ----------
    .. [1] International Conference on Harmonisation. ICH E9: Statistical principles for clinical
       trials. Stat Med 1999;18(15):1905-1942 (step 4 guideline, 1998), section 5.2.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"patient_id": ["A", "B"], "status": ["completed", "withdrawn"]})
    >>> s = all_enrolled(p)
    >>> s.patient_ids, s.n
    (('A', 'B'), 2)
    """
    clean = _check_patients(patients)
    untreated = 0
    if "treated" in patients.columns:  # a single-arm frame may say who was treated: never claim more than it says
        untreated = int((~patients["treated"].astype("boolean")).sum())  # a missing value is unknown, not counted
    return AnalysisSet(
        name="enrolled",
        label="All enrolled (treated)" if untreated == 0 else "All enrolled",
        definition="every enrolled patient, all of whom received the study drug"
        if untreated == 0
        else f"every enrolled patient, {untreated} of whom did not receive the study drug (the 'treated' column)",
        **_members(clean, np.ones(len(clean), dtype=bool)),
    )


def completers(patients: pd.DataFrame) -> AnalysisSet:
    """Patients whose status is ``completed``.

    Parameters
    ----------
    patients : DataFrame
        Canonical patients frame: ``patient_id`` (unique, none missing) and ``status`` (one of
        :data:`STATUSES`, case and surrounding spaces ignored); other columns are ignored.

    Returns
    -------
    AnalysisSet
        Named ``"completers"``, labelled "Completers", in the order of ``patients``.

    Raises
    ------
    InputError
        If ``patients`` is not a DataFrame, a required column is missing, a patient id is missing
        or repeated, or a status is not one of :data:`STATUSES`.

    Notes
    -----
    A completers analysis is not an intention-to-treat analysis: leaving out the patients who
    withdrew (for lack of efficacy, or adverse events) usually makes a treatment look better.
    Report it beside :func:`all_enrolled`, as :func:`standard_sets` does.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"patient_id": ["A", "B"], "status": ["completed", "withdrawn"]})
    >>> completers(p).patient_ids
    ('A',)
    """
    clean = _check_patients(patients)
    return AnalysisSet(
        name="completers",
        label="Completers",
        definition="patients who completed the study (status 'completed')",
        **_members(clean, (clean["status"] == "completed").to_numpy()),
    )


def excluding_withdrawals(
    patients: pd.DataFrame,
    *,
    reasons: Iterable[str] = ("adverse_event",),
    name: str | None = None,
    label: str | None = None,
) -> AnalysisSet:
    """Every enrolled patient except those who withdrew for one of ``reasons``.

    With the default ``reasons=("adverse_event",)`` this is the reference paper's denominator
    ("enrolled minus adverse-event withdrawals", 10 of 13), which is neither intention-to-treat nor
    a completers analysis.

    Parameters
    ----------
    patients : DataFrame
        Canonical patients frame with ``withdrawal_reason``.
    reasons : iterable of str
        Withdrawal reasons whose patients are left out; each one of
        ``adverse_event``, ``lack_of_efficacy``, ``lost_to_follow_up``, ``other``.
    name, label : str, optional
        Override the generated name and label.

    Returns
    -------
    AnalysisSet
        By default named ``"enrolled_minus_"`` followed by the reasons joined by ``_`` (e.g.
        ``"enrolled_minus_adverse_event"``) and labelled "Enrolled minus withdrawals for ..."; in
        the order of ``patients``.

    Raises
    ------
    InputError
        If ``reasons`` is empty or holds an unknown reason, or the patients frame is invalid
        (a required column missing, including ``withdrawal_reason``; a patient id missing or
        repeated; a status or withdrawal reason not recognised).

    Notes
    -----
    A patient is left out when their status is ``withdrawn`` and their ``withdrawal_reason`` is
    one of ``reasons``; a withdrawn patient with no recorded reason stays in.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"patient_id": ["A", "B", "C"],
    ...                   "status": ["completed", "withdrawn", "withdrawn"],
    ...                   "withdrawal_reason": [None, "adverse_event", "lack_of_efficacy"]})
    >>> s = excluding_withdrawals(p)
    >>> s.patient_ids, s.label
    (('A', 'C'), 'Enrolled minus withdrawals for adverse events')
    """
    reasons = tuple(reasons) if not isinstance(reasons, str) else (reasons,)
    unknown = [r for r in reasons if r not in WITHDRAWAL_REASONS]
    if unknown or not reasons:
        raise InputError(f"reasons must be a non-empty subset of {list(WITHDRAWAL_REASONS)}; got {list(reasons)}")
    clean = _check_patients(patients, need_reason=True)
    out = (clean["status"] == "withdrawn") & clean["withdrawal_reason"].isin(reasons).fillna(False)
    words = " or ".join(_REASON_TEXT[r] for r in reasons)
    return AnalysisSet(
        name=name or "enrolled_minus_" + "_".join(reasons),
        label=label or f"Enrolled minus withdrawals for {words}",
        definition=f"every enrolled patient except those who withdrew because of {words}",
        **_members(clean, ~np.asarray(out, dtype=bool)),
    )


def per_protocol(
    patients: pd.DataFrame,
    *,
    rule: Callable[[pd.DataFrame], object],
    definition: str,
    name: str = "per_protocol",
    label: str = "Per protocol",
) -> AnalysisSet:
    """Patients who satisfy a stated rule.

    Parameters
    ----------
    patients : DataFrame
        Canonical patients frame; the rule sees it as given (all columns).
    rule : callable
        Takes the patients frame and returns a boolean mask aligned with it (a Series or array of
        booleans, one per row, no missing values).
    definition : str
        The rule in words; required, because it goes into the methods section.
    name, label : str, default "per_protocol", "Per protocol"
        Identify the set in outputs.

    Returns
    -------
    AnalysisSet
        The patients for whom the rule is True, in the order of ``patients``; its definition is
        ``definition``.

    Raises
    ------
    InputError
        If the definition is empty, the rule's result is not one boolean per patient, or the
        patients frame is invalid.

    Notes
    -----
    ICH E9 [1]_ defines the per protocol set as the patients who complied with the protocol
    sufficiently (enough exposure to the treatment, the primary measurements available, no major
    protocol violation) and asks that the criteria be stated in advance; which criteria apply is a
    choice of the trial, so the rule is an argument and its wording goes into the methods section.

    References
    ----------
    .. [1] International Conference on Harmonisation. ICH E9: Statistical principles for clinical
       trials. Stat Med 1999;18(15):1905-1942 (step 4 guideline, 1998), section 5.2.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"patient_id": ["A", "B"], "status": ["completed", "completed"],
    ...                   "last_week": [24, 20]})
    >>> per_protocol(p, rule=lambda f: f["last_week"] >= 24,
    ...              definition="patients seen at week 24").patient_ids
    ('A',)
    """
    clean = _check_patients(patients)
    if not isinstance(definition, str) or not definition.strip():
        raise InputError("per_protocol needs a definition: the rule in words, for the methods section")
    mask = rule(patients)
    values = pd.Series(mask.to_numpy() if isinstance(mask, pd.Series) else np.asarray(mask))
    if len(values) != len(clean):
        raise InputError(f"the per-protocol rule returned {len(values)} values for {len(clean)} patients")
    if values.isna().any() or not all(isinstance(v, (bool, np.bool_)) for v in values):
        raise InputError(
            f"the per-protocol rule must return one True/False per patient; got values {values.unique().tolist()}"
        )
    keep = values.to_numpy(dtype=bool)
    return AnalysisSet(name=name, label=label, definition=definition.strip(), **_members(clean, keep))


def seen_at(patients: pd.DataFrame, visits: pd.DataFrame, *, week: float) -> AnalysisSet:
    """Patients with a visit at ``week`` (for example the reference paper's week-8 figures, which
    cover the 10 patients still on treatment at week 8).

    Parameters
    ----------
    patients : DataFrame
        Canonical patients frame: ``patient_id`` (unique, none missing) and ``status`` (one of
        :data:`STATUSES`, case and surrounding spaces ignored); other columns are ignored.
    visits : DataFrame
        Visits (or scored visits) with ``patient_id`` and ``week``, one row per patient and week.
    week : float
        The visit week, in weeks from the start of treatment; it must occur in ``visits``.

    Returns
    -------
    AnalysisSet
        Named ``"seen_week_<week>"`` and labelled "Seen at week <week>" (the week in its shortest
        form, e.g. ``8`` or ``2.5``); the patients of ``patients`` with a visit row at ``week``, in
        the order of ``patients``. A visit counts whether or not its values are recorded.

    Raises
    ------
    InputError
        If ``week`` is not a visit week, or the frames are invalid (a required column missing, a
        week missing, two rows for one patient and week).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"patient_id": ["A", "B"], "status": ["completed", "withdrawn"]})
    >>> v = pd.DataFrame({"patient_id": ["A", "B", "A"], "week": [0, 0, 8]})
    >>> s = seen_at(p, v, week=8)
    >>> s.patient_ids, s.label
    (('A',), 'Seen at week 8')
    """
    clean = _check_patients(patients)
    _check_visits(visits, [])
    weeks = pd.to_numeric(visits["week"]).astype(float)
    if float(week) not in set(weeks):
        raise InputError(f"week {week:g} is not a visit week; visits: {sorted(set(weeks))}")
    seen = set(visits.loc[weeks == float(week), "patient_id"].astype(str))
    return AnalysisSet(
        name=f"seen_week_{week:g}",
        label=f"Seen at week {week:g}",
        definition=f"enrolled patients with a visit at week {week:g}",
        **_members(clean, clean["patient_id"].isin(seen).to_numpy()),
    )


def standard_sets(patients: pd.DataFrame) -> dict[str, AnalysisSet]:
    """The three sets a single-arm trial report shows side by side.

    Parameters
    ----------
    patients : DataFrame
        Canonical patients frame with ``patient_id``, ``status`` and ``withdrawal_reason``.

    Returns
    -------
    dict of str to AnalysisSet
        ``{"completers": ..., "enrolled_minus_adverse_event": ..., "enrolled": ...}``, from the
        smallest denominator to the intention-to-treat one: :func:`completers`,
        :func:`excluding_withdrawals` with its default reasons, and :func:`all_enrolled`.

    Raises
    ------
    InputError
        If the patients frame is invalid (see :func:`excluding_withdrawals`).

    Notes
    -----
    Showing the three side by side makes the choice of denominator visible: a response rate
    among completers, among enrolled patients minus adverse-event withdrawals, and among all
    enrolled patients (with non-responder imputation) can differ widely on the same data.

    Examples
    --------
    The reference study enrolled 13 patients (T01 to T13); T03, T06 and T07 withdrew after adverse
    events and T08 and T12 for lack of efficacy:

    >>> from axspa.studies import thalidomide_2003
    >>> sets = standard_sets(thalidomide_2003.load().patients)
    >>> {name: s.n for name, s in sets.items()}
    {'completers': 8, 'enrolled_minus_adverse_event': 10, 'enrolled': 13}
    >>> sets["completers"].patient_ids
    ('T01', 'T02', 'T04', 'T05', 'T09', 'T10', 'T11', 'T13')
    >>> sorted(set(sets["enrolled"].patient_ids) - set(sets["enrolled_minus_adverse_event"].patient_ids))
    ['T03', 'T06', 'T07']
    """
    sets = [completers(patients), excluding_withdrawals(patients), all_enrolled(patients)]
    return {s.name: s for s in sets}


def controlled_sets(patients: pd.DataFrame, design: StudyDesign) -> dict[str, AnalysisSet]:
    """The analysis sets of a controlled trial, each carrying the arm every patient is analysed in.

    Parameters
    ----------
    patients : DataFrame
        Canonical patients frame of a controlled study: ``patient_id``, ``status``, ``arm`` (the
        randomised arm, one of the design's) and optionally ``treated`` (received any study drug).
    design : StudyDesign
        The study's design (arms in display order).

    Returns
    -------
    dict of str to AnalysisSet
        ``"fas"``: the full analysis set, every randomised patient in the arm of randomisation;
        ``"safety"``: every patient who received any study drug (``treated`` true; every randomised
        patient when the data carry no ``treated`` column, which the definition then says), in the
        arm of randomisation, as the data record no actual treatment; ``"completers"``: the
        randomised patients who completed the study (a sensitivity set).

    Raises
    ------
    InputError
        If the study has no arms, a patient has no arm or an arm the design does not have, or the
        patients frame is invalid.

    Notes
    -----
    ICH E9 [1]_ section 5.2: the full analysis set is as close as possible to the intention-to-treat
    ideal of including all randomised subjects, analysed as randomised; safety is assessed in the
    patients who received at least one dose. A per-protocol set needs a stated rule: build it with
    :func:`per_protocol`, which keeps the arms as well.

    References
    ----------
    .. [1] International Conference on Harmonisation. ICH E9: Statistical principles for clinical
       trials. Stat Med 1999;18(15):1905-1942 (step 4 guideline, 1998), section 5.2.

    Examples
    --------
    >>> import pandas as pd
    >>> from axspa.design import Arm, StudyDesign
    >>> d = StudyDesign(arms=(Arm("active", "Active drug"), Arm("placebo", "Placebo")), control="placebo")
    >>> p = pd.DataFrame({"patient_id": ["A", "B", "C"], "status": ["completed", "withdrawn", "completed"],
    ...                   "arm": ["active", "active", "placebo"], "treated": [True, False, True]})
    >>> {name: s.patient_ids for name, s in controlled_sets(p, d).items()}
    {'fas': ('A', 'B', 'C'), 'safety': ('A', 'C'), 'completers': ('A', 'C')}
    """
    if not design.controlled:
        raise InputError("controlled_sets needs a study with arms; for a single-arm study use standard_sets")
    clean = _check_patients(patients)
    if "arm" not in clean.columns:
        raise InputError("the patients frame has no 'arm' column: a controlled trial needs every patient's arm")
    unknown = sorted(set(clean["arm"]) - set(design.codes))
    if unknown:
        raise InputError(f"arm(s) {unknown} of the patients are not arms of the study; arms: {', '.join(design.codes)}")
    if "treated" in patients.columns:
        treated = patients["treated"].astype("boolean")
        if treated.isna().any():
            missing = clean["patient_id"][treated.isna().to_numpy()].tolist()
            raise InputError(f"treated is missing for patient(s) {missing}; expected true or false for every patient")
        treated_mask = treated.to_numpy(dtype=bool)
        safety_definition = "every randomised patient who received any study drug, in the arm of randomisation"
    else:
        treated_mask = np.ones(len(clean), dtype=bool)
        safety_definition = (
            "every randomised patient, in the arm of randomisation (the data have no 'treated' column, "
            "so every randomised patient is taken to have received study drug)"
        )
    sets = [
        AnalysisSet(
            name="fas",
            label="Full analysis set",
            definition="every randomised patient, analysed in the arm of randomisation (intention to treat)",
            **_members(clean, np.ones(len(clean), dtype=bool)),
        ),
        AnalysisSet(name="safety", label="Safety set", definition=safety_definition, **_members(clean, treated_mask)),
        AnalysisSet(
            name="completers",
            label="Completers",
            definition="randomised patients who completed the study, in the arm of randomisation (a sensitivity set)",
            **_members(clean, (clean["status"] == "completed").to_numpy()),
        ),
    ]
    return {s.name: s for s in sets}


def _check_visits(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"visits must be a pandas DataFrame; got {type(frame).__name__}")
    need = ["patient_id", "week", *columns]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise InputError(f"the visits frame lacks column(s) {missing}; got {list(frame.columns)}")
    if frame["week"].isna().any():
        raise InputError("week is missing in some visit rows; every visit needs its week")
    require_one_row_per_visit(frame)
