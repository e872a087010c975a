"""The batched model-choice backtest and the shortcuts of the engine give the numbers of the
plain computations they replace: OLS refitted at every origin, the damped-trend terms step by
step, transforms row by row, every squared score, hashing factorize, per-row warning joins."""

import numpy as np
import pandas as pd
import pytest
from conftest import load_benchmark

from childplan_analysis.core import config
from childplan_analysis.core.codes import Status
from childplan_analysis.engine.warnings import WARNING_RULES, WarningFacts, warning_codes
from childplan_analysis.models import SeriesPanel, backtest_table, pack_codes
from childplan_analysis.models.expanding import damped_terms
from childplan_analysis.models.fit import _damped_sum, _damped_var, damped_grid, damped_pass
from childplan_analysis.models.panel import _first_seen
from childplan_analysis.models.scales import inverse_transform, transform
from childplan_analysis.models.select import backtest_scores, candidates_for


def _panel(n: int = 40, years: int = 15, seed: int = 0) -> tuple[SeriesPanel, np.ndarray, np.ndarray, np.ndarray]:
    """Noisy shares (0–100) with gaps: natural scale logit for half, loglinear for the rest."""
    rng = np.random.default_rng(seed)
    t = np.arange(years)
    values = np.clip(40 + rng.normal(1, 0.8, (n, 1)) * t + rng.normal(0, 2, (n, years)), 1, 99)
    values[rng.random(values.shape) < 0.1] = np.nan
    panel = SeriesPanel(pd.DataFrame({"k": range(n)}), np.arange(2010, 2010 + years), values)
    natural = np.where(np.arange(n) % 2 == 0, "logit", "loglinear")
    return panel, natural, np.full(n, 100.0), np.zeros(n)


def test_backtest_table_linear_points_are_ols_refits_at_each_origin():
    panel, natural, upper, lower = _panel(n=12)
    table = backtest_table(panel, natural, upper, lower)
    years = panel.years
    assert len(table) > 0
    # a series' origins are among its own latest BACKTEST_ORIGINS values (its last value never is one)
    for series, rows in table.groupby("series"):
        own = years[~np.isnan(panel.values[series])]
        assert set(rows["origin"]) <= set(own[-1 - config.BACKTEST_ORIGINS:-1])
    assert (table["year"] > table["origin"]).all()
    assert (table["year"] - table["origin"] <= config.BACKTEST_HORIZON).all()
    linear = table[table["model"] == "linear"]
    for row in linear.sample(25, random_state=0).itertuples():
        y = panel.values[row.series]
        seen = (years <= row.origin) & ~np.isnan(y)
        slope, intercept = np.polyfit(years[seen].astype(float), y[seen], 1)
        assert row.point == pytest.approx(intercept + slope * row.year, rel=1e-9, abs=1e-9)
        assert row.actual == y[years == row.year][0]


def test_damped_terms_from_the_table_are_the_step_by_step_ones():
    alpha, beta, phi = damped_grid()
    rng = np.random.default_rng(2)
    combo = rng.integers(0, len(alpha), (50, 6))
    h = rng.integers(1, 9, (50, 6)).astype(float)
    growth, mult = damped_terms(alpha, beta, phi, combo, h)
    assert np.array_equal(growth, _damped_sum(phi[combo], h))
    assert np.array_equal(mult, _damped_var(alpha[combo], beta[combo], phi[combo], h))
    half = h + 0.5  # not whole years: computed entry by entry
    growth, mult = damped_terms(alpha, beta, phi, combo, half)
    assert np.array_equal(growth, _damped_sum(phi[combo], half))
    assert np.array_equal(mult, _damped_var(alpha[combo], beta[combo], phi[combo], half))


def test_damped_history_from_a_column_is_the_tail_of_the_whole_history():
    panel, *_ = _panel(n=20)
    z = np.nan_to_num(panel.values)
    mask = ~np.isnan(panel.values)
    years = panel.years.astype(float)
    alpha, beta, phi = damped_grid()
    whole = damped_pass(z, mask, years, alpha, beta, phi, keep_history=True)
    tail = damped_pass(z, mask, years, alpha, beta, phi, keep_history=True, history_from=9)
    for a, b in zip(whole, tail, strict=True):
        assert np.array_equal(a[9:], b, equal_nan=True)
    final = damped_pass(z, mask, years, alpha, beta, phi)
    for a, b in zip(whole[:3], final[:3], strict=True):
        assert np.array_equal(a[-1], b)


def test_mixed_scale_transforms_are_each_rows_own():
    rng = np.random.default_rng(3)
    x = rng.uniform(-5, 105, (9, 7))
    x[0, 0] = np.nan
    scale = np.array(["linear", "loglinear", "logit"] * 3)
    upper, lower = np.full(9, 100.0), np.linspace(-1, 1, 9)
    z = transform(x, scale, upper, lower)
    back = inverse_transform(z, scale, upper, lower)
    for i in range(9):
        own = transform(x[i:i + 1], scale[i:i + 1], upper[i:i + 1], lower[i:i + 1])
        assert np.array_equal(z[i:i + 1], own, equal_nan=True)
        assert np.array_equal(back[i:i + 1], inverse_transform(z[i:i + 1], scale[i:i + 1], upper[i:i + 1],
                                                                lower[i:i + 1]), equal_nan=True)


def test_squared_scores_of_the_chosen_model_only_are_those_of_all():
    panel, natural, upper, lower = _panel(n=60, seed=4)
    ok = candidates_for(lower, upper)
    mae, sq, count, sq_n = backtest_scores(panel, natural, upper, lower, ok)
    pick = np.arange(60) % ok.shape[1]
    pick[::7] = -1
    mae2, sq2, count2, sq_n2 = backtest_scores(panel, natural, upper, lower, ok, lambda m, c: pick)
    assert np.array_equal(mae, mae2, equal_nan=True)
    assert np.array_equal(count, count2)
    rows = np.flatnonzero(pick >= 0)
    assert np.array_equal(sq2[rows, pick[rows]], sq[rows, pick[rows]])
    assert np.array_equal(sq_n2[rows, pick[rows]], sq_n[rows, pick[rows]])
    assert (sq[rows, pick[rows]] > 0).all()
    others = np.ones(sq.shape, dtype=bool)
    others[rows, pick[rows]] = False
    assert not sq2[others].any() and not sq_n2[others].any()


@pytest.mark.parametrize("codes", [np.array([5, 3, 5, 0, 3, 7, 0]), np.array([2, -1, 2, 1])])
def test_first_seen_codes_are_pandas_factorize(codes):
    ours, uniques = _first_seen(codes, 8)
    theirs, their_uniques = pd.factorize(codes, sort=False)
    assert np.array_equal(ours, theirs) and np.array_equal(uniques, their_uniques)


def test_pack_codes_orders_series_by_first_row():
    keys = {"region": (np.array([1, 0, 1, 0]), pd.Index(["b", "a"])),
            "indicator": (np.array([0, 0, 0, 1]), pd.Index(["x", "y"]))}
    panel = pack_codes(keys, np.array([2020, 2020, 2021, 2021]), np.array([1.0, 2.0, 3.0, 4.0]))
    # rows: (a, x, 2020), (b, x, 2020), (a, x, 2021), (b, y, 2021)
    assert panel.keys.to_dict("list") == {"region": ["a", "b", "b"], "indicator": ["x", "x", "y"]}
    assert np.array_equal(panel.values, [[1.0, 3.0], [2.0, np.nan], [np.nan, 4.0]], equal_nan=True)


def test_warning_codes_join_every_rule_that_holds_in_table_order():
    rng = np.random.default_rng(5)
    k = 400
    status = rng.choice([s.value for s in Status], k).astype(object)
    facts = WarningFacts(status=status, p_meet=rng.uniform(0, 1, k), projected_meets=rng.random(k) < 0.5,
                         usable=rng.random(k) < 0.8,
                         short=rng.random(k) < 0.2, can_project=rng.random(k) < 0.7,
                         moving_away=rng.random(k) < 0.3, n=rng.integers(0, 10, k), age=rng.integers(0, 6, k),
                         volatile=rng.random(k) < 0.3, breaks=rng.random(k) < 0.3)
    hits = [np.asarray(rule(facts), dtype=bool) for _, rule in WARNING_RULES]
    expected = [";".join(code.value for (code, _), hit in zip(WARNING_RULES, hits, strict=True) if hit[i])
                for i in range(k)]
    codes = warning_codes(facts)
    assert codes.dtype == object and list(codes) == expected
    assert len(set(expected)) > 5


def test_unit_weight_ols_reads_only_the_masked_values():
    from childplan_analysis.models.fit import weighted_ols

    rng = np.random.default_rng(6)
    z = rng.normal(0, 1, (30, 12))
    x = np.broadcast_to(np.arange(2010, 2022, dtype=float), z.shape)
    mask = rng.random(z.shape) < 0.7
    ours = weighted_ols(x, z, mask, np.ones_like(z))
    zeroed = weighted_ols(x, np.where(mask, z, 0.0), mask)
    for key, value in ours.items():
        assert np.array_equal(value, zeroed[key]), key
    for i in range(5):
        ok = mask[i]
        slope, intercept = np.polyfit(x[i, ok], z[i, ok], 1)
        assert ours["slope"][i] == pytest.approx(slope, rel=1e-9)
        assert ours["level"][i] == pytest.approx(z[i, ok].mean(), rel=1e-9, abs=1e-12)


def test_backtest_damped_forecasts_are_the_damped_fit_on_the_data_up_to_each_origin():
    """Mean, scale (state error and unbiased noise included) and degrees of freedom of every
    damped backtest forecast are those of ``fit_model`` on the data up to its origin."""
    from childplan_analysis.models import fit_model

    panel, natural, upper, lower = _panel(n=12, seed=8)
    table = backtest_table(panel, natural, upper, lower)
    damped = table[table["model"] == "damped"]
    assert len(damped) > 50
    for origin, rows in damped.groupby("origin"):
        fit = fit_model(panel.up_to(int(origin)), "damped", natural, upper, lower)
        assert (fit.p_trend[rows["series"]] > 0).all()
        for row in rows.itertuples():
            m_all, s_all = fit.predict(np.full(panel.n_series, float(row.year)))
            assert row.mean == pytest.approx(m_all[row.series], rel=1e-10, abs=1e-12)
            assert row.scale == pytest.approx(s_all[row.series], rel=1e-10)
            assert row.df == fit.df[row.series]


def test_backtest_forecasts_never_see_values_after_their_origin():
    """Values after a year — changed, or removed — leave every forecast from origins up to that
    year as it was, for every family (the damped trend's state error included)."""
    panel, natural, upper, lower = _panel(n=20, seed=9)
    values = panel.values.copy()
    values[0, :8] = np.nan  # starts late
    values[1, -2:] = np.nan  # ends early
    values[2, -9::2] = np.nan  # every other year at the end
    panel = SeriesPanel(panel.keys, panel.years, values)
    cut = int(panel.years[-4])
    changed = panel.values.copy()
    later = panel.years > cut
    rng = np.random.default_rng(10)
    changed[:, later] = np.clip(changed[:, later] * rng.uniform(0.5, 1.5, changed[:, later].shape), 1, 99)
    changed[::3, panel.years == cut + 1] = np.nan
    before = backtest_table(panel, natural, upper, lower)
    after = backtest_table(SeriesPanel(panel.keys, panel.years, changed), natural, upper, lower)
    key = ["series", "origin", "year", "model"]
    both = before.merge(after, on=key, suffixes=("", "_after"))
    both = both[both["origin"] <= cut]
    assert len(both) > 100 and set(both["model"]) >= {"damped", "linear", "persistence"}
    assert set(both["series"]) >= {0, 1, 2}
    for col in ("mean", "scale", "df"):
        np.testing.assert_allclose(both[col], both[f"{col}_after"], rtol=1e-12, err_msg=col)


def _own_years_panel() -> tuple[SeriesPanel, np.ndarray, np.ndarray, np.ndarray]:
    """Shares over 2005–2023 with different year sets: every year; every other year from 2010 to
    2022; from 2014 only; up to 2018 only; and gaps inside the last seven years."""
    rng = np.random.default_rng(21)
    years = np.arange(2005, 2024)
    t = years - years[0]
    values = np.clip(30 + rng.normal(1.5, 0.5, (5, 1)) * t + rng.normal(0, 1.5, (5, len(years))), 1, 99)
    values[1, (years > 2010) & (years % 2 == 1)] = np.nan
    values[1, years == 2023] = np.nan
    values[2, years < 2014] = np.nan
    values[3, years > 2018] = np.nan
    values[4, np.isin(years, [2017, 2018, 2021])] = np.nan
    panel = SeriesPanel(pd.DataFrame({"k": range(5)}), years, values)
    return panel, np.array(["logit", "loglinear", "logit", "loglinear", "linear"]), np.full(5, 100.0), np.zeros(5)


def test_each_series_is_backtested_on_its_own_years():
    """Origins, horizons and calibration errors come from each series' own observed years: in a
    panel whose series have different years (gaps, a late start, an early end) every series gets
    the backtest forecasts and the squared scores per year ahead it gets alone, on a grid of its
    own years; its pairs are its latest origins and its own later values."""
    panel, natural, upper, lower = _own_years_panel()
    table = backtest_table(panel, natural, upper, lower)
    ok = candidates_for(lower, upper)
    _, sq, _, sq_n = backtest_scores(panel, natural, upper, lower, ok, per_horizon=True)
    key = ["origin", "year", "model"]
    for i in range(panel.n_series):
        own = ~np.isnan(panel.values[i])
        alone = SeriesPanel(panel.keys.iloc[[i]], panel.years[own], panel.values[i, own][None, :])
        solo = backtest_table(alone, natural[[i]], upper[[i]], lower[[i]])
        mine = table[table["series"] == i].sort_values(key).reset_index(drop=True)
        solo = solo.sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(mine[key + ["horizon", "actual"]], solo[key + ["horizon", "actual"]],
                                      check_dtype=False)
        for col in ("point", "mean", "scale", "df"):
            np.testing.assert_allclose(mine[col], solo[col], rtol=1e-9, atol=1e-12, err_msg=f"{i} {col}")
        _, sq1, _, sq_n1 = backtest_scores(alone, natural[[i]], upper[[i]], lower[[i]], ok[[i]], per_horizon=True)
        np.testing.assert_array_equal(sq_n[i], sq_n1[0])
        np.testing.assert_allclose(sq[i], sq1[0], rtol=1e-9, atol=1e-12)
        # the pairs, counted plainly: latest origins with enough values before them, later own values
        yrs = panel.years[own]
        pairs = {(int(o), int(t)) for j, o in enumerate(yrs[:-1]) if j >= len(yrs) - 1 - config.BACKTEST_ORIGINS
                 and j + 1 >= config.BACKTEST_MIN_TRAIN for t in yrs[j + 1:] if t - o <= config.BACKTEST_HORIZON}
        assert set(zip(mine["origin"], mine["year"], strict=True)) == pairs
        for h in range(1, config.BACKTEST_HORIZON + 1):
            assert sq_n[i, 0, h - 1] == sum(1 for o, t in pairs if t - o == h)
    every_other = sq_n[1, 0]
    assert every_other[[0, 2, 4]].sum() == 0 and every_other[[1, 3]].min() > 0  # only even horizons
    # a series that ends early keeps its own six origins (the panel's last years hold none of its values)
    assert table.loc[table["series"] == 3, "origin"].nunique() == config.BACKTEST_ORIGINS


def test_the_benchmark_forecasts_from_an_origin_never_see_values_after_it():
    """``benchmarks/backtest.py``: every model's interval and p_meet from an origin (model
    choice, calibration per year ahead, damped state error, pooling with the recent noise) are
    the same when the values after that origin change."""
    bt = load_benchmark("backtest", "backtest_bench_lookahead")
    rng = np.random.default_rng(15)
    years = np.arange(2008, 2024)
    t = years - years[0]
    rates = [lv * np.exp(-r * t + rng.normal(0, 0.03, len(t))) for lv, r in ((30, 0.06), (12, 0.04), (50, 0.05))]
    shares = [np.clip(100 - (100 - lv) * np.exp(-0.08 * t + rng.normal(0, 0.05, len(t))), 1, 99.9) for lv in (60, 75)]
    values = np.vstack([*rates, *shares])
    values[1, :9] = np.nan  # a series that starts late: pooled at the early origins
    keys = pd.DataFrame({"indicator": ["imr", "imr", "mmr", "cov", "cov"]})
    natural = np.array(["loglinear"] * 3 + ["logit"] * 2)
    low, high = np.zeros(5), np.array([np.nan] * 3 + [100.0] * 2)
    desired = np.array([-1.0] * 3 + [1.0] * 2)
    unit = np.array(["‰"] * 3 + ["%"] * 2, dtype=object)
    origin = 2018
    changed = values.copy()
    changed[:, years > origin] *= rng.uniform(0.7, 1.3, changed[:, years > origin].shape)
    changed[:, years > origin] = np.clip(changed[:, years > origin], 0.1, 99.9)
    cols = ["model", "series", "origin", "year", "lower", "upper", "p_meet", "point"]
    for run in (bt.forecasts, bt.short_forecasts):  # all series, and series cut to 3–5 values
        runs = [run(SeriesPanel(keys, years, v), natural, low, high, desired, unit) for v in (values, changed)]
        before, after = (r[r["origin"] <= origin].reset_index(drop=True) for r in runs)
        assert len(before) > 200 and before["model"].isin(["auto", "pooled"]).any()
        pd.testing.assert_frame_equal(before[cols], after[cols], check_exact=False, rtol=1e-12)
        assert not np.allclose(before["actual"], after["actual"])  # the later values did change


def test_the_benchmark_tells_pooled_backtested_and_neither_forecasts_apart():
    """``benchmarks/backtest.py`` labels each ``auto`` forecast by what the engine did: pooled
    exactly where the pooled trend replaced the model choice, backtested for series with
    ``BACKTEST_MIN_POINTS`` values or more; the three-year misses add up to the forecasts."""
    bt = load_benchmark("backtest", "backtest_bench_kinds")
    rng = np.random.default_rng(4)
    years = np.arange(2008, 2024)
    t = years - years[0]
    rates = [lv * np.exp(-r * t + rng.normal(0, 0.03, len(t))) for lv, r in ((30, 0.06), (12, 0.04), (50, 0.05))]
    values = np.vstack(rates)
    values[1, :10] = np.nan  # starts in 2018: 4–5 values at the 2021–2022 origins, pooled
    keys = pd.DataFrame({"indicator": ["imr", "imr", "mmr"]})
    natural = np.full(3, "loglinear")
    fc = bt.forecasts(SeriesPanel(keys, years, values), natural, np.zeros(3), np.full(3, np.nan),
                      np.full(3, -1.0), np.array(["‰"] * 3, dtype=object))
    auto = fc[(fc["model"] == "auto") & (fc["improvement"] == 0)].reset_index(drop=True)
    plain = fc[(fc["model"] == "auto (no pooling)") & (fc["improvement"] == 0)].reset_index(drop=True)
    pooled = auto["kind"] == "pooled"
    # every series here has a sibling or a family: the short ones (early origins, the late starter) pool
    assert (pooled == (auto["length"] < config.POOL_BELOW)).all()
    assert set(auto.loc[pooled & (auto["origin"] >= 2021), "series"]) == {1}
    assert (auto.loc[auto["length"] >= config.BACKTEST_MIN_POINTS, "kind"] == "backtested").all()
    assert not np.allclose(auto.loc[pooled, "point"], plain.loc[pooled, "point"])
    np.testing.assert_allclose(auto.loc[~pooled, "point"], plain.loc[~pooled, "point"])
    table = bt.misses(fc[fc["model"] == "auto"], 3)
    assert table.loc["All", "All"] == int((auto["horizon"] == 3).sum())
    inside = ((auto["actual"] >= auto["lower"]) & (auto["actual"] <= auto["upper"]))[auto["horizon"] == 3]
    assert table.loc["All", "inside"] == int(inside.sum())
