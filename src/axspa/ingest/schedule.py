"""Visit timing: dates to analysis visits by the study's schedule, fractional weeks, withdrawal weeks.

A visits table may give each visit's date (``visit_date``, an ISO date ``YYYY-MM-DD``) or its study day
(``study_day``) instead of, or beside, its ``week``; the patients table then gives each patient's reference
date (``reference_date``: randomisation or first dose, one convention per study). The study day follows the
CDISC convention (:func:`axspa.design.study_day_of`): day 1 is the reference date, day -1 the day before,
there is no day 0.

A visit whose ``week`` is missing (or a table without a ``week`` column) is assigned its analysis week by the
visit windows of the study's schedule (:class:`axspa.design.VisitWindow`, declared in ``study.toml``; a
schedule without windows has windows of one day, the target day 7w + 1): the window that holds its study
day, the one whose target day is nearest when windows overlap (ties to the earlier week). A visit in no
window, and every visit but one in a window that holds several visits of one patient, is not loaded and is
listed in the exclusions report with rule ``visit_window`` and the rule that decided it: the visit closest to
the target day is kept, ties to the earlier. These are decisions of a declared rule, not errors: they do not
make strict loading fail (:data:`INFORMATION_RULES`). A given ``week`` is kept as it is; its date only gives
the study day. The loaded visits keep the actual day in a ``study_day`` column.

Two further checks on visit timing:

- :func:`fractional_week_warning`: weeks that are not whole numbers in a study without a visit schedule
  (typically days / 7) match no other patient's visit; a :class:`~axspa.errors.PlausibilityWarning` names
  the first examples.
- :func:`last_week_notes`: a withdrawn patient whose ``last_week`` is later than their last loaded visit is
  noted (rule ``last_week_after_last_visit``), naming the patient, the last_week and the last visit.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from axspa.design import StudyDesign, VisitWindow, study_day_of
from axspa.errors import InputError, PlausibilityWarning, Problem
from axspa.ingest.checks import CodedIds
from axspa.ingest.missing import missing_mask

__all__ = [
    "DATE_COLUMNS",
    "INFORMATION_RULES",
    "DatedVisits",
    "dates_to_weeks",
    "fractional_week_warning",
    "last_week_notes",
]

VISIT_DATE, STUDY_DAY, REFERENCE_DATE = "visit_date", "study_day", "reference_date"

DATE_COLUMNS: Mapping[str, tuple[str, ...]] = {"visits": (VISIT_DATE, STUDY_DAY), "patients": (REFERENCE_DATE,)}
"""The timing columns this module reads, by table; the column checks never see them."""

INFORMATION_RULES = frozenset({"visit_window", "last_week_after_last_visit"})
"""Rules whose problems inform (a declared rule decided, or a fact worth a look) and never fail strict loading."""

_ISO = r"^\s*(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00)?)?\s*$"
_DAY_RANGE = (-728, 7281)  # the study days of weeks -104 and 1040, the range of ``week``
_EXAMPLES = 3


def _dates(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """ISO dates (NaT where missing or unreadable) and the mask of values that are not ISO dates."""
    missing = missing_mask(raw).to_numpy()
    text = raw.astype("string").str.extract(_ISO, expand=False)
    dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    return dates, ~missing & dates.isna().to_numpy()


def _date_message(name: str, raw: object) -> str:
    return f"{name} must be a date written YYYY-MM-DD (ISO 8601); got {raw!r}"


@dataclass
class DatedVisits:
    """Raw tables with their timing columns read: the weeks assigned, the study days kept.

    Attributes
    ----------
    patients, visits : DataFrame
        The raw tables without their timing columns (:data:`DATE_COLUMNS`), the visits' ``week`` filled
        where a window assigned it (a visit in no window gets its fractional week, and is excluded by
        :meth:`decide`).
    study_day : ndarray of float
        The study day of each visit row (NaN where unknown).
    window : ndarray of int
        Per visit row, the index of the window that assigned its week; -1 for a visit in no window; -2
        for a visit whose week was given or could not be assigned.
    problems : list of Problem
        Unreadable dates and days, a missing reference date; each excludes its row.
    bad_patients, bad_visits : ndarray of bool
        The rows those problems concern.
    undated : ndarray of bool
        Visit rows without a week whose date could not be made a study day (an unreadable date, or a
        patient without a readable reference date): their missing week is a consequence, not a problem.
    has_days : bool
        Whether the visits table has a timing column (``visit_date`` or ``study_day``).
    """

    patients: pd.DataFrame
    visits: pd.DataFrame
    study_day: np.ndarray
    window: np.ndarray
    windows: tuple[VisitWindow, ...]
    problems: list[Problem]
    bad_patients: np.ndarray
    bad_visits: np.ndarray
    undated: np.ndarray
    has_days: bool

    def merge(self, problems: list[Problem], bad: Mapping[str, np.ndarray], source: str) -> list[Problem]:
        """``problems`` of the column checks plus this step's, without the follow-on "week is required" of
        a visit whose week was to come from a date this step could not read; ``bad`` is updated."""
        bad["patients"] |= self.bad_patients
        bad["visits"] |= self.bad_visits
        caused = {p.row for p in self.problems if p.source == source} | set(np.flatnonzero(self.undated) + 1)
        kept = [p for p in problems if not (p.source == source and p.row in caused and p.rule == "required")]
        return kept + self.problems

    def decide(self, visits: pd.DataFrame, bad: np.ndarray, source: str) -> list[Problem]:
        """Exclude (mark in ``bad``) and list the visits the windows leave out, among the rows not yet bad.

        A visit in no window is listed with the nearest window; of several visits of one patient in one
        window, the one closest to the target day is kept (ties to the earlier day, then the earlier row)
        and each other one is listed with the visit kept.
        """
        considered = ~bad & (self.window >= -1)
        problems: list[Problem] = []
        ids = visits["patient_id"].to_numpy(dtype=object)
        days = self.study_day
        offsets = _offsets(days)

        def listed(i: int, message: str) -> None:
            problems.append(
                Problem(
                    rule="visit_window",
                    message=message,
                    field=STUDY_DAY,
                    value=int(days[i]),
                    source=source,
                    row=i + 1,
                    patient_id=ids[i],
                    week=None if self.window[i] < 0 else self.windows[self.window[i]].week,
                )
            )

        targets = _offsets(np.array([w.target_day for w in self.windows], dtype=float))
        for i in np.flatnonzero(considered & (self.window == -1)):
            nearest = self.windows[int(np.argmin(np.abs(targets - offsets[i])))]
            listed(
                int(i),
                f"study day {int(days[i])} is outside every visit window of the schedule (the nearest is "
                f"{nearest.describe()}); the visit is not assigned to an analysis visit",
            )
        inside = np.flatnonzero(considered & (self.window >= 0))
        patient = pd.factorize(ids[inside])[0]
        win = self.window[inside]
        distance = np.abs(offsets[inside] - targets[win])
        order = np.lexsort((inside, days[inside], distance, win, patient))  # the last key sorts first
        kept = -1
        for position in order:
            row = int(inside[position])
            same = kept >= 0 and patient[position] == patient[kept] and win[position] == win[kept]
            if not same:
                kept = int(position)
                continue
            k = int(inside[kept])
            tie = distance[kept] == distance[position]
            listed(
                row,
                f"study day {int(days[row])} is in the window of {self.windows[win[position]].describe()}, as is the "
                f"visit of row {k + 1} on study day {int(days[k])}, which is {'as close to' if tie else 'closer to'} "
                f"the target day{' and earlier' if tie else ''} and is kept (rule: the visit closest to the target "
                "day; ties to the earlier)",
            )
        bad[[p.row - 1 for p in problems if p.row is not None]] = True
        return problems

    def with_study_day(self, visits: pd.DataFrame) -> pd.DataFrame:
        """The checked visits frame (one row per input row) with a ``study_day`` column after ``week``
        (unchanged when the visits table has no timing column)."""
        if not self.has_days:
            return visits
        out = visits.copy()
        days = pd.Series(self.study_day, index=out.index).astype("Float64").astype("Int64")
        out.insert(list(out.columns).index("week") + 1, STUDY_DAY, days)
        return out


def _offsets(days: np.ndarray) -> np.ndarray:
    """Days after the reference date of study days (the inverse of :func:`axspa.design.study_day_of`)."""
    return np.where(days > 0, days - 1, days)


def dates_to_weeks(
    patients: pd.DataFrame,
    visits: pd.DataFrame,
    design: StudyDesign,
    *,
    sources: Mapping[str, str],
) -> DatedVisits | None:
    """Read the timing columns of raw tables: study days from dates, weeks from the schedule's windows.

    Parameters
    ----------
    patients, visits : DataFrame
        Raw tables as read (strings). ``visits`` may have ``visit_date`` (ISO date) and ``study_day``
        (a whole, non-zero number); ``patients`` may have ``reference_date`` (ISO date).
    design : StudyDesign
        The study's design; its schedule (and windows) assigns the weeks.
    sources : mapping
        File names by table (``"patients"``, ``"visits"``), for messages.

    Returns
    -------
    DatedVisits or None
        None when neither table has a timing column (nothing to do).

    Raises
    ------
    InputError
        If a visit needs its week assigned (no ``week`` given) and the study declares no visit schedule.

    Notes
    -----
    The study day of a visit on date :math:`d` of a patient with reference date :math:`r` is
    :math:`d - r + 1` when :math:`d \\ge r`, else :math:`d - r` (CDISC SDTMIG 3.4, section 4.4.4). A visit
    with both ``visit_date`` and ``study_day`` must agree on the day.
    """
    visit_columns = [c for c in DATE_COLUMNS["visits"] if c in visits.columns]
    if not visit_columns and REFERENCE_DATE not in patients.columns:
        return None
    n = len(visits)
    problems: list[Problem] = []
    bad_visits = np.zeros(n, dtype=bool)
    bad_patients = np.zeros(len(patients), dtype=bool)
    undated = np.zeros(n, dtype=bool)
    visits = visits.reset_index(drop=True)
    ids = visits["patient_id"].astype("string").str.strip() if "patient_id" in visits else pd.Series([pd.NA] * n)
    week = visits["week"] if "week" in visits else pd.Series([None] * n, dtype=object)
    week_given = ~missing_mask(week).to_numpy()

    def visit_problem(i: int, name: str, value: object, message: str, rule: str) -> None:
        value = None if value is None or value is pd.NA or value != value else value
        patient = None if pd.isna(ids.iloc[i]) else str(ids.iloc[i])
        problems.append(Problem(rule, message, name, value, sources["visits"], i + 1, patient))
        bad_visits[i] = True

    # the patients' reference dates
    reference: dict[str, pd.Timestamp] = {}
    unreadable_reference: set[str] = set()
    if REFERENCE_DATE in patients.columns:
        dates, not_date = _dates(patients[REFERENCE_DATE])
        pids = patients["patient_id"].astype("string").str.strip() if "patient_id" in patients else None
        for i in np.flatnonzero(not_date):
            raw = patients[REFERENCE_DATE].iloc[i]
            pid = None if pids is None or pd.isna(pids.iloc[i]) else str(pids.iloc[i])
            message = _date_message(REFERENCE_DATE, raw)
            problems.append(Problem("type", message, REFERENCE_DATE, raw, sources["patients"], int(i) + 1, pid))
            unreadable_reference.add(str(pid))
        bad_patients |= not_date
        if pids is not None:
            known = pids.notna().to_numpy() & dates.notna().to_numpy()
            reference = dict(zip(pids[known][::-1], dates[known][::-1], strict=True))  # the first row wins
        patients = patients.drop(columns=[REFERENCE_DATE])

    # the visits' study days
    day = np.full(n, np.nan)
    if STUDY_DAY in visits.columns:
        given = pd.to_numeric(visits[STUDY_DAY].where(~missing_mask(visits[STUDY_DAY])), errors="coerce")
        present = ~missing_mask(visits[STUDY_DAY]).to_numpy()
        values = given.to_numpy(dtype=float)
        low, high = _DAY_RANGE
        wrong = present & ~((values % 1 == 0) & (values != 0) & (values >= low) & (values <= high))
        for i in np.flatnonzero(wrong):
            raw = visits[STUDY_DAY].iloc[i]
            message = (
                f"study_day must be a whole number in [{low}, {high}] other than 0 (day 1 is the reference date, "
                f"day -1 the day before); got {raw!r}"
            )
            visit_problem(int(i), STUDY_DAY, raw, message, "type")
        day = np.where(present & ~wrong, values, np.nan)
    if VISIT_DATE in visits.columns:
        dates, not_date = _dates(visits[VISIT_DATE])
        for i in np.flatnonzero(not_date):
            visit_problem(
                int(i),
                VISIT_DATE,
                visits[VISIT_DATE].iloc[i],
                _date_message(VISIT_DATE, visits[VISIT_DATE].iloc[i]),
                "type",
            )
        for i in np.flatnonzero(dates.notna().to_numpy()):
            pid = None if pd.isna(ids.iloc[i]) else str(ids.iloc[i])
            ref = reference.get(pid) if pid is not None else None
            if ref is None:
                undated[i] = not week_given[i]
                if pid is not None and not week_given[i]:
                    why = "is not a date" if pid in unreadable_reference else "is missing"
                    message = (
                        f"the study day of visit_date {dates.iloc[i]:%Y-%m-%d} cannot be computed: the reference_date "
                        f"of patient {pid} in {sources['patients']} {why}"
                    )
                    visit_problem(int(i), VISIT_DATE, visits[VISIT_DATE].iloc[i], message, "reference_date")
                continue
            from_date = study_day_of(int((dates.iloc[i] - ref).days))
            if not np.isnan(day[i]) and day[i] != from_date:
                message = (
                    f"study_day {int(day[i])} disagrees with visit_date {dates.iloc[i]:%Y-%m-%d}, which is study day "
                    f"{from_date} from the reference_date {ref:%Y-%m-%d}"
                )
                visit_problem(int(i), STUDY_DAY, visits[STUDY_DAY].iloc[i], message, "consistency")
            day[i] = from_date
        visits = visits.drop(columns=[VISIT_DATE])
    if STUDY_DAY in visits.columns:
        visits = visits.drop(columns=[STUDY_DAY])

    # the weeks, from the windows
    window = np.full(n, -2)
    to_assign = ~week_given & ~np.isnan(day)
    windows = design.windows or tuple(VisitWindow.around(w, 0) for w in design.schedule)
    if to_assign.any():
        if not windows:
            raise InputError(
                f"{sources['visits']} dates its visits without a week, but the study declares no visit schedule to "
                "assign them to analysis visits: declare one in study.toml ([schedule] weeks = [...] with "
                "window_days, or [[schedule.visit]] windows)"
            )
        window[to_assign] = _assign(day[to_assign], windows)
        offsets = _offsets(day)
        filled = [
            f"{windows[k].week:g}" if k >= 0 else f"{offset / 7:.1f}"
            for k, offset in zip(window[to_assign], offsets[to_assign], strict=True)
        ]
        week = week.astype(object).copy()
        week.iloc[np.flatnonzero(to_assign)] = filled
        visits = visits.assign(week=week.to_numpy())
    return DatedVisits(
        patients, visits, day, window, windows, problems, bad_patients, bad_visits, undated, bool(visit_columns)
    )


def _assign(days: np.ndarray, windows: Sequence[VisitWindow]) -> np.ndarray:
    """The index of each day's window: the one holding it, nearest target first, ties to the earlier; -1 if none."""
    low = np.array([w.low for w in windows], dtype=float)
    high = np.array([w.high for w in windows], dtype=float)
    target = _offsets(np.array([w.target_day for w in windows], dtype=float))
    offsets = _offsets(days)[:, None]
    inside = (days[:, None] >= low) & (days[:, None] <= high)
    distance = np.where(inside, np.abs(offsets - target), np.inf)
    best = np.argmin(distance, axis=1)  # the first minimum: the earlier week on a tie
    return np.where(inside.any(axis=1), best, -1)


def fractional_week_warning(visits: pd.DataFrame, bad: np.ndarray, design: StudyDesign, source: str) -> None:
    """Warn when a study without a visit schedule has visits at fractional weeks, naming the first ones.

    Weeks such as 16.6 usually come from days divided by 7; no other patient has a visit at that week, so
    every comparison at a time point misses it. The warning is a :class:`~axspa.errors.PlausibilityWarning`.
    """
    if design.schedule or not len(visits):
        return
    weeks = pd.to_numeric(visits["week"], errors="coerce").to_numpy(dtype=float)
    fractional = np.flatnonzero(~bad & np.isfinite(weeks) & (weeks != np.trunc(weeks)))
    if not len(fractional):
        return
    ids = visits["patient_id"].to_numpy(dtype=object)
    examples = ", ".join(f"week {weeks[i]:g} for patient {ids[i]} (row {i + 1})" for i in fractional[:_EXAMPLES])
    more = f" and {len(fractional) - _EXAMPLES} more" if len(fractional) > _EXAMPLES else ""
    warnings.warn(
        f"{source}: {len(fractional)} visit(s) at a fractional week, {examples}{more}, and the study declares no "
        "visit schedule, so they match no other patient's visit. Were the weeks computed as days / 7? Give "
        "visit_date and reference_date with a schedule of visit windows in study.toml, or the nominal weeks",
        PlausibilityWarning,
        stacklevel=3,
    )


def last_week_notes(
    patients: pd.DataFrame, visits: pd.DataFrame, source: str, *, coded_visit_ids: CodedIds | None = None
) -> list[Problem]:
    """A note for each withdrawn patient whose ``last_week`` is later than their last visit.

    Parameters
    ----------
    patients, visits : DataFrame
        The checked frames of the rows that are loaded; a patient row's number is its index + 1.
    source : str
        The patients file, for the place of the note.
    coded_visit_ids : CodedIds, optional
        The visits' ``patient_id`` column already factorized (the rows given), so the withdrawn patients'
        visits are found among the distinct ids.

    Returns
    -------
    list of Problem
        Rule ``last_week_after_last_visit`` (one of :data:`INFORMATION_RULES`), placed at the patient's row.
    """
    if "last_week" not in patients or not len(visits):
        return []
    withdrawn = patients[(patients["status"] == "withdrawn") & patients["last_week"].notna()]
    ids = withdrawn["patient_id"].astype(str)
    # the last visit of the withdrawn patients only (a registry's visits are mostly of the others)
    if coded_visit_ids is None:
        of_withdrawn = visits["patient_id"].isin(set(ids)).to_numpy(dtype=bool)
    else:
        chosen = np.append(pd.Series(coded_visit_ids.ids, dtype=object).isin(set(ids)).to_numpy(dtype=bool), False)
        of_withdrawn = chosen[coded_visit_ids.codes]
    theirs = visits.loc[of_withdrawn, ["patient_id", "week"]]
    last_visit = pd.to_numeric(theirs["week"], errors="coerce").groupby(theirs["patient_id"].astype(str)).max()
    last_of = ids.map(last_visit).to_numpy(dtype=float, na_value=np.nan)
    later = np.flatnonzero(withdrawn["last_week"].to_numpy(dtype=float) > last_of)  # NaN: no visit, no note
    notes = []
    for k in later.tolist():
        index, pid, last_week, last = withdrawn.index[k], ids.iloc[k], withdrawn["last_week"].iloc[k], last_of[k]
        notes.append(
            Problem(
                rule="last_week_after_last_visit",
                message=f"withdrawn at last_week {last_week:g}, later than the last visit (week {last:g}): "
                "withdrawn between visits, or is a later visit missing?",
                field="last_week",
                value=float(last_week),
                source=source,
                row=int(index) + 1,
                patient_id=str(pid),
            )
        )
    return notes
