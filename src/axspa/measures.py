"""The registry of measures: one place for each measure's name, label, unit, range, grid, kind and source.

It holds the measures recorded at a visit (:data:`MEASURES`: questionnaire items, laboratory values,
metrology) and the quantities derived from them (:data:`DERIVED`: indices, disease activity states and
response criteria). :func:`lookup` and :func:`label` answer for any column name: a recorded measure, a
derived quantity, an input column in another unit (``crp_mg_dl``) or a measure that a study declares
in its ``study.toml`` (pass the study's :class:`MeasureRegistry`, e.g. ``LoadedStudy.registry``).

The input checks (:mod:`axspa.ingest`), the Pydantic records (:mod:`axspa.models`), the derive tier
(:mod:`axspa.derive`) and the report's labels read this registry. Adding an index is one entry in
:data:`DERIVED` plus one compute function.

References
----------
.. [Garrett1994] Garrett S, et al. A new approach to defining disease status in ankylosing
   spondylitis: the Bath Ankylosing Spondylitis Disease Activity Index. J Rheumatol
   1994;21:2286-91.
.. [Calin1994] Calin A, et al. A new approach to defining functional ability in ankylosing
   spondylitis: the development of the Bath Ankylosing Spondylitis Functional Index.
   J Rheumatol 1994;21:2281-5.
.. [Jones1996] Jones SD, et al. The Bath Ankylosing Spondylitis Patient Global Score (BAS-G).
   Br J Rheumatol 1996;35:66-71.
.. [Sieper2009] Sieper J, et al. The Assessment of SpondyloArthritis international Society
   (ASAS) handbook. Ann Rheum Dis 2009;68 Suppl 2:ii1-44.
.. [vdHeijde2008] van der Heijde D, et al. Reliability and sensitivity to change of a simplification
   of the Bath Ankylosing Spondylitis Metrology Index (BASMI). Ann Rheum Dis 2008;67:489-93.
.. [Lukas2009] Lukas C, et al. Development of an ASAS-endorsed disease activity score (ASDAS) in
   patients with ankylosing spondylitis. Ann Rheum Dis 2009;68:18-24.
.. [Machado2011] Machado P, et al. Ankylosing Spondylitis Disease Activity Score (ASDAS): defining
   cut-off values for disease activity states and improvement scores. Ann Rheum Dis 2011;70:47-53.
.. [Machado2018] Machado PM, Landewé R, van der Heijde D. Ankylosing Spondylitis Disease Activity
   Score (ASDAS): 2018 update of the nomenclature for disease activity states. Ann Rheum Dis
   2018;77:1539-40.
.. [Anderson2001] Anderson JJ, et al. Ankylosing spondylitis assessment group preliminary definition
   of short-term improvement in ankylosing spondylitis. Arthritis Rheum 2001;44:1876-86.
.. [Brandt2004] Brandt J, et al. Development and preselection of criteria for short term improvement
   after anti-TNF alpha treatment in ankylosing spondylitis. Ann Rheum Dis 2004;63:1438-44.
.. [Thalidomide2003] The reference study (spec/reference-study.md): thalidomide in refractory
   ankylosing spondylitis, an open trial.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from types import MappingProxyType

from axspa.errors import InputError, UnknownMeasureError

__all__ = [
    "BASDAI_ITEMS",
    "BASFI_ITEMS",
    "BASG_ITEMS",
    "BASMI_COMPONENTS",
    "CHANGE_SUFFIXES",
    "DERIVED",
    "MEASURES",
    "REGISTRY",
    "UNIT_ALIASES",
    "Direction",
    "Measure",
    "MeasureKind",
    "MeasureRegistry",
    "UnitAlias",
    "label",
    "lookup",
    "measure",
]


class Direction(StrEnum):
    """Which way is better for a measure."""

    LOWER_IS_BETTER = "lower_is_better"
    HIGHER_IS_BETTER = "higher_is_better"


class MeasureKind(StrEnum):
    """What sort of quantity a registry entry is.

    ``rating`` (a patient-reported 0-10 item), ``lab`` and ``metrology`` are recorded at a visit;
    ``score`` (an index), ``state`` (a disease activity category) and ``response`` (a yes/no
    criterion against baseline) are derived from them. ``study`` marks a measure a study declares.
    """

    RATING = "rating"
    LAB = "lab"
    METROLOGY = "metrology"
    SCORE = "score"
    STATE = "state"
    RESPONSE = "response"
    STUDY = "study"


@dataclass(frozen=True)
class Measure:
    """One measure recorded at a visit.

    Attributes
    ----------
    name : str
        Canonical column name (the data contract).
    label : str
        Human-readable description.
    unit : str
        Canonical unit (``"0-10"`` for numeric rating scales and VAS/10).
    lower, upper : float
        Inclusive valid range in the canonical unit.
    grid : float
        Resolution of the instrument as usually recorded (0.1 for a 0-100 mm VAS read
        as 0-10, 1 for ESR in mm/h). Used by the consistency checks and by the
        reconstruction of data from published summaries; values off the grid are valid.
    direction : Direction
        Whether a higher value is worse or better.
    source : str
        Key of the reference that defines the measure.
    kind : MeasureKind
        Recorded (rating, lab, metrology, study) or derived (score, state, response).
    short : str
        Short name for tables and figures (``"CRP"``, ``"ASAS20"``); empty to use ``label``.
    levels : tuple of str
        For a state, its categories, best first (``lower`` and ``upper`` index them).
    """

    name: str
    label: str
    unit: str
    lower: float
    upper: float
    grid: float
    direction: Direction
    source: str
    kind: MeasureKind = MeasureKind.RATING
    short: str = ""
    levels: tuple[str, ...] = ()

    @property
    def derived(self) -> bool:
        """True for an index, a state or a response (computed, never read from a file)."""
        return self.kind in (MeasureKind.SCORE, MeasureKind.STATE, MeasureKind.RESPONSE)

    @property
    def display(self) -> str:
        """The name shown in tables and figures: the short name with its unit, e.g. ``"CRP (mg/L)"``."""
        name = self.short or self.label
        return f"{name} ({self.unit})" if self.unit else name

    def contains(self, value: float) -> bool:
        """Return True if ``value`` lies inside the valid range (inclusive)."""
        return self.lower <= value <= self.upper

    def range_text(self) -> str:
        """The valid range written out, for error messages."""
        return f"[{_fmt(self.lower)}, {_fmt(self.upper)}]"


@dataclass(frozen=True)
class UnitAlias:
    """An input column in another unit, converted once at load to its canonical column.

    ``canonical value = input value * factor``.
    """

    column: str
    canonical: str
    unit: str
    factor: float


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


BASDAI_ITEMS: tuple[str, ...] = tuple(f"basdai_q{i}" for i in range(1, 7))
BASFI_ITEMS: tuple[str, ...] = tuple(f"basfi_q{i}" for i in range(1, 11))
BASG_ITEMS: tuple[str, ...] = ("basg_week", "basg_6m")
BASMI_COMPONENTS: tuple[str, ...] = (
    "lateral_flexion_cm",
    "tragus_to_wall_cm",
    "schober_cm",
    "intermalleolar_cm",
    "cervical_rotation_deg",
)

_BASDAI_LABELS = (
    "fatigue",
    "neck, back or hip pain",
    "peripheral joint pain or swelling",
    "enthesitis (tenderness to touch or pressure)",
    "morning stiffness severity",
    "morning stiffness duration (0 = none, 5 = 1 h, 10 = 2 h or more)",
)
_BASFI_LABELS = (
    "putting on socks or tights without help or aids",
    "bending forward to pick up a pen from the floor without an aid",
    "reaching up to a high shelf without help or aids",
    "getting up from an armless chair without using hands or other help",
    "getting up off the floor from lying on the back without help",
    "standing unsupported for 10 minutes without discomfort",
    "climbing 12-15 steps without a handrail or walking aid",
    "looking over the shoulder without turning the body",
    "doing physically demanding activities",
    "doing a full day's activities at home or at work",
)


def _rating(name: str, label: str, source: str, short: str = "") -> Measure:
    """A patient-reported 0-10 item (numeric rating scale, or a 0-100 mm VAS divided by 10)."""
    return Measure(
        name=name,
        label=label,
        unit="0-10",
        lower=0.0,
        upper=10.0,
        grid=0.1,
        direction=Direction.LOWER_IS_BETTER,
        source=source,
        kind=MeasureKind.RATING,
        short=short,
    )


def _lab(name: str, label: str, unit: str, upper: float, grid: float, short: str) -> Measure:
    return Measure(
        name=name,
        label=label,
        unit=unit,
        lower=0.0,
        upper=upper,
        grid=grid,
        direction=Direction.LOWER_IS_BETTER,
        source="Sieper2009",
        kind=MeasureKind.LAB,
        short=short,
    )


def _metrology(name: str, label: str, unit: str, upper: float, direction: Direction) -> Measure:
    return Measure(
        name=name,
        label=label,
        unit=unit,
        lower=0.0,
        upper=upper,
        grid=0.1,
        direction=direction,
        source="vdHeijde2008",
        kind=MeasureKind.METROLOGY,
    )


def _build() -> dict[str, Measure]:
    higher, lower = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER
    items = [
        *(
            _rating(n, f"BASDAI Q{i}: {t}", "Garrett1994")
            for i, (n, t) in enumerate(zip(BASDAI_ITEMS, _BASDAI_LABELS, strict=True), start=1)
        ),
        *(
            _rating(n, f"BASFI Q{i}: {t}", "Calin1994")
            for i, (n, t) in enumerate(zip(BASFI_ITEMS, _BASFI_LABELS, strict=True), start=1)
        ),
        _rating("basg_week", "BAS-G: effect on well-being, last week", "Jones1996"),
        _rating("basg_6m", "BAS-G: effect on well-being, last 6 months", "Jones1996"),
        _rating(
            "patient_global",
            "ASAS patient global assessment of disease activity, last week",
            "Sieper2009",
            short="Patient global",
        ),
        _rating("back_pain", "Total back pain, last week", "Sieper2009", short="Back pain"),
        _lab("esr_mm_h", "Erythrocyte sedimentation rate", "mm/h", upper=200.0, grid=1.0, short="ESR"),
        _lab("crp_mg_l", "C-reactive protein", "mg/L", upper=500.0, grid=0.1, short="CRP"),
        _lab("iga_g_l", "Serum immunoglobulin A", "g/L", upper=50.0, grid=0.01, short="IgA"),
        _metrology("lateral_flexion_cm", "Lateral lumbar flexion (mean of left and right)", "cm", 50.0, higher),
        _metrology("tragus_to_wall_cm", "Tragus-to-wall distance (mean of left and right)", "cm", 60.0, lower),
        _metrology("schober_cm", "Modified Schober test (10 cm)", "cm", 15.0, higher),
        _metrology("intermalleolar_cm", "Intermalleolar distance", "cm", 200.0, higher),
        _metrology("cervical_rotation_deg", "Cervical rotation (mean of left and right)", "degrees", 120.0, higher),
    ]
    return {m.name: m for m in items}


MEASURES: MappingProxyType[str, Measure] = MappingProxyType(_build())
"""Every visit measure, by canonical column name."""

UNIT_ALIASES: MappingProxyType[str, UnitAlias] = MappingProxyType(
    {
        "crp_mg_dl": UnitAlias(column="crp_mg_dl", canonical="crp_mg_l", unit="mg/dL", factor=10.0),
        "iga_mg_dl": UnitAlias(column="iga_mg_dl", canonical="iga_g_l", unit="mg/dL", factor=0.01),
    }
)
"""Input columns accepted in another unit, by input column name."""


def _derived(name: str, label: str, short: str, source: str, kind: MeasureKind, **spec: object) -> Measure:
    """A derived quantity: a 0-10 score unless ``spec`` says otherwise (unit, upper, grid, direction, levels)."""
    base: dict[str, object] = {
        "unit": "0-10",
        "lower": 0.0,
        "upper": 10.0,
        "grid": 0.01,
        "direction": Direction.LOWER_IS_BETTER,
    }
    return Measure(name=name, label=label, short=short, source=source, kind=kind, **(base | spec))  # type: ignore[arg-type]


def _score(name: str, label: str, short: str, source: str, unit: str = "0-10", upper: float = 10.0) -> Measure:
    return _derived(name, label, short, source, MeasureKind.SCORE, unit=unit, upper=upper)


def _state(name: str, label: str, short: str, levels: tuple[str, ...], source: str) -> Measure:
    spec = {"unit": "", "upper": float(len(levels) - 1), "grid": 1.0, "levels": levels}
    return _derived(name, label, short, source, MeasureKind.STATE, **spec)


def _response(name: str, label: str, short: str, source: str) -> Measure:
    spec = {"unit": "", "upper": 1.0, "grid": 1.0, "direction": Direction.HIGHER_IS_BETTER}
    return _derived(name, label, short, source, MeasureKind.RESPONSE, **spec)


_ASDAS_STATES = ("inactive", "low", "high", "very high")  # best first, 2018 names [Machado2018]_


def _build_derived() -> dict[str, Measure]:
    # Grids: the resolution the items give (BASDAI and BASFI 0.01; a mean of two 0.1 items 0.05); for
    # ASDAS and BASMIlin, which their items do not put on a grid, the two decimals they are reported to.
    # ASDAS has no fixed upper bound of its own: its maximum follows from the item and lab ranges.
    inf = float("inf")
    items = [
        _score("basdai", "Bath Ankylosing Spondylitis Disease Activity Index", "BASDAI", "Garrett1994"),
        _score("basfi", "Bath Ankylosing Spondylitis Functional Index", "BASFI", "Calin1994"),
        replace(_score("basg", "Bath Ankylosing Spondylitis Patient Global Score", "BAS-G", "Jones1996"), grid=0.05),
        replace(
            _score("inflammation", "ASAS inflammation domain: mean of BASDAI Q5 and Q6", "Inflammation", "Sieper2009"),
            grid=0.05,
        ),
        _score("asdas_crp", "Ankylosing Spondylitis Disease Activity Score (CRP)", "ASDAS-CRP", "Lukas2009", "", inf),
        _score("asdas_esr", "Ankylosing Spondylitis Disease Activity Score (ESR)", "ASDAS-ESR", "Lukas2009", "", inf),
        _score("basmi_lin", "Bath AS Metrology Index, linear definition", "BASMIlin", "vdHeijde2008"),
        _state("asdas_crp_state", "ASDAS-CRP disease activity state", "ASDAS-CRP state", _ASDAS_STATES, "Machado2018"),
        _state("asdas_esr_state", "ASDAS-ESR disease activity state", "ASDAS-ESR state", _ASDAS_STATES, "Machado2018"),
        _response("asas20", "ASAS 20% improvement criteria", "ASAS20", "Anderson2001"),
        _response("asas40", "ASAS 40% improvement criteria", "ASAS40", "Brandt2004"),
        _response("asas_5of6", "ASAS 5 of 6 improvement criteria", "ASAS 5/6", "Brandt2004"),
        _response("asas_pr", "ASAS partial remission", "ASAS partial remission", "Anderson2001"),
        _response("basdai50", "BASDAI improved by at least 50 %", "BASDAI50", "Sieper2009"),
        _response(
            "asdas_crp_cii",
            "ASDAS-CRP clinically important improvement",
            "ASDAS-CRP clinically important improvement",
            "Machado2011",
        ),
        _response(
            "asdas_crp_mi",
            "ASDAS-CRP major improvement",
            "ASDAS-CRP major improvement",
            "Machado2011",
        ),
        _response(
            "asas20_paper",
            "ASAS20 as worded by the reference study",
            "ASAS20 (reference paper's wording)",
            "Thalidomide2003",
        ),
        _response(
            "asas40_paper",
            "ASAS40 as worded by the reference study",
            "ASAS40 (reference paper's wording)",
            "Thalidomide2003",
        ),
    ]
    return {m.name: m for m in items}


DERIVED: MappingProxyType[str, Measure] = MappingProxyType(_build_derived())
"""Every derived quantity (indices, states, responses), by the column name the derive tier gives it."""

CHANGE_SUFFIXES: MappingProxyType[str, str] = MappingProxyType(
    {"_base": "at baseline", "_chg": "change from baseline", "_pchg": "% change from baseline"}
)
"""Suffixes of the baseline and change columns of each index (``basdai_chg``), with their meaning."""


class MeasureRegistry(Mapping[str, Measure]):
    """A read-only set of measures by name: the built-in ones, and those a study declares.

    The built-in registry is :data:`REGISTRY`. A study with its own measures gets its own
    registry from :meth:`with_measures`; the built-in registry is never changed.

    Examples
    --------
    >>> REGISTRY.lookup("basdai").kind
    <MeasureKind.SCORE: 'score'>
    >>> REGISTRY.label("crp_mg_dl"), REGISTRY.label("asas20"), REGISTRY.label("basdai_chg")
    ('CRP (mg/dL)', 'ASAS20', 'BASDAI (0-10), change from baseline')
    """

    __slots__ = ("_entries",)

    def __init__(self, measures: Iterable[Measure]) -> None:
        entries: dict[str, Measure] = {}
        for m in measures:
            if m.name in entries or m.name in UNIT_ALIASES:
                raise InputError(f"measure {m.name!r} is registered twice")
            entries[m.name] = m
        self._entries = MappingProxyType(entries)

    def __getitem__(self, name: str) -> Measure:
        return self._entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"MeasureRegistry({len(self)} measures)"

    def with_measures(self, measures: Iterable[Measure]) -> MeasureRegistry:
        """A new registry with ``measures`` added.

        Raises
        ------
        InputError
            If a name is already registered (or is an input column in another unit).
        """
        return MeasureRegistry([*self.values(), *measures])

    def names(self, *kinds: MeasureKind) -> tuple[str, ...]:
        """Names of the measures of the given kinds (all when none given), in registry order."""
        return tuple(n for n, m in self.items() if not kinds or m.kind in kinds)

    def lookup(self, name: str) -> Measure:
        """The measure of a column: registered, or an input column in another unit (``crp_mg_dl``).

        Raises
        ------
        UnknownMeasureError
            If ``name`` is neither; the message lists the known names.
        """
        if name in self._entries:
            return self._entries[name]
        alias = UNIT_ALIASES.get(name)
        if alias is not None and alias.canonical in self._entries:
            m = self._entries[alias.canonical]
            return replace(
                m,
                name=name,
                unit=alias.unit,
                lower=m.lower / alias.factor,
                upper=m.upper / alias.factor,
                grid=m.grid / alias.factor,
            )
        raise UnknownMeasureError(f"unknown measure {name!r}; known measures: {', '.join(self._entries)}")

    def label(self, name: str) -> str:
        """The display name of a column (see :attr:`Measure.display`); the name itself if unknown.

        A baseline or change column of an index (``basdai_base``, ``basdai_chg``, ``basdai_pchg``)
        is labelled from its index.
        """
        if name in self._entries or name in UNIT_ALIASES:
            return self.lookup(name).display
        for suffix, meaning in CHANGE_SUFFIXES.items():
            stem = name.removesuffix(suffix)
            if stem != name and stem in self._entries:
                return f"{self._entries[stem].display}, {meaning}"
        return name


REGISTRY = MeasureRegistry([*MEASURES.values(), *DERIVED.values()])
"""The built-in registry: every recorded measure and every derived quantity."""


def lookup(name: str, registry: MeasureRegistry | None = None) -> Measure:
    """The registry entry of a column name: a measure, a derived quantity or a study's own measure.

    Parameters
    ----------
    name : str
        Column name (``"basdai_q1"``, ``"basdai"``, ``"asas20"``, ``"crp_mg_dl"``, ...).
    registry : MeasureRegistry, optional
        A study's registry (``LoadedStudy.registry``) to find its declared measures; the built-in
        :data:`REGISTRY` by default.

    Raises
    ------
    UnknownMeasureError
        If the name is not registered (also a KeyError).

    Examples
    --------
    >>> m = lookup("asdas_crp")
    >>> m.short, m.kind.value, m.source
    ('ASDAS-CRP', 'score', 'Lukas2009')
    """
    return (registry or REGISTRY).lookup(name)


def label(name: str, registry: MeasureRegistry | None = None) -> str:
    """The display name of a column for tables and figures; the name itself if it is not registered.

    Examples
    --------
    >>> label("basdai"), label("crp_mg_l"), label("asas_5of6"), label("my_column")
    ('BASDAI (0-10)', 'CRP (mg/L)', 'ASAS 5/6', 'my_column')
    """
    return (registry or REGISTRY).label(name)


def measure(name: str) -> Measure:
    """Look up a measure by canonical column name.

    Raises
    ------
    UnknownMeasureError
        If ``name`` is not a recorded measure (also a KeyError); the message lists the known names.
    """
    try:
        return MEASURES[name]
    except KeyError:
        raise UnknownMeasureError(f"unknown measure {name!r}; known measures: {', '.join(MEASURES)}") from None
