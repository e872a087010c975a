"""childplan-analysis: monitoring development plans for children and women (2021–2030)."""

from childplan_analysis.catalog.extract import extract_targets
from childplan_analysis.catalog.grammar import parse_target
from childplan_analysis.catalog.plans import Plan, load_plan
from childplan_analysis.core.errors import (
    ChildplanError,
    DataError,
    PlanError,
    UnknownIndicatorError,
)
from childplan_analysis.core.indicators import load_indicators
from childplan_analysis.core.targets import Comparator, Target
from childplan_analysis.engine.assess import assess, attainment_rate, compare_methods
from childplan_analysis.engine.disparity import disparities
from childplan_analysis.io.sources import load_observations, read_observations
from childplan_analysis.io.store import MonitoringStore
from childplan_analysis.models import forecast_path

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
