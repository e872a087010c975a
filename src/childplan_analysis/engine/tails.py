"""One-sided checks on a trend slope's t distribution without its CDF at every row.

Whether P(slope has a sign) reaches a probability is a comparison of the t statistic with the
t quantile of that probability, worked out once per distinct degrees of freedom
(``scipy.special.stdtrit``). Only rows whose statistic lies within a hair of the quantile are
decided by the CDF itself (:meth:`~childplan_analysis.models.TrendFit.prob_slope_sign`), so the
answer is the one the CDF gives at every row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from childplan_analysis.models import TrendFit
from childplan_analysis.models.fit import _EPS as SE_FLOOR

#: SE_FLOOR: the floor prob_slope_sign puts under the standard error.
#: Relative distance to the quantile within which a row is decided by the CDF itself.
MARGIN = 1e-6


def slope_sign_at_least(fit: TrendFit, sign: np.ndarray, prob: float, rows: np.ndarray) -> np.ndarray:
    """Per series: ``rows`` and P(the OLS trend slope has ``sign``) ≥ ``prob`` (``fit.prob_slope_sign``);
    False outside ``rows``."""
    rows = np.asarray(rows, dtype=bool)
    if not 0 < prob < 1:
        return rows & (fit.prob_slope_sign(sign) >= prob)
    with np.errstate(invalid="ignore", divide="ignore"):
        stat = np.sign(sign) * (fit.trend_slope / np.maximum(fit.slope_se(), SE_FLOOR))
    df = np.asarray(fit.trend_df, dtype=float)
    codes, uniq = pd.factorize(df, use_na_sentinel=False)
    uniq = np.asarray(uniq, dtype=float)
    with np.errstate(invalid="ignore"):
        valid = uniq > 0
        quantile = np.where(valid, special.stdtrit(np.where(valid, uniq, 1.0), prob), np.nan)[codes]
        margin = MARGIN * np.maximum(np.abs(quantile), 1.0)
        above = stat > quantile + margin
        near = rows & ~above & (stat >= quantile - margin)  # NaN statistic or df: below, never near
    out = rows & above
    if near.any():
        out[near] = fit.prob_slope_sign(sign)[near] >= prob
    return out
