"""Gap trends for many regions: one vectorised pass (disparity.gap_trends) vs one statsmodels OLS
per series. Prints timings side by side and checks that the slopes agree."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import statsmodels.api as sm

from childplan_analysis.engine.disparity import gap_series, gap_trends


def synthetic_breakdowns(n_regions: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = np.arange(2010, 2025)
    rows = []
    for r in range(n_regions):
        urban = 6 * 0.95 ** (years - 2010) * np.exp(rng.normal(0, 0.03, len(years)))
        rural = urban * (1.2 + rng.normal(0, 0.05) * (years - 2010) / 10) * np.exp(rng.normal(0, 0.03, len(years)))
        for area, values in (("urban", urban), ("rural", rural)):
            rows.append(pd.DataFrame({"region": f"r{r}", "indicator": "infant_mortality", "year": years,
                                      "value": values, "unit": "‰", "sex": "total", "area": area,
                                      "age_group": "total", "subregion": "", "source": "", "note": ""}))
    return pd.concat(rows, ignore_index=True)


def per_series_ols(series: pd.DataFrame) -> pd.Series:
    slopes = {}
    for key, grp in series[series["measure"] == "gap"].groupby("region"):
        fit = sm.OLS(grp["value"].to_numpy(), sm.add_constant(grp["year"].to_numpy(dtype=float))).fit()
        slopes[key] = fit.params[1]
    return pd.Series(slopes)


def main() -> None:
    print(f"{'regions':>8} {'vectorised s':>13} {'statsmodels s':>14} {'ratio':>7}")
    for n in (100, 1000, 3000):
        series = gap_series(synthetic_breakdowns(n))
        t0 = time.perf_counter()
        trends = gap_trends(series)
        t1 = time.perf_counter()
        slopes = per_series_ols(series)
        t2 = time.perf_counter()
        ours = trends[trends["measure"] == "gap"].set_index("region")
        ours_slope = ours["annual_change"].reindex(slopes.index)
        assert np.allclose(ours_slope.to_numpy(), slopes.to_numpy(), atol=1e-9), "slopes differ"
        vec, loop = t1 - t0, t2 - t1
        print(f"{n:>8} {vec:>13.3f} {loop:>14.3f} {loop / vec:>6.1f}x  ({len(trends)} gap series)")


if __name__ == "__main__":
    main()
