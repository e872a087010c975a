"""The engine's results on the bundled demo and national data are those stored in
``tests/data/engine_equivalence`` (written by ``scripts/build_engine_fixture.py``), and on the
synthetic county data of ``tests/engine_cases.py`` those in ``tests/data/engine_equivalence_extra``:
a faster engine must give the same frame, column for column, values to 1e-12."""

from __future__ import annotations

from functools import cache

import engine_cases
import numpy as np
import pandas as pd
import pytest
from conftest import load_script

from childplan_analysis.core import config

STORED = config.PROJECT_ROOT / "tests" / "data" / "engine_equivalence"


@cache
def builder():
    """The fixture script as a module: the tables it stores are the tables compared here."""
    return load_script("build_engine_fixture")


CASES = dict(builder().cases())


def test_every_case_is_stored():
    assert sorted(p.stem for p in STORED.glob("*.parquet")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_results_unchanged(name):
    stored = pd.read_parquet(STORED / f"{name}.parquet")
    assert len(stored) > 0
    pd.testing.assert_frame_equal(CASES[name](), stored, check_exact=False, rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------- synthetic county cases
EXTRA = dict(engine_cases.cases())


def test_every_extra_case_is_stored():
    assert sorted(p.stem for p in engine_cases.STORED.glob("*.parquet")) == sorted(EXTRA)


@pytest.mark.parametrize("name", sorted(EXTRA))
def test_county_results_unchanged(name):
    stored = pd.read_parquet(engine_cases.STORED / f"{name}.parquet")
    assert len(stored) > 0
    pd.testing.assert_frame_equal(EXTRA[name](), stored, check_exact=False, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("name", "stored_as"), [(n, s) for n, s, _ in engine_cases.SAME_AS])
def test_same_data_given_otherwise_gives_the_same_results(name, stored_as):
    """Categorical key columns and observations sorted by key take other paths to the same codes."""
    compute = next(c for n, _, c in engine_cases.SAME_AS if n == name)
    stored = pd.read_parquet(engine_cases.STORED / f"{stored_as}.parquet")
    pd.testing.assert_frame_equal(compute(), stored, check_exact=False, rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------- many regions, a target per indicator
GRID = config.PROJECT_ROOT / "tests" / "data" / "engine_equivalence_grid"
GRID_YEARS = np.arange(2010, 2025)


@cache
def grid_observations() -> pd.DataFrame:
    """Region totals of 120 counties × 12 indicators × 15 years, shaped as the engine benchmark's
    (falling rates, rising shares on a logit curve, drifting levels; 5 % of values missing), some
    counties lacking an indicator, some series short, one with a break."""
    from childplan_analysis.core.indicators import load_indicators

    rng = np.random.default_rng(22)
    regions = np.array([f"区县{i:03d}" for i in range(120)])
    t = GRID_YEARS - GRID_YEARS[0]
    frames = []
    for ind in list(load_indicators())[:12]:
        low, high = ind.bounds
        low = 0.0 if low is None else low
        high = low + 100.0 if high is None else high
        span = high - low
        start = low + span * rng.uniform(0.2, 0.6, len(regions))
        if ind.polarity == "lower":
            vals = start[:, None] * np.exp(-rng.uniform(0.01, 0.08, len(regions))[:, None] * t)
            vals *= np.exp(rng.normal(0, 0.03, vals.shape))
        elif ind.polarity == "higher" and ind.unit == "%":
            z = np.log((start - low) / (high - start))[:, None] + rng.uniform(0, 0.25, len(regions))[:, None] * t
            vals = low + span / (1 + np.exp(-(z + rng.normal(0, 0.08, z.shape))))
        else:
            vals = start[:, None] + rng.normal(0.005, 0.01, len(regions))[:, None] * span * t
            vals += rng.normal(0, 0.01 * span, vals.shape)
        vals = np.clip(vals, low, high)
        vals[rng.random(vals.shape) < 0.05] = np.nan
        vals[rng.random(len(regions)) < 0.04] = np.nan  # counties without this indicator
        vals[7, :-2] = np.nan  # two values only
        vals[8, 9:] += 0.3 * span  # a break
        r, j = np.nonzero(~np.isnan(vals))
        frames.append(pd.DataFrame({"region": regions[r], "indicator": ind.id, "year": GRID_YEARS[j],
                                    "value": vals[r, j]}))
    obs = pd.concat(frames, ignore_index=True)
    obs["sex"] = obs["area"] = obs["age_group"] = "total"
    obs["subregion"] = ""
    return obs


@cache
def grid_plan():
    """One 2030 target per indicator: ≤ for falling rates, ≥ for rising shares, increase otherwise."""
    from childplan_analysis.catalog.plans import plan_from_dict
    from childplan_analysis.core.indicators import load_indicators

    targets = []
    for ind in list(load_indicators())[:12]:
        low, high = ind.bounds
        low = 0.0 if low is None else low
        span = (low + 100.0 if high is None else high) - low
        if ind.polarity == "lower":
            target = {"comparator": "<=", "value": float(low + span * 0.15)}
        elif ind.polarity == "higher" and ind.unit == "%":
            target = {"comparator": ">=", "value": float(low + span * 0.9)}
        else:
            target = {"comparator": "increase"}
        targets.append({"id": f"{ind.id}_2030", "indicator": ind.id, "year": 2030, **target})
    return plan_from_dict({"id": "grid", "title": "网格", "region": "全市", "level": "city",
                           "period": [2021, 2030], "targets": targets})


def grid_cases():
    """(name, computation) of every stored grid case; names are file stems."""
    from childplan_analysis.engine.assess import assess, compare_methods

    yield "grid_linear", lambda: assess(grid_observations(), grid_plan(), model="linear")
    yield "grid_auto", lambda: assess(grid_observations(), grid_plan())
    yield "grid_methods_damped", lambda: compare_methods(grid_observations(), grid_plan(), model="damped")
    # most regions asked for have no data: the indicator-by-indicator layout
    yield "grid_sparse_regions", lambda: assess(grid_observations(), grid_plan(), model="loglinear",
                                                regions=[f"区县{i:03d}" for i in range(0, 120, 9)]
                                                + [f"空县{i}" for i in range(40)])


GRID_CASES = dict(grid_cases())


def test_every_grid_case_is_stored():
    assert sorted(p.stem for p in GRID.glob("*.parquet")) == sorted(GRID_CASES)


@pytest.mark.parametrize("name", sorted(GRID_CASES))
def test_grid_results_unchanged(name):
    stored = pd.read_parquet(GRID / f"{name}.parquet")
    assert len(stored) > 0
    pd.testing.assert_frame_equal(GRID_CASES[name](), stored, check_exact=False, rtol=1e-12, atol=1e-12)



# ---------------------------------------------------------------------- a panel packed beforehand
def panel_cases():
    """(name, stored case it must equal, computation) of assessments of region totals packed once
    by ``pack_totals`` and read by ``assess`` instead of the observations."""
    from childplan_analysis.engine.assess import assess, compare_methods, pack_totals

    grid = cache(lambda: pack_totals(grid_observations()))
    national = cache(lambda: pack_totals(builder().national()))
    yield "grid_linear", GRID, lambda: assess(grid(), grid_plan(), model="linear")
    yield "grid_auto", GRID, lambda: assess(grid(), grid_plan())
    yield "grid_methods_damped", GRID, lambda: compare_methods(grid(), grid_plan(), model="damped")
    yield "grid_sparse_regions", GRID, lambda: assess(grid(), grid_plan(), model="loglinear",
                                                      regions=[f"区县{i:03d}" for i in range(0, 120, 9)]
                                                      + [f"空县{i}" for i in range(40)])
    yield "national_auto", STORED, lambda: assess(national(), builder().national_plan())
    yield "national_as_of_2019", STORED, lambda: assess(national(), builder().national_plan(), as_of=2019)
    yield "national_methods", STORED, lambda: compare_methods(national(), builder().national_plan())
    demo = cache(lambda: pack_totals(builder().demo()))
    plans = [p for p in builder().load_plans(config.PARAMS_DIR) if p.level != "national"]
    for plan in plans:
        yield f"demo_{plan.id}", STORED, lambda plan=plan: assess(demo(), plan)
        yield f"demo_{plan.id}_own_region", STORED, lambda plan=plan: assess(demo(), plan, regions=[plan.region])
    yield "demo_unicef_damped", STORED, lambda: assess(demo(), plans[0], model="damped", method="unicef")
    yield "demo_as_of_2021", STORED, lambda: assess(demo(), plans[0], as_of=2021, level=0.9)


@pytest.mark.parametrize(("name", "folder", "compute"), list(panel_cases()), ids=lambda v: v if isinstance(v, str) else "")
def test_a_packed_panel_gives_the_results_of_its_observations(name, folder, compute):
    stored = pd.read_parquet(folder / f"{name}.parquet")
    pd.testing.assert_frame_equal(compute(), stored, check_exact=False, rtol=1e-12, atol=1e-12)
