"""childplan-analysis: monitoring development plans for children and women (2021–2030)."""

from .assess import assess, attainment_rate
from .errors import ChildplanError, DataError, PlanError, UnknownIndicatorError
from .indicators import load_indicators
from .loaders import load_observations, read_observations
from .plans import Plan, load_plan
from .targets import Comparator, Target

__version__ = "0.1.0"

__all__ = [
    "Comparator",
    "ChildplanError",
    "DataError",
    "Plan",
    "PlanError",
    "Target",
    "UnknownIndicatorError",
    "assess",
    "attainment_rate",
    "load_indicators",
    "load_observations",
    "load_plan",
    "read_observations",
    "__version__",
]
