"""The indicator dictionary: ids, names, aliases, units, polarity, natural bounds."""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from childplan_analysis.core import config
from childplan_analysis.core.errors import PlanError, UnknownIndicatorError
from childplan_analysis.core.strict_yaml import load_yaml
from childplan_analysis.core.units import canonical_unit

Polarity = Literal["lower", "higher", "neutral"]
Domain = Literal[
    "health",
    "safety",
    "education",
    "welfare",
    "family",
    "environment",
    "law",
    "economy",
    "decision",
    "social_security",
]
DOMAINS: tuple[str, ...] = get_args(Domain)
DOMAIN_LABELS: dict[str, dict[str, str]] = {
    "health": {"zh": "健康", "en": "Health"},
    "safety": {"zh": "安全", "en": "Safety"},
    "education": {"zh": "教育", "en": "Education"},
    "welfare": {"zh": "福利", "en": "Welfare"},
    "family": {"zh": "家庭", "en": "Family"},
    "environment": {"zh": "环境", "en": "Environment"},
    "law": {"zh": "法律保护", "en": "Legal protection"},
    "economy": {"zh": "经济", "en": "Economy"},
    "decision": {"zh": "参与决策和管理", "en": "Decision-making"},
    "social_security": {"zh": "社会保障", "en": "Social security"},
}


class Indicator(BaseModel):
    """One monitored indicator."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str
    aliases: tuple[str, ...] = ()
    unit: str
    polarity: Polarity
    bounds: tuple[float | None, float | None] = (None, None)
    domain: Domain
    population: Literal["children", "women", "both"] = "children"

    def name(self, lang: str = "zh") -> str:
        """Display name in ``lang`` (``zh`` or ``en``)."""
        return self.name_en if lang == "en" else self.name_zh


_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]", "《": "", "》": "", "〈": "", "〉": ""})
_UNIT_SUFFIX = re.compile(r"\((?:%|‰|‰|1/10万|1/万|/10万|个|名|张|岁|年)\)$")


def normalize_name(name: str) -> str:
    """Normalise an indicator name for matching: NFKC, unified brackets, no spaces/units.

    >>> normalize_name(" 婴儿死亡率（‰） ")
    '婴儿死亡率'
    """
    text = unicodedata.normalize("NFKC", str(name)).translate(_BRACKETS)
    text = re.sub(r"\s+", "", text)
    text = text.replace("～", "-").replace("~", "-").replace("—", "-").replace("–", "-")
    text = re.sub(r"(?<=\d)(?:至|到)(?=\d+岁)", "-", text)  # 0至6岁 → 0-6岁
    text = text.replace("(助理)医生", "(助理)医师")
    return _UNIT_SUFFIX.sub("", text)


#: Words that name the same population, profession or measure in indicator names (妇女/女性,
#: 医师/医生, 期望寿命/预期寿命): a name not found as written is looked up with the other word of
#: each pair.
NAME_SYNONYMS = (("妇女", "女性"), ("医生", "医师"), ("期望寿命", "预期寿命"))


def synonym_variants(key: str) -> list[str]:
    """``key`` with each synonym pair's word swapped for the other, where it holds one."""
    variants = []
    for a, b in NAME_SYNONYMS:
        for x, y in ((a, b), (b, a)):
            if x in key:
                variants.append(key.replace(x, y))
    return variants


class IndicatorDictionary:
    """Look-up of indicators by id, Chinese name or alias."""

    def __init__(self, indicators: list[Indicator], source: str = "<memory>"):
        self.source = source
        self.by_id: dict[str, Indicator] = {}
        self._by_name: dict[str, str] = {}
        for ind in indicators:
            if ind.id in self.by_id:
                raise PlanError(source, [(f"indicators.{ind.id}", "duplicate indicator id")])
            self.by_id[ind.id] = ind
        for ind in indicators:
            for name in (ind.id, ind.name_zh, ind.name_en, *ind.aliases):
                key = normalize_name(name)
                other = self._by_name.get(key)
                if other is not None and other != ind.id:
                    raise PlanError(
                        source,
                        [(f"indicators.{ind.id}", f"name {name!r} also used by {other!r}")],
                    )
                self._by_name[key] = ind.id

    def __contains__(self, key: str) -> bool:
        return self.find(key) is not None

    def __iter__(self):
        return iter(self.by_id.values())

    def __len__(self) -> int:
        return len(self.by_id)

    def find(self, name: str) -> Indicator | None:
        """The indicator called ``name`` (id, Chinese name or alias), or None."""
        if name in self.by_id:
            return self.by_id[name]
        key = normalize_name(name)
        ind_id = self._by_name.get(key)
        if ind_id is None:
            ind_id = next((self._by_name[v] for v in synonym_variants(key) if v in self._by_name), None)
        return self.by_id[ind_id] if ind_id else None

    def display_name(self, ind_id: str, lang: str = "zh") -> str:
        """The name of indicator ``ind_id`` in ``lang`` (the id itself when unknown)."""
        ind = self.by_id.get(str(ind_id))
        return ind.name(lang) if ind is not None else str(ind_id)

    def resolve(self, name: str) -> Indicator:
        """The indicator called ``name``; :class:`UnknownIndicatorError` with close matches."""
        found = self.find(name)
        if found is None:
            raise UnknownIndicatorError(str(name), self.suggest(str(name)))
        return found

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Up to ``n`` known names close to ``name``."""
        key = normalize_name(name)
        names = list(self._by_name)
        close = difflib.get_close_matches(key, names, n=n, cutoff=0.5)
        return [f"{c} ({self._by_name[c]})" for c in close]


#: Environment variable naming the analyst's own indicator dictionary (YAML in the
#: ``params/indicators.yaml`` format), added to the package's wherever it is loaded by default.
OWN_INDICATORS_ENV = "CHILDPLAN_INDICATORS"


def load_indicators(path: str | Path | None = None) -> IndicatorDictionary:
    """Read the indicator dictionary (``params/indicators.yaml`` by default).

    Without ``path``, the file named by ``$CHILDPLAN_INDICATORS`` (the analyst's own entries;
    set by the CLI's ``--indicators``) is added to the package dictionary, an entry with a
    known id replacing the package's (:func:`merge_indicators`)."""
    if path:
        path = Path(path)
        return _load_cached(str(path.resolve()), path.stat().st_mtime_ns)
    base = config.INDICATORS_FILE
    own = os.environ.get(OWN_INDICATORS_ENV, "").strip()
    if not own:
        return _load_cached(str(base.resolve()), base.stat().st_mtime_ns)
    own_path = Path(own)
    if not own_path.is_file():
        raise PlanError(own, [("<file>", f"indicator dictionary not found (named by {OWN_INDICATORS_ENV})")])
    return _merged_cached(
        str(base.resolve()), base.stat().st_mtime_ns, str(own_path.resolve()), own_path.stat().st_mtime_ns
    )


def merge_indicators(base: IndicatorDictionary, own: IndicatorDictionary) -> IndicatorDictionary:
    """``base`` with the entries of ``own`` added; an entry with a known id replaces the base
    entry. A name used by two indicators raises :class:`PlanError` naming both sources."""
    merged = {ind.id: ind for ind in base}
    merged.update({ind.id: ind for ind in own})
    return IndicatorDictionary(list(merged.values()), source=f"{base.source} + {own.source}")


@lru_cache(maxsize=8)
def _merged_cached(base: str, base_mtime: int, own: str, own_mtime: int) -> IndicatorDictionary:
    return merge_indicators(_load_cached(base, base_mtime), _load_cached(own, own_mtime))


@lru_cache(maxsize=8)
def _load_cached(path: str, _mtime: int) -> IndicatorDictionary:
    with open(path, encoding="utf-8") as fh:
        try:
            raw = load_yaml(fh) or {}
        except yaml.YAMLError as exc:
            raise PlanError(path, [("<file>", f"not valid YAML: {exc}")]) from None
    entries = raw.get("indicators") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise PlanError(path, [("indicators", "expected a list of indicators")])
    items: list[Indicator] = []
    problems: list[tuple[str, str]] = []
    for i, entry in enumerate(entries):
        try:
            ind = Indicator.model_validate(entry)
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"])
                problems.append((f"indicators[{i}].{loc}", err["msg"]))
            continue
        items.append(ind.model_copy(update={"unit": canonical_unit(ind.unit) or ind.unit}))
    if problems:
        raise PlanError(path, problems)
    return IndicatorDictionary(items, source=path)
