"""An audit of a paper's published figures alone, without patient data.

The audit reads a published-figures document (the structure of the reference study's
``published.json``: a ``figures`` list in which each figure keeps its printed string, its
statistic, population and n) and runs every check the figures allow:

- **p-lattice**: which signed-rank conventions and (n non-zero, R+) could print each p-value
  (:func:`axspa.forensics.p_lattice`); a p that none produces is flagged.
- **GRIM / GRIMMER**: can each printed mean (and SD) arise from n values on the measure's grid
  (:func:`axspa.forensics.grim`, :func:`axspa.forensics.grimmer`; their references are in
  :mod:`axspa.forensics.granularity`)? The grid of an index follows
  from its items (BASDAI and BASFI from items in tenths: 0.01; BAS-G, a mean of two: 0.05).
- **arithmetic**: do printed percentages follow from their counts, and do the disposition counts
  add up to the number enrolled?
- **denominators**: what a response rate becomes over every patient enrolled, with non-responder
  imputation, when the paper divided by fewer.
- **populations**: figures at the same week whose baselines differ cannot come from one population.
- **text**: the document's own notes on wording (copied, never rewritten).

It reports; it never changes a published figure, and it holds no list of expected findings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

import pandas as pd

from axspa.forensics.granularity import grim, grimmer
from axspa.forensics.plattice import p_lattice
from axspa.measures import lookup
from axspa.printed import format_like
from axspa.results import Result

__all__ = ["DEFAULT_GRIDS", "Finding", "audit_figures"]

DEFAULT_GRIDS: Mapping[str, Fraction] = {
    "age_years": Fraction(1),
    "disease_duration_years": Fraction(1, 10),
    **{m: Fraction(str(lookup(m).grid)) for m in ("basdai", "basfi", "basg", "esr_mm_h", "crp_mg_dl", "iga_mg_dl")},
}
"""The grid one value of each measure lies on, as recorded (indices: the grid their items give); the
measures' grids come from the registry (:func:`axspa.measures.lookup`), in the unit of the column."""


@dataclass(frozen=True)
class Finding(Result):
    """One check of published figures.

    Attributes
    ----------
    check : str
        ``p-lattice``, ``GRIM``, ``GRIMMER``, ``arithmetic``, ``denominator``, ``population`` or ``text``.
    figures : tuple of str
        Ids of the figures the check used.
    consistent : bool or None
        Whether the figures pass (None for a note that is not a test).
    summary : str
        The finding in one sentence.
    detail : str
        The computation behind it.
    """

    check: str
    figures: tuple[str, ...]
    consistent: bool | None
    summary: str
    detail: str

    def to_dict(self) -> dict[str, Any]:
        """A plain dict (for JSON output)."""
        return asdict(self)


def _conventions_text(result: Any) -> str:
    rounded = [m for m in result.matches if not m.truncated]
    if not rounded:
        return "no untied configuration"
    kinds: dict[str, list[str]] = {}
    for m in sorted(rounded, key=lambda m: (m.alternative != "two-sided", m.method != "exact")):
        name = f"{m.method} {m.alternative}"
        if m.method == "asymptotic":
            name += ", continuity correction" if m.correction else ", no continuity correction"
        entry = f"R+={m.r_plus} of {m.n_nonzero}"
        if entry not in kinds.setdefault(name, []):
            kinds[name].append(entry)
    return "; ".join(f"{k} ({', '.join(v[:3])}{', ...' if len(v) > 3 else ''})" for k, v in kinds.items())


def _p_findings(figures: Sequence[Mapping[str, Any]]) -> list[Finding]:
    out = []
    for f in figures:
        if f.get("statistic") != "p_value" or "n" not in f:
            continue
        result = p_lattice(p=f["printed"], n=int(f["n"]))
        exact_two = result.select(method="exact", alternative="two-sided")
        summary = (
            f"p = {f['printed']} with n = {f['n']}: "
            + ("reproduced" if not result.flagged else "NOT reproduced by any untied configuration")
            + ("" if exact_two else "; no exact two-sided p-value for this n prints as it")
        )
        detail = f"conventions that print as {f['printed']}: {_conventions_text(result)}"
        if result.exact_with_ties:
            detail += f"; exact with ties possible for: {', '.join(result.exact_with_ties)}"
        out.append(Finding("p-lattice", (f["id"],), not result.flagged, summary, detail))
    return out


def _grim_findings(figures: Sequence[Mapping[str, Any]], grids: Mapping[str, Fraction]) -> list[Finding]:
    by_key: dict[tuple[Any, ...], dict[str, Mapping[str, Any]]] = {}
    for f in figures:
        if f.get("statistic") in ("mean", "sd") and f.get("measure") in grids and "n" in f:
            key = (f["measure"], f.get("week"), f["population"], f["n"], f["id"].rsplit(".", 1)[0])
            by_key.setdefault(key, {})[f["statistic"]] = f
    out = []
    for (measure, week, population, n, _), stats in by_key.items():
        grid = grids[measure]
        mean = stats.get("mean")
        if mean is None:
            continue
        when = f" at week {week}" if week is not None else ""
        label = f"{measure}{when}, {population} (n = {n}), grid {grid}"
        g = grim(mean=mean["printed"], n=int(n), grid=grid)
        achievable = sorted({v for v in (g.nearest_below, g.nearest_above) if v is not None})
        near = ", ".join(str(float(v)) for v in achievable)
        verdict = "IMPOSSIBLE on this grid"
        if g.consistent:
            verdict = "possible"
            if "half_up" not in g.consistent_under:
                verdict += f" only if rounded {' or '.join(g.consistent_under)}, not half away from zero"
        out.append(
            Finding(
                "GRIM",
                (mean["id"],),
                g.consistent,
                f"mean {mean['printed']} of {label}: {verdict}",
                f"means of {n} values on grid {grid} are multiples of {grid / n}; nearest achievable: {near}",
            )
        )
        sd = stats.get("sd")
        if sd is not None and g.consistent:
            gm = grimmer(mean=mean["printed"], sd=sd["printed"], n=int(n), grid=grid)
            out.append(
                Finding(
                    "GRIMMER",
                    (mean["id"], sd["id"]),
                    gm.consistent,
                    f"SD {sd['printed']} with mean {mean['printed']} of {label}: "
                    + ("possible" if gm.consistent else "IMPOSSIBLE on this grid"),
                    str(getattr(gm, "reason", "") or "a sum of squares on the grid gives an SD that prints as it"),
                )
            )
    return out


def _fraction(printed: str) -> tuple[int, int, str | None] | None:
    head, _, rest = printed.partition("(")
    if "/" not in head:
        return None
    k, n = (int(x) for x in head.split("/"))
    return k, n, rest.rstrip(")").strip() or None


def _arithmetic_findings(figures: Sequence[Mapping[str, Any]]) -> list[Finding]:
    out = []
    for f in figures:
        parsed = _fraction(f["printed"])
        if parsed is None:
            continue
        k, n, percent = parsed
        if percent is None:
            continue
        shown = format_like(100 * k / n, percent)
        out.append(
            Finding(
                "arithmetic",
                (f["id"],),
                shown == percent,
                f"{k}/{n} printed as {percent} %: " + ("consistent" if shown == percent else "WRONG"),
                f"100 x {k} / {n} = {100 * k / n:.4g}, printed with the same decimals: {shown}",
            )
        )
    counts = {
        f["id"]: int(f["printed"])
        for f in figures
        if f.get("statistic") == "count" and f["id"].startswith("table2.") and f["printed"].isdigit()
    }
    parts = [i for i in counts if i.endswith(("withdrew_side_effects", "dropout_no_response", "completed"))]
    total = next((i for i in counts if i.endswith(".enrolled")), None)
    if total and len(parts) == 3:
        summed = sum(counts[i] for i in parts)
        out.append(
            Finding(
                "arithmetic",
                (total, *parts),
                summed == counts[total],
                f"disposition adds up: {' + '.join(str(counts[i]) for i in parts)} = {summed} "
                f"of {counts[total]} enrolled",
                "withdrawals + dropouts + completers vs enrolled",
            )
        )
    return out


def _denominator_findings(figures: Sequence[Mapping[str, Any]]) -> list[Finding]:
    enrolled = next(
        (int(f["printed"]) for f in figures if f["id"].endswith(".enrolled") and f["printed"].isdigit()), None
    )
    out = []
    for f in figures:
        parsed = _fraction(f["printed"])
        if parsed is None or f.get("statistic") != "proportion" or enrolled is None:
            continue
        k, n, _ = parsed
        if n == enrolled:
            continue
        out.append(
            Finding(
                "denominator",
                (f["id"],),
                None,
                f"{f['id']}: {k}/{n} ({100 * k / n:.0f} %) is over {f['population']}; over all {enrolled} enrolled, "
                f"with non-responder imputation, it is {k}/{enrolled} ({100 * k / enrolled:.1f} %)",
                "ICH E9(R1)'s composite strategy counts withdrawals as non-responders; the denominator changes the "
                "answer",
            )
        )
    return out


def _population_findings(figures: Sequence[Mapping[str, Any]]) -> list[Finding]:
    baselines: dict[str, list[Mapping[str, Any]]] = {}
    for f in figures:
        if f.get("statistic") == "mean" and f.get("week") == 0 and "measure" in f:
            baselines.setdefault(f["measure"], []).append(f)
    out = []
    for measure, group in baselines.items():
        values = {f["printed"] for f in group}
        populations = {f["population"] for f in group}
        if len(values) > 1:
            ids = tuple(f["id"] for f in group)
            listing = ", ".join(f"{f['printed']} ({f['id']}, n = {f.get('n', '?')})" for f in group)
            out.append(
                Finding(
                    "population",
                    ids,
                    len(populations) > 1,
                    f"{measure}: baseline means differ ({listing}), so they describe different patients",
                    "one population has one baseline mean; the figures name the populations: "
                    + ", ".join(sorted(populations)),
                )
            )
    return out


def audit_figures(document: Mapping[str, Any], *, grids: Mapping[str, Fraction] | None = None) -> list[Finding]:
    """Run every check on a published-figures document (no patient data).

    Parameters
    ----------
    document : mapping
        ``{"figures": [...], "study": {"textual_notes": [...]}}``, as ``published.json``.
    grids : mapping, optional
        Grid of one value per measure; :data:`DEFAULT_GRIDS` by default.

    Returns
    -------
    list of Finding
    """
    figures = [
        {k: v for k, v in f.items() if v is not None and not (isinstance(v, float) and pd.isna(v))}
        for f in document["figures"]
    ]
    findings = [
        *_p_findings(figures),
        *_grim_findings(figures, grids or DEFAULT_GRIDS),
        *_arithmetic_findings(figures),
        *_denominator_findings(figures),
        *_population_findings(figures),
    ]
    for note in document.get("study", {}).get("textual_notes", []):
        findings.append(Finding("text", (), None, note, "recorded from the paper's wording"))
    return findings
