"""A study's design: its arms (and which is the control), stratification factors and visit schedule.

A single-arm study (the reference study, a cohort) has no arms: :data:`SINGLE_ARM`. A controlled trial
names its arms in its study file (:mod:`axspa.ingest.study_file`, ``[study]`` and ``[arms.CODE]``), or,
without one, its arms are the distinct values of the patients' ``arm`` column and the control arm is
named by the caller (``axspa analyze --control CODE``). The design is the one place where the arms,
their order and labels, the control arm, the strata and the schedule are kept; analysis sets, tables,
figures and the report read them from here.

References
----------
.. [1] ICH E9: Statistical principles for clinical trials, 1998; section 5.2 (analysis sets).
.. [2] Schulz KF, Altman DG, Moher D, for the CONSORT Group. CONSORT 2010 statement: updated
   guidelines for reporting parallel group randomised trials. BMJ 2010;340:c332.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import pandas as pd

from axspa.errors import InputError
from axspa.results import Result, compact

__all__ = ["ARM_CODE", "SINGLE_ARM", "Arm", "StudyDesign", "VisitWindow", "study_day_of", "target_day"]

ARM_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
"""An arm code: lower-case letters, digits and ``_``, starting with a letter (codes are matched
case-insensitively and kept in lower case)."""


@dataclass(frozen=True, slots=True)
class Arm:
    """One arm of a trial.

    Attributes
    ----------
    code : str
        The value of the patients' ``arm`` column (lower case).
    label : str
        How tables, figures and the methods text name the arm ("Etanercept 50 mg weekly").
    """

    code: str
    label: str

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not ARM_CODE.match(self.code):
            raise InputError(
                f"an arm code must be lower-case letters, digits and _, starting with a letter; got {self.code!r}"
            )
        if not isinstance(self.label, str) or not self.label.strip():
            raise InputError(f"arm {self.code!r} needs a non-empty label; got {self.label!r}")


def target_day(week: float) -> int:
    """The study day of nominal week ``week``: day 1 is the reference date, so week w is day 7w + 1.

    Study days follow the CDISC convention (:func:`study_day_of`): day 1 is the reference date (randomisation
    or first dose), day -1 the day before it; there is no day 0. Week 0 is day 1, week 2 day 15, week -1 day -7.

    Examples
    --------
    >>> [target_day(w) for w in (0, 2, 16, -1)]
    [1, 15, 113, -7]
    """
    return study_day_of(round(7 * week))


def study_day_of(offset: int) -> int:
    r"""The study day of a date ``offset`` days after the reference date (CDISC: no day 0).

    .. math:: \text{day} = \begin{cases} \text{offset} + 1 & \text{offset} \ge 0 \\
              \text{offset} & \text{offset} < 0 \end{cases}

    References
    ----------
    .. [1] CDISC. Study Data Tabulation Model Implementation Guide, version 3.4, section 4.4.4
       (use of the study day variables).

    Examples
    --------
    >>> [study_day_of(o) for o in (0, 1, -1, -7)]
    [1, 2, -1, -7]
    """
    return offset + 1 if offset >= 0 else offset


@dataclass(frozen=True, slots=True)
class VisitWindow:
    """The window of study days that assigns a visit to its nominal (analysis) week.

    Attributes
    ----------
    week : float
        The nominal week of the visit.
    target_day : int
        The planned study day (default :func:`target_day` of the week).
    low, high : int
        First and last study day of the window (inclusive); ``low <= target_day <= high``.
        Study days follow the CDISC convention (:func:`study_day_of`): there is no day 0.
    """

    week: float
    target_day: int
    low: int
    high: int

    def __post_init__(self) -> None:
        days = {"target_day": self.target_day, "low": self.low, "high": self.high}
        for name, day in days.items():
            if isinstance(day, bool) or not isinstance(day, int) or day == 0:
                raise InputError(
                    f"the window of week {self.week:g}: {name} must be a whole, non-zero study day (day 1 is the "
                    f"reference date, day -1 the day before; there is no day 0); got {day!r}"
                )
        if not self.low <= self.target_day <= self.high:
            raise InputError(
                f"the window of week {self.week:g} must have low <= target_day <= high; got low {self.low}, "
                f"target_day {self.target_day}, high {self.high}"
            )

    def describe(self) -> str:
        """``"week 2 (days 8 to 22, target day 15)"``."""
        return f"week {self.week:g} (days {self.low} to {self.high}, target day {self.target_day})"

    @classmethod
    def around(cls, week: float, days: int) -> VisitWindow:
        """The window of ``days`` calendar days either side of the week's target day.

        Examples
        --------
        >>> VisitWindow.around(0, 7).describe(), VisitWindow.around(2, 7).describe()
        ('week 0 (days -7 to 8, target day 1)', 'week 2 (days 8 to 22, target day 15)')
        """
        offset = round(7 * week)
        return cls(week, study_day_of(offset), study_day_of(offset - days), study_day_of(offset + days))


@dataclass(frozen=True, slots=True, repr=False)
class StudyDesign(Result):
    """The design facts of a study that its analysis needs.

    Attributes
    ----------
    arms : tuple of Arm
        The arms in display order (empty for a single-arm study or cohort).
    control : str or None
        Code of the control arm (placebo or active comparator), or None when not (yet) named.
    strata : tuple of str
        Patient columns holding the stratification factors of the randomisation.
    schedule : tuple of float
        Nominal visit weeks (empty: any week is accepted).
    windows : tuple of VisitWindow
        One window of study days per scheduled week, in the schedule's order, which assigns dated
        visits to their week (:mod:`axspa.ingest.schedule`); empty when the schedule has no windows
        (then a visit must be at a scheduled week exactly).
    baseline_week, primary_week : float or None
        The baseline visit and the primary time point, when the study file names them.
    title : str or None
        The study's title, for reports.
    declared : bool
        True when the arms come from a study file, False when they were read from the data.
    """

    arms: tuple[Arm, ...] = ()
    control: str | None = None
    strata: tuple[str, ...] = ()
    schedule: tuple[float, ...] = ()
    windows: tuple[VisitWindow, ...] = ()
    baseline_week: float | None = None
    primary_week: float | None = None
    title: str | None = None
    declared: bool = False
    _codes: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        codes = tuple(a.code for a in self.arms)
        if len(set(codes)) != len(codes):
            raise InputError(f"arm codes must be unique; got {list(codes)}")
        if len(codes) == 1:
            raise InputError(f"a controlled study needs at least two arms; got only {codes[0]!r}")
        if self.control is not None and self.control not in codes:
            known = ", ".join(codes) if codes else "none (the study has no arms)"
            raise InputError(f"the control arm {self.control!r} is not an arm of the study; arms: {known}")
        if len(set(self.schedule)) != len(self.schedule) or list(self.schedule) != sorted(self.schedule):
            raise InputError(
                f"the visit schedule must list distinct weeks in increasing order; got {list(self.schedule)}"
            )
        if self.windows and tuple(w.week for w in self.windows) != self.schedule:
            raise InputError(
                f"the visit windows must be one per scheduled week, in order; got windows for weeks "
                f"{[w.week for w in self.windows]} and the schedule {list(self.schedule)}"
            )
        for name, week in (("baseline_week", self.baseline_week), ("primary_week", self.primary_week)):
            if week is not None and self.schedule and week not in self.schedule:
                raise InputError(f"{name} {week:g} is not a week of the visit schedule {list(self.schedule)}")
        object.__setattr__(self, "_codes", codes)

    @property
    def controlled(self) -> bool:
        """True for a study with two or more arms."""
        return bool(self.arms)

    @property
    def codes(self) -> tuple[str, ...]:
        """Arm codes in display order."""
        return self._codes

    @property
    def arm_labels(self) -> dict[str, str]:
        """Arm code -> label, in display order."""
        return {a.code: a.label for a in self.arms}

    def label(self, code: str) -> str:
        """The label of an arm.

        Raises
        ------
        InputError
            If ``code`` is not an arm of the study.
        """
        for arm in self.arms:
            if arm.code == code:
                return arm.label
        raise InputError(f"{code!r} is not an arm of the study; arms: {', '.join(self.codes) or 'none'}")

    @property
    def experimental(self) -> tuple[str, ...]:
        """Codes of the arms compared with the control, in display order.

        Raises
        ------
        InputError
            If no control arm is named.
        """
        return tuple(c for c in self.codes if c != self.require_control())

    def require_control(self) -> str:
        """The control arm's code; an error saying how to name it when there is none."""
        if self.control is None:
            raise InputError(
                f"this controlled study (arms: {', '.join(self.codes)}) names no control arm: give "
                'control = "CODE" in the [study] table of study.toml, or --control CODE (control= in Python)'
            )
        return self.control

    def with_control(self, control: str | None) -> StudyDesign:
        """The same design with another control arm (None keeps the current one).

        Raises
        ------
        InputError
            If the study has no arms, or ``control`` is not one of them.
        """
        if control is None:
            return self
        if not self.controlled:
            raise InputError(f"control arm {control!r} given, but the study has no arms (no 'arm' column)")
        return replace(self, control=str(control).strip().lower())

    def comparison_label(self, arm: str) -> str:
        """How a between-arm comparison is named: ``"Active drug vs Placebo"``."""
        return f"{self.label(arm)} vs {self.label(self.require_control())}"

    @classmethod
    def from_arm_column(cls, arms: Iterable[object], *, base: StudyDesign | None = None) -> StudyDesign:
        """A design whose arms are the distinct values of a patients' ``arm`` column (sorted).

        Used when a study has an ``arm`` column but no ``[arms]`` in its study file; each arm's label
        is its code. Other facts are kept from ``base``.
        """
        codes = sorted({str(a).strip().lower() for a in arms if a is not None and a == a})
        base = base if base is not None else SINGLE_ARM
        return replace(base, arms=tuple(Arm(c, c) for c in codes), declared=False)

    def _summary_items(self) -> list[tuple[str, str]]:
        if not self.controlled:
            return [("arms", "single arm")]
        return [
            ("arms", compact(self.arm_labels)),
            ("control", compact(self.control)),
            ("strata", compact(self.strata)),
            ("schedule", compact(self.schedule)),
            ("primary_week", compact(self.primary_week)),
        ]

    def to_frame(self) -> pd.DataFrame:
        """One row per arm: code, label, whether it is the control arm."""
        return pd.DataFrame(
            {
                "code": list(self.codes),
                "label": [a.label for a in self.arms],
                "control": [a.code == self.control for a in self.arms],
            }
        )


SINGLE_ARM = StudyDesign()
"""The design of a study without arms."""
