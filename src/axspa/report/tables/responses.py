"""Responders at one week per analysis set, with binomial confidence intervals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from axspa.analysis_sets import AnalysisSet
from axspa.errors import InputError
from axspa.imputation import IMPUTATIONS, impute
from axspa.options import BINOMIAL_CI_METHODS, RESPONSE_IMPUTATIONS, BinomialCIMethod, ResponseImputation
from axspa.report.format import fmt_num
from axspa.report.labels import BINOMIAL_CI_NAMES, label_of
from axspa.report.table import Table, tidy_frame
from axspa.report.tables._common import _columns, _groups, _need, _set_note, _statistics
from axspa.stats import binomial_ci

__all__ = ["DEFAULT_RESPONSES", "response_numbers", "response_table", "response_view"]


DEFAULT_RESPONSES: tuple[str, ...] = ("asas20", "asas40", "asas_5of6", "asas_pr", "basdai50")
"""Responses shown by default (those present in the data)."""


def response_table(
    scored: pd.DataFrame,
    sets: Sequence[AnalysisSet],
    *,
    week: float,
    responses: Sequence[str] | None = None,
    imputation: ResponseImputation = "nri",
    ci_method: BinomialCIMethod = "clopper-pearson",
    confidence_level: float = 0.95,
) -> Table:
    """Responders at one week, per analysis set, with binomial confidence intervals.

    Parameters
    ----------
    scored : DataFrame
        Scored visits: ``patient_id``, ``week`` and nullable-boolean response columns.
    sets : sequence of AnalysisSet
        The populations to show side by side (for example completers, enrolled minus
        adverse-event withdrawals, all enrolled).
    week : float
        The visit at which response is assessed.
    responses : sequence of str, optional
        Response columns; default those of :data:`DEFAULT_RESPONSES` present in ``scored``.
    imputation : {"nri", "observed"}
        ``"nri"``: every patient of the set is in the denominator and a missing response counts
        as non-response. ``"observed"``: the denominator is the patients with an evaluable response
        at ``week``.
    ci_method : {"clopper-pearson", "wilson", "jeffreys"}
        Confidence interval for the proportion.
    confidence_level : float
        In (0, 1).

    Returns
    -------
    Table
        Named ``"responses"``; tidy statistics ``responders``, ``denominator``, ``proportion``,
        ``ci_low``, ``ci_high`` per set and response.

    Raises
    ------
    InputError
        If a response column is missing, ``sets`` is empty, a method is unknown, or ``week`` is
        not a visit.

    Examples
    --------
    Three patients, two seen at week 24 (one responder), one withdrawn earlier:

    >>> import pandas as pd
    >>> from axspa.analysis_sets import AnalysisSet
    >>> scored = pd.DataFrame({"patient_id": ["A", "B", "C"], "week": [24, 24, 8],
    ...                        "asas20": pd.array([True, False, False], dtype="boolean")})
    >>> everyone = AnalysisSet("all", "All treated", "every patient", ("A", "B", "C"))
    >>> t = response_table(scored, [everyone], week=24, responses=["asas20"])
    >>> t.value(statistic="responders"), t.value(statistic="denominator")
    (1.0, 3.0)
    >>> t.view.iloc[0].tolist()
    ['ASAS20', 'All treated (n = 3)', '1/3', '33.3', '0.8 to 90.6', '1 / 0']
    """
    data = response_numbers(
        scored,
        sets,
        week=week,
        responses=responses,
        imputation=imputation,
        ci_method=ci_method,
        confidence_level=confidence_level,
    )
    imp = IMPUTATIONS[imputation]
    ci_text = str(data["method"].iloc[0])
    sizes = {s.label: s.n for s in sets}
    never: list[str] = []
    for r, label in _groups(data, "variable", "population"):
        stats = _statistics(data, variable=r, population=label)
        seen = sizes[str(label)] - stats["no_visit"]
        if seen and stats["not_evaluable"] == seen and label_of(str(r)) not in never:
            never.append(label_of(str(r)))
    notes = [_set_note(s) for s in sets]
    notes.append(f"Response assessed at week {fmt_num(week, None)}; imputation: {imp.label} ({imp.definition}).")
    notes.append(f"Confidence intervals: {ci_text} for a binomial proportion, in percent.")
    notes.append(
        "Not evaluable: a visit at that week whose criterion is unknown because a domain is missing "
        f"({'counted as non-response' if imputation == 'nri' else 'left out of the denominator'})."
    )
    if never:
        notes.append(
            f"Not evaluable for any patient seen at week {fmt_num(week, None)}: {', '.join(never)}; a domain is "
            "missing throughout (check the scoring options, e.g. which column is the patient global)."
        )
    return Table(
        name="responses",
        title=f"Responses at week {fmt_num(week, None)} by analysis population",
        data=data,
        view=response_view(data, sizes),
        notes=tuple(notes),
    )


def response_numbers(
    scored: pd.DataFrame,
    sets: Sequence[AnalysisSet],
    *,
    week: float,
    responses: Sequence[str] | None = None,
    imputation: ResponseImputation = "nri",
    ci_method: BinomialCIMethod = "clopper-pearson",
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """The tidy, unrounded numbers of :func:`response_table` (see there)."""
    _need(scored, ["patient_id", "week"], "scored visits")
    if not sets:
        raise InputError("response_table needs at least one analysis set")
    if imputation not in RESPONSE_IMPUTATIONS:
        raise InputError(f"imputation for responses must be one of {list(RESPONSE_IMPUTATIONS)}; got {imputation!r}")
    if ci_method not in BINOMIAL_CI_METHODS:
        raise InputError(f"ci_method must be one of {list(BINOMIAL_CI_METHODS)}; got {ci_method!r}")
    visit_weeks = set(pd.to_numeric(scored["week"]).astype(float))
    if float(week) not in visit_weeks:
        raise InputError(f"week {week:g} is not a visit in the scored frame; visits: {sorted(visit_weeks)}")
    responses = _columns(scored, responses, DEFAULT_RESPONSES, "responses")
    ci_text = f"{BINOMIAL_CI_NAMES[ci_method]} {fmt_num(100 * confidence_level, None)}% CI"
    rows: list[dict[str, Any]] = []
    imp = IMPUTATIONS[imputation]
    at_week = scored.loc[pd.to_numeric(scored["week"]).astype(float) == float(week)]
    at_week = at_week.assign(patient_id=at_week["patient_id"].astype(str)).set_index("patient_id")
    for s in sets:
        imputed = impute(scored, s, method=imputation, columns=responses, weeks=[week])
        frame = imputed.frame
        seen = at_week.index.intersection(list(s.patient_ids))
        for r in responses:
            values = frame[r].dropna().astype(bool)
            x, n = int(values.sum()), len(values)
            ci = binomial_ci(x, n, method=ci_method, confidence_level=confidence_level).ci if n else None
            base = dict(
                table="responses",
                variable=r,
                level="",
                week=float(week),
                population=s.label,
                denominator=n,
                imputation=imp.label,
                method=ci_text,
            )
            for stat, v in (
                ("responders", x),
                ("denominator", n),
                ("proportion", x / n if n else np.nan),
                ("ci_low", np.nan if ci is None else ci.low),
                ("ci_high", np.nan if ci is None else ci.high),
                ("no_visit", s.n - len(seen)),
                ("not_evaluable", int(at_week.loc[seen, r].isna().sum())),
            ):
                rows.append({**base, "statistic": stat, "value": v})
    return tidy_frame(rows)


def response_view(data: pd.DataFrame, set_sizes: Mapping[str, int]) -> pd.DataFrame:
    """The formatted view of :func:`response_numbers`' tidy frame; ``set_sizes``: patients per population label."""
    view: list[dict[str, str]] = []
    ci_text = str(data["method"].iloc[0])
    nri = data["imputation"].iloc[0] == IMPUTATIONS["nri"].label
    missing_head = "Imputed as non-responders" if nri else "Left out"
    for r, label in _groups(data, "variable", "population"):
        st = _statistics(data, variable=r, population=label)
        x, n = int(st["responders"]), int(st["denominator"])
        view.append(
            {
                "Response": label_of(str(r)),
                "Population": f"{label} (n = {set_sizes[str(label)]})",
                "Responders / denominator": f"{x}/{n}",
                "%": fmt_num(100.0 * x / n, 1) if n else "-",
                ci_text: (f"{fmt_num(100 * st['ci_low'], 1)} to {fmt_num(100 * st['ci_high'], 1)}" if n else "-"),
                f"{missing_head}: no visit / not evaluable": f"{int(st['no_visit'])} / {int(st['not_evaluable'])}",
            }
        )
    return pd.DataFrame(view)
