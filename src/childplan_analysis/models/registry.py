"""The registry of model families: one interface, looked up by name.

A :class:`ModelFamily` knows how to

- ``fit`` every series of a packed panel at once (a :class:`~.fit.TrendFit`, whose ``predict`` /
  ``quantile`` / ``prob_between`` are the predictive distribution),
- give its ``expanding`` state: forecasts from every origin of a rolling-origin backtest
  (:mod:`.expanding`), and
- say which series it is ``eligible`` for from their natural bounds.

Model choice (:mod:`.select`), ``fit_model`` and ``assess(model=…)`` only iterate or look up this
registry; adding a family is one :func:`register` call (see ``docs/architecture.md``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from childplan_analysis.core.errors import ChildplanError
from childplan_analysis.models.expanding import ExpandingContext, ExpandingState
from childplan_analysis.models.fit import TrendFit
from childplan_analysis.models.panel import SeriesPanel

#: (panel, natural scale per series, upper bounds, lower bounds) → fit of every series.
Fitter = Callable[[SeriesPanel, np.ndarray, np.ndarray, np.ndarray], TrendFit]


def _always(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    return np.ones(len(lower), dtype=bool)


@dataclass(frozen=True)
class ModelFamily:
    """One model family and everything the engine needs from it."""

    name: str
    description: str
    fit: Fitter
    expanding: Callable[[ExpandingContext, np.ndarray], ExpandingState]
    #: (lower, upper) natural bounds per series → may this family be used for the series?
    eligible: Callable[[np.ndarray, np.ndarray], np.ndarray] = _always
    #: Fitting scale of a regression family (``None``: the series' natural scale).
    scale: str | None = None
    #: Regression with ESCAP-style time weights.
    time_weighted: bool = False
    #: Competes in the likelihood choice of very short series (OLS scales).
    likelihood: bool = False

    @property
    def is_regression(self) -> bool:
        return self.scale is not None

    def fitting_scale(self, natural_scale: np.ndarray) -> np.ndarray:
        """Scale the family fits each series on."""
        natural_scale = np.asarray(natural_scale)
        return natural_scale if self.scale is None else np.full(natural_scale.shape, self.scale)


_REGISTRY: dict[str, ModelFamily] = {}


class UnknownModelError(ChildplanError, ValueError):
    """A model name that is not registered."""


def register(family: ModelFamily) -> ModelFamily:
    """Add (or replace) a family; its name becomes valid for ``fit_model`` and ``assess(model=…)``."""
    _REGISTRY[family.name] = family
    return family


def families() -> tuple[ModelFamily, ...]:
    """Every registered family, in registration order (the candidates of model choice)."""
    return tuple(_REGISTRY.values())


def model_names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def get_family(name: str) -> ModelFamily:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownModelError(f"unknown model {name!r}; choose one of {', '.join(_REGISTRY)}") from None


def unregister(name: str) -> None:
    """Remove a family (built-ins included); unknown names are ignored."""
    _REGISTRY.pop(name, None)
