"""The registry of measures: one place for each measure's name, unit, range, grid and source.

Both the Pydantic records (:mod:`axspa.models`) and the vectorized frame checks
(:mod:`axspa.io`) read this registry, so the two paths accept and reject the same values.

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
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "BASDAI_ITEMS",
    "BASFI_ITEMS",
    "BASG_ITEMS",
    "BASMI_COMPONENTS",
    "MEASURES",
    "UNIT_ALIASES",
    "Direction",
    "Measure",
    "UnitAlias",
    "measure",
]


class Direction(StrEnum):
    """Which way is better for a measure."""

    LOWER_IS_BETTER = "lower_is_better"
    HIGHER_IS_BETTER = "higher_is_better"


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
    """

    name: str
    label: str
    unit: str
    lower: float
    upper: float
    grid: float
    direction: Direction
    source: str

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


def _rating(name: str, label: str, source: str) -> Measure:
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
    )


def _lab(name: str, label: str, unit: str, upper: float, grid: float) -> Measure:
    return Measure(
        name=name,
        label=label,
        unit=unit,
        lower=0.0,
        upper=upper,
        grid=grid,
        direction=Direction.LOWER_IS_BETTER,
        source="Sieper2009",
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
            "patient_global", "ASAS patient global assessment of disease activity, last week", "Sieper2009"
        ),
        _rating("back_pain", "Total back pain, last week", "Sieper2009"),
        _lab("esr_mm_h", "Erythrocyte sedimentation rate", "mm/h", upper=200.0, grid=1.0),
        _lab("crp_mg_l", "C-reactive protein", "mg/L", upper=500.0, grid=0.1),
        _lab("iga_g_l", "Serum immunoglobulin A", "g/L", upper=50.0, grid=0.01),
        _metrology(
            "lateral_flexion_cm", "Lateral lumbar flexion (mean of left and right)", "cm", 50.0, higher
        ),
        _metrology(
            "tragus_to_wall_cm", "Tragus-to-wall distance (mean of left and right)", "cm", 60.0, lower
        ),
        _metrology("schober_cm", "Modified Schober test (10 cm)", "cm", 15.0, higher),
        _metrology("intermalleolar_cm", "Intermalleolar distance", "cm", 200.0, higher),
        _metrology(
            "cervical_rotation_deg", "Cervical rotation (mean of left and right)", "degrees", 120.0, higher
        ),
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


def measure(name: str) -> Measure:
    """Look up a measure by canonical column name.

    Raises
    ------
    KeyError
        If ``name`` is not a registered measure; the message lists the known names.
    """
    try:
        return MEASURES[name]
    except KeyError:
        raise KeyError(f"unknown measure {name!r}; known measures: {', '.join(MEASURES)}") from None
