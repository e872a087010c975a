"""Paths and defaults in one place.

Paths are derived from the package location (never from the current directory).
``CHILDPLAN_HOME`` overrides the project root, e.g. for an installed (non-editable) package.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]


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
#: Relative scatter (residual SD / mean level) below which a series is never ``volatile``.
VOLATILE_MIN_REL = 0.02
#: A trend slope in the wrong direction with at least this probability counts as regressing.
REGRESSING_PROB = 0.9
#: ``series_break``: a year-to-year change more than this many robust SDs (1.4826·MAD) from the
#: median change, and larger than ``SERIES_BREAK_MIN_REL`` of the series level; needs at least
#: ``SERIES_BREAK_MIN_POINTS`` values.
SERIES_BREAK_Z = 5.0
SERIES_BREAK_MIN_REL = 0.05
SERIES_BREAK_MIN_POINTS = 5

# ---------------------------------------------------------------- model choice and calibration
#: Series with at least this many values choose their model by rolling-origin backtest.
BACKTEST_MIN_POINTS = 6
#: Series too short for the backtest keep the default model, except those with fewer values
#: than this, which choose among the OLS scales by likelihood (the damped trend needs a few
#: one-step errors to estimate its spread).
LIKELIHOOD_BELOW = 4
#: An origin needs at least this many values up to it.
BACKTEST_MIN_TRAIN = 4
#: Origins are the latest this many years of the data (each with at least BACKTEST_MIN_TRAIN values).
BACKTEST_ORIGINS = 6
#: Forecasts up to this many years ahead are scored.
BACKTEST_HORIZON = 5
#: Fewer backtest forecasts than this: the model is chosen by likelihood instead.
BACKTEST_MIN_FORECASTS = 3
#: The model a series keeps unless another beats it in the backtest: a name from
#: ``models.MODELS`` (fitted on the series' conventional scale) or ``natural`` (OLS on that scale).
DEFAULT_MODEL = "damped"
#: A candidate must have a backtest MAE this much (relative) below the conventional model's.
SELECT_MARGIN = 0.10
#: Prior weight ν₀ (in forecasts) pulling the interval calibration factor towards 1, and its cap.
CALIBRATION_PRIOR = 4.0
CALIBRATION_MAX = 3.0
#: Intervals widen when the slope of the last ``DEPARTURE_RECENT`` values departs from the slope
#: of the whole series (the excess of Δ² over ``DEPARTURE_Z``² times its variance under one
#: straight line; 1 gives the moment estimate of the true departure) for series with at least
#: ``DEPARTURE_MIN_POINTS`` values;
#: ``DEPARTURE_WEIGHT`` scales the extra spread per year ahead (models/departure.py).
DEPARTURE_RECENT = 5
DEPARTURE_MIN_POINTS = 8
DEPARTURE_WEIGHT = 0.5
DEPARTURE_Z = 1.0

# ---------------------------------------------------------------- reference methods
#: Time weights of the ESCAP-style regression grow by this much per year (1 for the first year).
ESCAP_WEIGHT_STEP = 1.0
#: UN Statistics Division progress chart: thresholds of the ratio of actual to expected progress.
UNSD_ON_TRACK = 0.95
UNSD_MODERATE = 0.5
UNSD_MARGINAL = 0.1
UNSD_STAGNATION = -0.1
#: Eurostat / Statistics Canada: thresholds of R = observed CAGR / required CAGR, and of CAGR
#: when a target has no value.
EUROSTAT_ON_TRACK = 0.95
EUROSTAT_ACCELERATION = 0.60
EUROSTAT_NO_TARGET_ON_TRACK = 0.015
EUROSTAT_NO_TARGET_ACCELERATION = 0.005
#: Replaces a zero base value in growth-rate methods.
CAGR_ZERO_BASE = 1e-6


# ---------------------------------------------------------------- input limits (docs/reliability.md)
#: Observation files larger than this are refused before reading.
MAX_FILE_BYTES = 100 * 2**20
#: Rows of one CSV file or one worksheet (counted before parsing).
MAX_ROWS = 2_000_000
#: Columns of one CSV header or one worksheet.
MAX_COLUMNS = 1_000
#: Cells of one worksheet: rows × columns of the area its cells span (the reader allocates it all),
#: and of its declared ``<dimension>``.
MAX_SHEET_CELLS = 2_000_000
#: Entries of a workbook's shared-string table.
MAX_SHARED_STRINGS = 1_000_000
#: Unpacked size of all parts of a workbook (.xlsx/.xlsm/.ods zip).
MAX_UNPACKED_BYTES = 400 * 2**20
#: Unpacked ÷ packed size of one workbook part larger than ``EXPANSION_MIN_BYTES`` (a zip bomb).
MAX_EXPANSION_RATIO = 150
EXPANSION_MIN_BYTES = 2**20
#: Workbook readers run in a child process with this much memory beyond the parent's size, for at
#: most this many seconds; a crash, an out-of-memory or a timeout there rejects the one file.
READER_MEMORY_BYTES = 2**30
READER_TIMEOUT_S = 120
#: Run workbook readers in a child process (False: in-process, for debugging).
ISOLATE_READERS = True

# ---------------------------------------------------------------- monitoring database
#: Seconds a process waits for a DuckDB monitoring database another process is writing.
STORE_LOCK_TIMEOUT_S = 60.0

# ---------------------------------------------------------------- plan documents (.txt, .docx, .pdf, .html)
#: Pages of a PDF plan read at most (a 2021–2030 plan is 30–80 pages).
MAX_DOCUMENT_PAGES = 1_000
#: Characters of text a plan document may hold (a 2021–2030 plan holds 30,000–80,000).
MAX_DOCUMENT_CHARS = 5_000_000

# ---------------------------------------------------------------- plan catalogs
#: Plan catalogs larger than this are refused before parsing (a national plan is ~50 kB).
MAX_PLAN_BYTES = 50 * 2**20

# ---------------------------------------------------------------- partial pooling (models.pooling)
#: Series with fewer values than this take the pooled trend of their indicator's series in the
#: same call (when the group gives a prior); longer ones keep their own chosen model.
POOL_BELOW = 6
#: Weight d₀ (in degrees of freedom) of the group's residual variance in each series' noise when
#: the group (or family) has too few series to estimate d₀ itself (models.moderation).
POOL_NOISE_DF = 4.0
#: Series with at least 3 values a group needs before its slope prior (μ, τ²) is estimated.
POOL_MIN_SERIES = 2
#: A short series whose call holds no window of slope wander (a county assessed alone, all its
#: series two to four years long) borrows it from the national data's long series, truncated to
#: the call's last observed year (models.reference). Off: such a series adds no wander.
POOL_REFERENCE = True
