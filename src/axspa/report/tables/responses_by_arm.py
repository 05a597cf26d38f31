"""Responders per arm and visit in a controlled trial, with the between-arm difference, its interval and a test.

References
----------
.. [1] ICH E9(R1) addendum on estimands and sensitivity analysis in clinical trials, 2019 (the composite
   strategy: a patient without an evaluable response counts as a non-responder).
.. [2] Newcombe RG. Interval estimation for the difference between independent proportions: comparison of
   eleven methods. Stat Med 1998;17:873-890.
.. [3] Fagerland MW, Lydersen S, Laake P. Recommended confidence intervals for two independent binomial
   proportions. Stat Methods Med Res 2015;24:224-254.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from axspa.analysis_sets import AnalysisSet
from axspa.design import StudyDesign
from axspa.imputation import IMPUTATIONS, impute
from axspa.options import (
    BINOMIAL_CI_METHODS,
    RESPONSE_IMPUTATIONS,
    RISK_DIFFERENCE_METHODS,
    TWO_BY_TWO_TESTS,
    BinomialCIMethod,
    ResponseImputation,
    RiskDifferenceMethod,
    TwoByTwoTest,
)
from axspa.report.format import fmt_num, fmt_p
from axspa.report.labels import BINOMIAL_CI_NAMES, RISK_DIFFERENCE_NAMES, TWO_BY_TWO_TEST_NAMES, label_of
from axspa.report.table import Table, tidy_frame
from axspa.report.tables._common import (
    _arm_parts,
    _arms_note,
    _columns,
    _groups,
    _level,
    _need,
    _option,
    _set_note,
    _statistics,
    _weeks,
)
from axspa.report.tables.responses import DEFAULT_RESPONSES
from axspa.stats import binomial_ci, risk_difference

__all__ = ["response_by_arm_numbers", "response_by_arm_table", "response_by_arm_view"]

_NAME = "responses_by_arm"


def response_by_arm_table(
    scored: pd.DataFrame,
    population: AnalysisSet,
    design: StudyDesign,
    *,
    weeks: float | Sequence[float],
    responses: Sequence[str] | None = None,
    imputation: ResponseImputation = "nri",
    ci_method: BinomialCIMethod = "wilson",
    difference_method: RiskDifferenceMethod = "newcombe",
    test: TwoByTwoTest = "fisher",
    confidence_level: float = 0.95,
) -> Table:
    r"""Responders per arm and visit, and each experimental arm against the control arm.

    For every response and visit: per arm the responders, the denominator, the rate and its confidence
    interval; per experimental arm the difference of rates against the control arm (experimental minus
    control) with its confidence interval, and the p-value of a 2x2 test.

    Parameters
    ----------
    scored : DataFrame
        Scored visits: ``patient_id``, ``week`` and nullable-boolean response columns.
    population : AnalysisSet
        The analysis set, carrying each patient's arm (:func:`axspa.analysis_sets.controlled_sets`; the
        full analysis set for the primary analysis).
    design : StudyDesign
        The study's design: the arms in display order and the control arm.
    weeks : float or sequence of float
        The visits at which response is assessed (weeks from the start of treatment), in display order.
    responses : sequence of str, optional
        Response columns; default those of :data:`~axspa.report.tables.DEFAULT_RESPONSES` present in
        ``scored`` (ASAS20, ASAS40, ASAS 5/6, ASAS partial remission, BASDAI50).
    imputation : {"nri", "observed"}
        ``"nri"`` (default): every patient of the arm is in the denominator and a patient without an evaluable
        response at the visit counts as a non-responder (the composite strategy of ICH E9(R1) [1]_).
        ``"observed"``: observed cases, the denominator is the patients with an evaluable response at the
        visit (a sensitivity analysis, labelled as such).
    ci_method : {"wilson", "clopper-pearson", "jeffreys"}
        Interval of each arm's rate; default Wilson's score interval, the one the Newcombe difference
        interval is built from.
    difference_method : {"newcombe", "miettinen-nurminen", "mee", "agresti-caffo", "wald"}
        Interval of the difference of rates (:func:`axspa.stats.risk_difference`); default Newcombe's hybrid
        score interval [2]_, recommended by [3]_.
    test : {"fisher", "chi-square", "chi-square-yates", "barnard", "boschloo"}
        Two-sided test of equal rates (:func:`axspa.stats.two_by_two_test`); default Fisher's exact test.
    confidence_level : float
        Of every interval, in (0, 1).

    Returns
    -------
    Table
        Named ``"responses_by_arm"``. Tidy rows per response, week and arm (``arm`` the arm code):
        ``responders``, ``n``, ``rate``, ``ci_low``, ``ci_high``; per comparison (``arm``
        ``"<code> vs <control code>"``): ``difference``, ``difference_ci_low``, ``difference_ci_high``,
        ``pvalue``. Each row's ``method`` names its interval or test; rates and differences are proportions
        (the view shows percent).

    Raises
    ------
    InputError
        If a column is missing, a week is not a visit, an option is unknown, the study has no arms or no
        control arm, the population carries no arms, or an arm has no patient in the population.

    Notes
    -----
    With :math:`x_a` responders of :math:`n_a` patients in arm :math:`a` and control arm :math:`c`, the rate is
    :math:`\hat p_a = x_a / n_a` and the difference :math:`\hat p_a - \hat p_c`. Under NRI, :math:`n_a` is
    every patient of the arm in the population; under observed cases, the patients of the arm with an
    evaluable response at the visit. When an arm has no evaluable response at a visit (observed cases only),
    its rate and the comparisons that need it are not estimable: NaN in the numbers, said in the notes.

    Examples
    --------
    The published example of Fagerland et al. [3]_: 7 of 34 responders against 1 of 34.

    >>> import pandas as pd
    >>> from axspa.analysis_sets import AnalysisSet
    >>> from axspa.design import Arm, StudyDesign
    >>> d = StudyDesign(arms=(Arm("active", "Active"), Arm("placebo", "Placebo")), control="placebo")
    >>> ids = [f"P{i:02d}" for i in range(68)]
    >>> fas = AnalysisSet("fas", "FAS", "all randomised", tuple(ids), arms=("active",) * 34 + ("placebo",) * 34)
    >>> hit = [True] * 7 + [False] * 27 + [True] + [False] * 33
    >>> scored = pd.DataFrame({"patient_id": ids, "week": 12, "asas40": pd.array(hit, dtype="boolean")})
    >>> t = response_by_arm_table(scored, fas, d, weeks=12)
    >>> round(t.value(arm="active vs placebo", statistic="difference_ci_low"), 4)
    0.0189
    >>> t.view.iloc[0].tolist()
    ['ASAS40', '12', '7/34 (20.6%)', '1/34 (2.9%)', '17.6 (1.9 to 34.0)', '0.0544']
    """
    data = response_by_arm_numbers(
        scored,
        population,
        design,
        weeks=weeks,
        responses=responses,
        imputation=imputation,
        ci_method=ci_method,
        difference_method=difference_method,
        test=test,
        confidence_level=confidence_level,
    )
    parts = population.by_arm(design)
    control = design.require_control()
    level = fmt_num(100 * confidence_level, None)
    imp = IMPUTATIONS[imputation]
    notes = [_set_note(population) + f" By arm: {_arms_note(parts, design)}."]
    if imputation == "nri":
        notes.append(
            f"Missing responses: {imp.label}, the primary analysis (composite strategy of ICH E9(R1)): "
            f"{imp.definition}. Denominator: every patient of the arm in the {population.label}."
        )
    else:
        notes.append(
            f"Missing responses: {imp.label}, a sensitivity analysis (not the primary one): {imp.definition}. "
            "Denominator: the patients of the arm with an evaluable response at the visit."
        )
    notes.append(
        f"Each arm: responders/denominator (rate); the {BINOMIAL_CI_NAMES[ci_method]} {level}% interval of each "
        "rate is in the table's numbers."
    )
    notes.append(
        f"Difference: rate of the arm minus rate of the control arm ({design.label(control)}), in percentage "
        f"points, with the {RISK_DIFFERENCE_NAMES[difference_method]} {level}% confidence interval."
    )
    notes.append(f"p: {TWO_BY_TWO_TEST_NAMES[test]}, two-sided, of equal response rates in the two arms.")
    lost = data.loc[(data["statistic"] == "rate") & data["value"].isna()]
    if len(lost):
        where = "; ".join(
            f"{label_of(str(r))} week {fmt_num(float(w), None)}, {design.label(str(a))}"
            for r, w, a in zip(lost["variable"], lost["week"], lost["arm"], strict=True)
        )
        notes.append(f"Not estimable (no patient with an evaluable response in the arm): {where}.")
    weeks_text = ", ".join(fmt_num(w, None) for w in dict.fromkeys(data["week"]))
    return Table(
        name=_NAME,
        title=f"Responses by arm at week {weeks_text} ({population.label}; {imp.label})",
        data=data,
        view=response_by_arm_view(data, design, {code: part.n for code, part in parts.items()}),
        notes=tuple(notes),
        meta={
            "population": f"{population.label} (n = {population.n})",
            "imputation": imp.label,
            "difference": f"{RISK_DIFFERENCE_NAMES[difference_method]} {level}% CI",
            "test": TWO_BY_TWO_TEST_NAMES[test],
        },
    )


def response_by_arm_numbers(
    scored: pd.DataFrame,
    population: AnalysisSet,
    design: StudyDesign,
    *,
    weeks: float | Sequence[float],
    responses: Sequence[str] | None = None,
    imputation: ResponseImputation = "nri",
    ci_method: BinomialCIMethod = "wilson",
    difference_method: RiskDifferenceMethod = "newcombe",
    test: TwoByTwoTest = "fisher",
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """The tidy, unrounded numbers of :func:`response_by_arm_table` (see there)."""
    _need(scored, ["patient_id", "week"], "scored visits")
    _option("imputation for responses", imputation, RESPONSE_IMPUTATIONS)
    _option("ci_method", ci_method, BINOMIAL_CI_METHODS)
    _option("difference_method", difference_method, RISK_DIFFERENCE_METHODS)
    _option("test", test, TWO_BY_TWO_TESTS)
    level = _level(confidence_level)
    parts = _arm_parts(population, design, "response_by_arm_table")
    wanted = _weeks(scored, weeks, "weeks")
    responses = _columns(scored, responses, DEFAULT_RESPONSES, "responses")
    control = design.require_control()
    pct = fmt_num(100 * level, None)
    ci_text = f"{BINOMIAL_CI_NAMES[ci_method]} {pct}% CI of the rate"
    imp = IMPUTATIONS[imputation].label
    counts: dict[tuple[str, float, str], tuple[int, int]] = {}
    for code, part in parts.items():
        frame = impute(scored, part, method=imputation, columns=responses, weeks=wanted).frame
        for r in responses:
            for w in wanted:
                values = frame.loc[frame["week"] == w, r].dropna().astype(bool)
                counts[(r, w, code)] = (int(values.sum()), len(values))
    rows: list[dict[str, Any]] = []
    for r in responses:
        for w in wanted:
            base = dict(table=_NAME, variable=r, level="", week=w, population=population.label, imputation=imp)
            for code in parts:
                x, n = counts[(r, w, code)]
                ci = binomial_ci(x, n, method=ci_method, confidence_level=level) if n else None
                for stat, v in (
                    ("responders", x),
                    ("n", n),
                    ("rate", x / n if n else np.nan),
                    ("ci_low", np.nan if ci is None else ci.low),
                    ("ci_high", np.nan if ci is None else ci.high),
                ):
                    rows.append(
                        {**base, "arm": code, "statistic": stat, "value": v, "denominator": n, "method": ci_text}
                    )
            for code in design.experimental:
                rows.extend(
                    _comparison(
                        base,
                        code,
                        control,
                        counts[(r, w, code)],
                        counts[(r, w, control)],
                        difference_method=difference_method,
                        test=test,
                        level=level,
                    )
                )
    return tidy_frame(rows)


def _comparison(
    base: Mapping[str, Any],
    code: str,
    control: str,
    arm: tuple[int, int],
    ctrl: tuple[int, int],
    *,
    difference_method: RiskDifferenceMethod,
    test: TwoByTwoTest,
    level: float,
) -> list[dict[str, Any]]:
    """The tidy rows of one arm against the control arm at one response and week."""
    (x1, n1), (x2, n2) = arm, ctrl
    common = {**base, "arm": f"{code} vs {control}", "denominator": n1 + n2}
    ci_text = (
        f"{RISK_DIFFERENCE_NAMES[difference_method]} {fmt_num(100 * level, None)}% CI of the difference in rates "
        f"({code} minus {control})"
    )
    test_text = f"{TWO_BY_TWO_TEST_NAMES[test]}, two-sided"
    if not (n1 and n2):
        why = f"not estimable: no evaluable response in arm {code if not n1 else control}"
        values = dict.fromkeys(("difference", "difference_ci_low", "difference_ci_high", "pvalue"), np.nan)
        return [{**common, "statistic": k, "value": v, "method": why} for k, v in values.items()]
    rd = risk_difference(x1, n1, x2, n2, method=difference_method, confidence_level=level, test=test)
    return [
        {**common, "statistic": "difference", "value": rd.estimate, "method": ci_text},
        {**common, "statistic": "difference_ci_low", "value": rd.low, "method": ci_text},
        {**common, "statistic": "difference_ci_high", "value": rd.high, "method": ci_text},
        {**common, "statistic": "pvalue", "value": rd.pvalue, "method": test_text},
    ]


def response_by_arm_view(data: pd.DataFrame, design: StudyDesign, arm_sizes: Mapping[str, int]) -> pd.DataFrame:
    """The formatted view of :func:`response_by_arm_numbers`' tidy frame.

    One row per response and week; a column per arm (``"x/n (rate%)"``, headed by the arm's label and its
    patients in the population, ``arm_sizes``), then per comparison the difference in percentage points with its
    interval and the p-value (headed by the comparison's labels when there is more than one comparison).
    """
    control = design.require_control()
    several = len(design.experimental) > 1
    view: list[dict[str, str]] = []
    for r, w in _groups(data, "variable", "week"):
        row = {"Response": label_of(str(r)), "Week": fmt_num(float(w), None)}  # type: ignore[arg-type]
        for code in design.codes:
            st = _statistics(data, variable=r, week=w, arm=code)
            x, n = int(st["responders"]), int(st["n"])
            rate = f"{fmt_num(100 * st['rate'], 1)}%" if n else "-"
            row[f"{design.label(code)} (n = {arm_sizes[code]})"] = f"{x}/{n} ({rate})"
        for code in design.experimental:
            st = _statistics(data, variable=r, week=w, arm=f"{code} vs {control}")
            prefix = f"{design.comparison_label(code)}: " if several else ""
            row[f"{prefix}Difference, % (CI)"] = (
                f"{fmt_num(100 * st['difference'], 1)} "
                f"({fmt_num(100 * st['difference_ci_low'], 1)} to {fmt_num(100 * st['difference_ci_high'], 1)})"
                if np.isfinite(st["difference"])
                else "-"
            )
            row[f"{prefix}p"] = fmt_p(st["pvalue"])
        view.append(row)
    return pd.DataFrame(view)
