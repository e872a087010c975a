"""Paths and defaults in one place.

Paths are derived from the package location (never from the current directory).
``CHILDPLAN_HOME`` overrides the project root, e.g. for an installed (non-editable) package.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _find_project_root() -> Path:
    env = os.environ.get("CHILDPLAN_HOME")
    if env:
        return Path(env).resolve()
    for candidate in (PACKAGE_DIR, *PACKAGE_DIR.parents):
        if (candidate / "params" / "indicators.yaml").is_file():
            return candidate
    return Path.cwd()


PROJECT_ROOT = _find_project_root()
PARAMS_DIR = PROJECT_ROOT / "params"
DATA_DIR = PROJECT_ROOT / "data"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
INDICATORS_FILE = PARAMS_DIR / "indicators.yaml"
NATIONAL_PLAN_FILE = PARAMS_DIR / "national_children_2021_2030.yaml"
NATIONAL_DATA_DIR = DATA_DIR / "national"

#: Years accepted in observation files.
MIN_YEAR = 1949
MAX_YEAR = 2100

#: Years of data (up to ``as_of``) used to fit a trend.
FIT_WINDOW = 15
#: Default level of prediction intervals.
DEFAULT_INTERVAL_LEVEL = 0.80
#: Fewer observed years than this gives ``insufficient_data``.
MIN_POINTS = 3
#: A last observation older than this many years before ``as_of`` gives ``insufficient_data``.
MAX_DATA_AGE = 5
#: The latest observation this many years or more before ``as_of`` raises ``stale_data``.
STALE_AFTER = 3
#: p_meet below this is ``off_track``; below ``RED_P_MEET`` the warning level is red.
OFF_TRACK_P_MEET = 0.5
RED_P_MEET = 0.2
#: Residual scatter / mean absolute annual trend above this ratio is ``volatile``.
VOLATILE_RATIO = 1.0
#: Relative tolerance of ``around`` targets (左右) when the catalog gives none.
AROUND_TOLERANCE = 0.05
