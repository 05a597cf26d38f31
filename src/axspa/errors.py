"""Exception and warning classes.

Every error raised by axspa derives from :class:`AxspaError`; every error about the
caller's input also derives from :class:`ValueError`, so ``except ValueError`` keeps
working in code that does not know axspa.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = [
    "AxspaError",
    "AxspaWarning",
    "ComputationError",
    "ConfidenceLevelWarning",
    "DataValidationError",
    "InputError",
    "MissingDependencyError",
    "PlausibilityWarning",
    "Problem",
    "UnknownMeasureError",
    "summarize_problems",
]

SUMMARY_LINES = 40
"""Most lines a problem summary (:func:`summarize_problems`) takes."""


class AxspaError(Exception):
    """Base class of every exception raised by axspa."""


class InputError(AxspaError, ValueError):
    """An argument or a value supplied by the caller is not acceptable."""


class UnknownMeasureError(AxspaError, KeyError):
    """A name is not in the measure registry (also a KeyError, as a failed lookup)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class MissingDependencyError(AxspaError, ImportError):
    """An optional dependency is not installed (the message names the extra that installs it)."""


class ComputationError(AxspaError, RuntimeError):
    """A computation could not be carried out (for example a search that found nothing)."""


class AxspaWarning(UserWarning):
    """Base class of every warning emitted by axspa."""


class PlausibilityWarning(AxspaWarning):
    """A value is inside its valid range but implausible (for example a likely unit slip)."""


class ConfidenceLevelWarning(AxspaWarning):
    """An exact interval cannot have the requested confidence level, or has a much higher one.

    Exact intervals from a discrete distribution achieve a confidence at least the requested
    one where they can; the achieved level is reported with the interval. This warning is
    emitted when the requested level is not achievable at all (the widest interval falls
    short of it) and when the achieved level exceeds the requested one by more than a stated
    tolerance (a markedly conservative interval).
    """


@dataclass(frozen=True)
class Problem:
    """One problem found in input data.

    Attributes
    ----------
    rule : str
        Short identifier of the rule that failed (``"range"``, ``"unit"``, ``"type"``,
        ``"duplicate"``, ``"unknown_patient"``, ...).
    message : str
        What is wrong, what was expected and what was received.
    field : str or None
        The column or model field concerned.
    value : object
        The offending value as received.
    source : str or None
        The file (or table) the row came from.
    row : int or None
        Row number in the source: the 1-based data row of a file (the header is row 0),
        or the 0-based position in a frame or list of records.
    patient_id, week : optional
        Identify the record, where known.
    """

    rule: str
    message: str
    field: str | None = None
    value: object = None
    source: str | None = None
    row: int | None = None
    patient_id: str | None = None
    week: float | None = None

    def location(self) -> str:
        """Describe where the problem is, in words."""
        parts = []
        if self.source:
            parts.append(self.source)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.patient_id is not None:
            parts.append(f"patient {self.patient_id}")
        if self.week is not None:
            week = int(self.week) if float(self.week).is_integer() else self.week
            parts.append(f"week {week}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


def summarize_problems(problems: Sequence[Problem], *, max_lines: int = SUMMARY_LINES, examples: int = 3) -> list[str]:
    """Group problems by file, column and rule: one line with the count per group, then its first examples.

    Parameters
    ----------
    problems : sequence of Problem
        The problems, in the order to report them: files keep the order of their first problem, the
        groups of a file run from the largest, and each group keeps the order of its problems.
    max_lines : int
        Most lines returned (at least 2). Each group takes one line; example lines are added a round at
        a time (first examples, then second ones, in the order of the groups) while they fit; groups that do not
        fit at all are counted on a last line.
    examples : int
        Most example lines (row, patient, value and message of a problem) per group.

    Returns
    -------
    list of str
        The lines, without line ends.
    """
    order: dict[tuple[str, str, str], list[Problem]] = {}
    for p in problems:
        order.setdefault((p.source or "-", p.field or "-", p.rule), []).append(p)
    files = list(dict.fromkeys(source for source, _, _ in order))
    groups = sorted(order.items(), key=lambda item: (files.index(item[0][0]), -len(item[1])))
    # Example lines are dealt out one round at a time (every group its first example, then its
    # second, ...), in the order of the groups, while they fit beside one line per group.
    shown = [0] * len(groups)
    spare = max_lines - len(groups)
    for level in range(examples):
        for i, (_, group) in enumerate(groups):
            if spare > 0 and len(group) > level:
                shown[i] += 1
                spare -= 1
    lines: list[str] = []
    for i, ((source, column, rule), group) in enumerate(groups):
        if len(lines) + (1 if i == len(groups) - 1 else 2) > max_lines:
            rest = groups[i:]
            n_rest = sum(len(g) for _, g in rest)
            lines.append(f"... {len(rest)} more group(s) with {n_rest} problem(s)")
            break
        lines.append(f"{source}, {column}, {rule}: {len(group)}")
        lines += [f"    e.g. {_example(p)}" for p in group[: shown[i]]]
    return lines


def _example(problem: Problem) -> str:
    """One problem without its file, with its value where the message may not show it."""
    where = [f"row {problem.row}"] if problem.row is not None else []
    if problem.patient_id is not None:
        where.append(f"patient {problem.patient_id}")
    if problem.value is not None:
        where.append(f"value {problem.value!r}")
    return f"{', '.join(where)}: {problem.message}" if where else problem.message


@dataclass
class DataValidationError(InputError):
    """Input data break one or more rules; ``problems`` lists every one of them.

    Its text lists every problem when the list fits in :data:`SUMMARY_LINES` lines, and otherwise
    a summary by file, column and rule (:func:`summarize_problems`) that refers to ``problems``.
    """

    problems: Sequence[Problem] = field(default_factory=tuple)
    summary: str = "invalid data"

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{self.summary}: {len(self.problems)} problem(s)"
        if len(self.problems) < SUMMARY_LINES:
            return "\n".join([head, *(f"  - {p}" for p in self.problems)])
        lines = summarize_problems(self.problems, max_lines=SUMMARY_LINES - 2)
        return "\n".join(
            [
                f"{head}; by file, column and rule:",
                *(f"  {line}" for line in lines),
                "every problem is in the error's .problems (axspa validate --all lists them)",
            ]
        )
