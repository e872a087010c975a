"""childplan-analysis: monitoring development plans for children and women (2021–2030)."""

from .assess import assess, attainment_rate, compare_methods
from .disparity import disparities
from .errors import ChildplanError, DataError, PlanError, UnknownIndicatorError
from .extract import extract_targets
from .grammar import parse_target
from .indicators import load_indicators
from .loaders import load_observations, read_observations
from .models import forecast_path
from .plans import Plan, load_plan
from .store import MonitoringStore
from .targets import Comparator, Target

__version__ = "0.1.0"

__all__ = [
    "Comparator",
    "ChildplanError",
    "DataError",
    "MonitoringStore",
    "Plan",
    "PlanError",
    "Target",
    "UnknownIndicatorError",
    "assess",
    "attainment_rate",
    "compare_methods",
    "disparities",
    "extract_targets",
    "forecast_path",
    "load_indicators",
    "load_observations",
    "load_plan",
    "parse_target",
    "read_observations",
    "__version__",
]
