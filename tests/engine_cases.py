"""Synthetic county data and a plan that reach every branch of the engine at once: several
targets per indicator (level, range, maintain, relative, direction and annual-rate comparators),
short, stale and missing series, censored values (the latest one among them), breakdown rows,
breaks in series, and key columns given as categoricals or sorted. ``tests/test_engine_equivalence.py``
compares the engine's results on them with those stored in ``tests/data/engine_equivalence_extra``.

Rewrite the stored results (only when a change of results is intended)::

    python scripts/build_engine_fixture.py
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from childplan_analysis.catalog.plans import Plan, plan_from_dict
from childplan_analysis.engine.assess import assess, compare_methods

STORED = Path(__file__).resolve().parent / "data" / "engine_equivalence_extra"
YEARS = np.arange(2011, 2024)

#: indicator: (start, yearly change, noise sd, share of values missing)
SHAPES = {
    "infant_mortality": (9.0, -0.45, 0.25, 0.1),
    "maternal_mortality": (30.0, -1.2, 2.0, 0.2),
    "immunization_coverage": (92.0, 0.5, 0.6, 0.1),
    "preschool_gross_enrolment": (80.0, 1.5, 1.2, 0.15),
    "physical_fitness_good_rate": (40.0, 0.3, 3.0, 0.1),
    "child_injury_mortality": (14.0, -0.5, 0.6, 0.1),
    "sex_ratio_at_birth": (118.0, -0.6, 0.8, 0.1),
    "low_birth_weight": (3.5, 0.05, 0.15, 0.1),
}

TARGETS = [
    {"id": "imr_lt", "indicator": "infant_mortality", "comparator": "<", "value": 4.5},
    {"id": "imr_2025", "indicator": "infant_mortality", "comparator": "<=", "value": 5.0, "year": 2025},
    {"id": "imr_rel", "indicator": "infant_mortality", "comparator": "relative_decrease_pct", "value": 20,
     "baseline_year": 2020},
    {"id": "imr_rate", "indicator": "infant_mortality", "comparator": "annual_decrease_pct", "value": 3},
    {"id": "mmr_lt", "indicator": "maternal_mortality", "comparator": "<", "value": 12},
    {"id": "mmr_down", "indicator": "maternal_mortality", "comparator": "decrease"},
    {"id": "imm_ge", "indicator": "immunization_coverage", "comparator": ">=", "value": 95},
    {"id": "imm_keep", "indicator": "immunization_coverage", "comparator": "maintain_ge", "value": 90},
    {"id": "pre_gt", "indicator": "preschool_gross_enrolment", "comparator": ">", "value": 90},
    {"id": "pre_pts", "indicator": "preschool_gross_enrolment", "comparator": "annual_increase_pts", "value": 1},
    {"id": "fit_up", "indicator": "physical_fitness_good_rate", "comparator": "increase"},
    {"id": "fit_ge", "indicator": "physical_fitness_good_rate", "comparator": ">=", "value": 60},
    {"id": "inj_rel", "indicator": "child_injury_mortality", "comparator": "relative_decrease_pct", "value": 15,
     "baseline_year": 2019},
    {"id": "inj_pts", "indicator": "child_injury_mortality", "comparator": "annual_decrease_pts", "value": 0.3},
    {"id": "srb_range", "indicator": "sex_ratio_at_birth", "comparator": "range", "value": 103, "value_high": 107},
    {"id": "lbw_keep", "indicator": "low_birth_weight", "comparator": "maintain"},
    {"id": "lbw_le", "indicator": "low_birth_weight", "comparator": "<", "value": 4},
]


@cache
def observations() -> pd.DataFrame:
    """Totals of 30 counties plus breakdown rows; some series short, stale, broken or censored."""
    rng = np.random.default_rng(16)
    regions = [f"测试县{i:02d}" for i in range(30)]
    t = YEARS - YEARS[0]
    frames = []
    for ind, (start, change, sd, missing) in SHAPES.items():
        base = start * rng.uniform(0.85, 1.15, len(regions))
        slope = change * rng.uniform(0.2, 1.8, len(regions))
        values = base[:, None] + slope[:, None] * t + rng.normal(0, sd, (len(regions), len(t)))
        values[rng.random(values.shape) < missing] = np.nan
        values[3, :-2] = np.nan  # two values: judged on the latest one, trend borrowed
        values[4, 4:] = np.nan  # stale: nothing after 2014
        values[5, :] = np.nan  # no data at all
        values[6, 7:] += 8 * sd + abs(start) * 0.2  # a break
        if ind == "maternal_mortality":
            values[7:9, 2] = 0.0  # zero values (growth-rate methods divide by them)
        values = np.clip(values, 0.01, None)
        r, j = np.nonzero(~np.isnan(values))
        frames.append(pd.DataFrame({"region": np.asarray(regions)[r], "indicator": ind, "year": YEARS[j],
                                    "value": values[r, j]}))
    obs = pd.concat(frames, ignore_index=True)
    obs["censor"] = ""
    obs["sex"] = obs["area"] = obs["age_group"] = "total"
    obs["subregion"] = ""
    cov = obs["indicator"] == "immunization_coverage"
    obs.loc[cov & (obs["region"] == "测试县10"), "censor"] = ">"  # every value a bound
    last = cov & (obs["region"] == "测试县11") & (obs["year"] == obs.loc[cov, "year"].max())
    obs.loc[last, ["value", "censor"]] = [99.0, ">="]  # the latest value a bound
    low = (obs["indicator"] == "infant_mortality") & (obs["region"] == "测试县12") & (obs["year"] >= 2021)
    obs.loc[low, "censor"] = "<"
    girls = obs[obs["indicator"].isin(["infant_mortality", "immunization_coverage"])].assign(sex="female")
    girls["value"] *= 0.95
    town = obs[obs["indicator"] == "preschool_gross_enrolment"].assign(subregion="某镇")
    return pd.concat([obs, girls, town], ignore_index=True).sample(frac=1.0, random_state=3, ignore_index=True)


def plan() -> Plan:
    targets = [{"year": 2030, **t} for t in TARGETS]
    return plan_from_dict({"id": "county_cases", "title": "测试规划", "region": "测试县00", "level": "county",
                           "period": [2021, 2030], "targets": targets})


def categorical() -> pd.DataFrame:
    """The same observations with every text column categorical."""
    obs = observations().copy()
    for col in ("region", "indicator", "censor", "sex", "area", "age_group", "subregion"):
        obs[col] = obs[col].astype("category")
    return obs


def sorted_by_key() -> pd.DataFrame:
    """The same observations sorted by region, indicator and year, as loaders give them."""
    return observations().sort_values(["region", "indicator", "year", "sex"], kind="stable", ignore_index=True)


def cases() -> Iterator[tuple[str, Callable[[], pd.DataFrame]]]:
    """(name, computation) of every stored case; names are file stems."""
    yield "county_auto", lambda: assess(observations(), plan())
    yield "county_linear", lambda: assess(observations(), plan(), model="linear")
    yield "county_logit_as_of_2019", lambda: assess(observations(), plan(), as_of=2019, model="logit", level=0.9)
    yield "county_methods", lambda: compare_methods(observations(), plan())
    yield "county_some_regions", lambda: assess(observations(), plan(), regions=["测试县03", "测试县06", "测试县11",
                                                                                 "不在数据中的县"])
    yield "county_eurostat_damped", lambda: assess(observations(), plan(), model="damped", method="eurostat")
    yield "county_breakdowns_only", lambda: assess(observations()[observations()["sex"] != "total"], plan())


#: Cases computed from the same data given otherwise: (name, stored case they must equal, computation).
SAME_AS = [
    ("county_auto_categorical", "county_auto", lambda: assess(categorical(), plan())),
    ("county_linear_sorted", "county_linear", lambda: assess(sorted_by_key(), plan(), model="linear")),
]
