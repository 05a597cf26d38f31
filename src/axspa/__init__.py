"""axspa: analysis of clinical-trial and cohort data in axial spondyloarthritis."""

from axspa.errors import (
    AxspaError,
    AxspaWarning,
    ComputationError,
    DataValidationError,
    InputError,
    PlausibilityWarning,
    Problem,
)
from axspa.measures import MEASURES, Measure, measure

__version__ = "0.1.0"

__all__ = [
    "MEASURES",
    "AxspaError",
    "AxspaWarning",
    "ComputationError",
    "DataValidationError",
    "InputError",
    "Measure",
    "PlausibilityWarning",
    "Problem",
    "__version__",
    "measure",
]
