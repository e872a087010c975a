"""Report building blocks: localized tables, notebook execution, HTML/PDF/Excel export, index page.

Tables take an assessment frame (:func:`~childplan_analysis.engine.assess.assess`) and return frames
with localized headings; columns the engine may or may not provide (``observed_rate``,
``required_rate``, …) are used when present.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from childplan_analysis.catalog.plans import Plan
from childplan_analysis.core import config
from childplan_analysis.core.indicators import DOMAIN_LABELS, IndicatorDictionary, load_indicators
from childplan_analysis.core.targets import (
    DIRECTION_COMPARATORS,
    LEVEL_COMPARATORS,
    NEEDS_BASELINE,
    RATE_COMPARATORS,
)
from childplan_analysis.engine.assess import STATUSES, WARNINGS, attainment_rate
from childplan_analysis.io.fileio import atomic_write, atomic_write_bytes, atomic_write_text
from childplan_analysis.io.safety import excel_safe_frame, safe_join
from childplan_analysis.report.labels import (
    attribute_label,
    explain_warnings,
    fmt_number,
    fmt_rate,
    fmt_value,
    level_label,
    model_label,
    reason_label,
    status_label,
    t,
    unit_digits,
)
from childplan_analysis.report.sources import source_notes

_EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\ssrc=\"https?://[^\"]*\"[^>]*>\s*</script>", re.I)
_EXTERNAL_LINK = re.compile(r"<link[^>]*\shref=\"https?://[^\"]*\"[^>]*>", re.I)
REPORT_NOTEBOOK = config.NOTEBOOKS_DIR / "region_report.ipynb"
EVALUATION_NOTEBOOK = config.NOTEBOOKS_DIR / "evaluation.ipynb"
DASHBOARD_NOTEBOOK = config.NOTEBOOKS_DIR / "dashboard.ipynb"
SCORECARD_COLUMNS = [
    "domain", "indicator", "target", "last_year", "last_value", "projected", "p_meet", "status",
    "warning_level", "warnings", "responsible",
]
LEVELS = ("red", "yellow", "green")
#: Fill colours (Excel and HTML) for statuses and warning levels.
STATUS_FILLS = {
    "achieved": "C7E9C0", "on_track": "E5F5E0", "acceleration_needed": "FEE6CE",
    "regressing": "FCBBA1", "insufficient_data": "EEEEEE",
}
LEVEL_FILLS = {"red": "F4A582", "yellow": "FEE08B", "green": "D9F0D3"}
_UNIT_SPLIT = re.compile(r"[、,，;；/]+")


def _col(results: pd.DataFrame, name: str) -> pd.Series:
    """Column ``name`` of ``results``, or NaN when the engine does not provide it."""
    return results[name] if name in results else pd.Series(np.nan, index=results.index)


def warning_text(codes: str, lang: str = "zh") -> str:
    """Warning codes (``off_track;volatile``) as words."""
    sep = "; " if lang == "en" else "；"
    return sep.join(WARNINGS[c][lang] if c in WARNINGS else c for c in str(codes).split(";") if c)


def domain_label(domain: object, lang: str = "zh") -> str:
    """A domain id (``health``) in words."""
    return DOMAIN_LABELS.get(str(domain), {}).get(lang, str(domain))


def _indicator_name(indicators: IndicatorDictionary, ind: str, lang: str) -> str:
    return indicators.by_id[ind].name(lang) if ind in indicators.by_id else str(ind)


def _target_text(plan: Plan | None, target_id: str, lang: str) -> str:
    if plan is None:
        return target_id
    try:
        return plan.target(target_id).describe(lang)
    except KeyError:
        return target_id


def scorecard(
    results: pd.DataFrame,
    plan: Plan,
    lang: str = "zh",
    indicators: IndicatorDictionary | None = None,
) -> pd.DataFrame:
    """The assessment as a readable table with localized headings and labels."""
    indicators = indicators or load_indicators()
    units, comparators = _col(results, "unit").fillna(""), _col(results, "comparator").fillna("")
    frame = pd.DataFrame(
        {
            "region": results["region"],
            "domain": results["domain"].map(lambda d: domain_label(d, lang)),
            "indicator": results["indicator"].map(lambda i: _indicator_name(indicators, i, lang)),
            "target": results["target_id"].map(lambda i: _target_text(plan, i, lang)),
            "attribute": _col(results, "attribute").map(lambda a: attribute_label(a, lang)),
            "last_year": results["last_year"].map(lambda y: "" if pd.isna(y) else str(int(y))),
            "last_value": [fmt_value(v, u) for v, u in zip(results["last_value"], units, strict=True)],
            "projected": [fmt_value(v, u) for v, u in zip(results["projected"], units, strict=True)],
            "p_meet": [_p_meet(p, s) for p, s in zip(results["p_meet"], results["status"], strict=True)],
            "observed_rate": [fmt_rate(x, u, c, lang) for x, u, c in
                              zip(_col(results, "observed_rate"), units, comparators, strict=True)],
            "required_rate": [fmt_rate(x, u, c, lang) for x, u, c in
                              zip(_col(results, "required_rate"), units, comparators, strict=True)],
            "status": results["status"].map(lambda s: status_label(s, lang)),
            "warning_level": results["warning_level"].map(lambda s: level_label(s, lang)),
            "warnings": results["warnings"].map(lambda w: warning_text(w, lang)),
            "responsible": results["responsible"],
            "reason": _col(results, "reason").map(lambda r: reason_label(r, lang)),
        }
    )
    return frame.rename(columns={c: t(c, lang) for c in frame.columns})


def _p_meet(p: object, status: object) -> str:
    """达标概率 as a percentage; empty for an achieved target (its probability is moot)."""
    return "" if pd.isna(p) or status == "achieved" else f"{float(p):.0%}"


AT_RISK_STATUSES = ("acceleration_needed", "regressing")


def overview(results: pd.DataFrame, plan: Plan | None = None, lang: str = "zh",
             indicators: IndicatorDictionary | None = None) -> list[str]:
    """The report's opening summary (总体情况) as sentences: targets by status, 达标率 with its
    denominator and the targets that cannot be monitored, and the red warnings by indicator and
    responsible unit."""
    indicators = indicators or load_indicators()
    zh = lang != "en"
    status = results["status"]
    n, met, on_track = len(results), int(status.eq("achieved").sum()), int(status.eq("on_track").sum())
    risk = int(status.isin(AT_RISK_STATUSES).sum())
    no_data = int(status.eq("insufficient_data").sum())
    monitorable = n - no_data
    rate = f"{met / monitorable:.1%}" if monitorable else "—"
    regions = results["region"].nunique()
    where = f"{regions}个地区的" if zh and regions > 1 else f" across {regions} regions" if regions > 1 else ""
    if zh:
        lines = [f"本期共监测{where}{n}项目标：已达标{met}项，按期可达标{on_track}项，达标困难{risk}项"
                 f"（需加快进度{int(status.eq('acceleration_needed').sum())}项、逆向变化"
                 f"{int(status.eq('regressing').sum())}项），无法监测{no_data}项。",
                 f"达标率 {rate}（{met}/{monitorable} 项可监测目标；另有 {no_data} 项无法监测）。"]
    else:
        lines = [f"{n} targets monitored{where}: {met} achieved, {on_track} on track, {risk} at risk "
                 f"({int(status.eq('acceleration_needed').sum())} need faster progress, "
                 f"{int(status.eq('regressing').sum())} moving away), {no_data} cannot be monitored.",
                 f"Attainment rate {rate} ({met}/{monitorable} monitorable targets; "
                 f"{no_data} more cannot be monitored)."]
    red = results[results["warning_level"].eq("red")]
    if len(red):
        groups: dict[str, list[str]] = {}
        for _, r in red.iterrows():
            name = _indicator_name(indicators, r["indicator"], lang)
            if regions > 1:
                name = f"{r['region']}·{name}" if zh else f"{r['region']} · {name}"
            for unit in _split_units(r.get("responsible")):
                groups.setdefault(unit or t("unassigned", lang).strip("（）()"), []).append(name)
        if zh:
            lines.append(f"红色预警{len(red)}项：" + "；".join(f"{u}——{'、'.join(v)}" for u, v in groups.items()) + "。")
        else:
            lines.append(f"{len(red)} red warnings: " + "; ".join(f"{u}: {', '.join(v)}" for u, v in groups.items()) + ".")
    else:
        lines.append("本期无红色预警。" if zh else "No red warnings this period.")
    yellow = int(results["warning_level"].eq("yellow").sum())
    lines.append(f"黄色预警{yellow}项。" if zh else f"{yellow} yellow warnings.")
    return lines


def status_counts(results: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Number and share of targets per status."""
    order = list(STATUSES) + sorted(set(results["status"]) - set(STATUSES))
    counts = results["status"].value_counts().reindex(order, fill_value=0)
    total = max(int(counts.sum()), 1)
    return pd.DataFrame({t("status", lang): [status_label(s, lang) for s in order],
                         t("n", lang): counts.to_numpy(),
                         "%": [f"{c / total:.0%}" for c in counts]})


def level_counts(results: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Number of targets per warning level, and how often each warning was raised."""
    levels = results["warning_level"].value_counts().reindex(LEVELS, fill_value=0)
    codes = results["warnings"].fillna("").str.split(";").explode()
    codes = codes[codes != ""].value_counts()
    rows = [(t("warning_level", lang), level_label(lv, lang), int(levels[lv])) for lv in LEVELS]
    rows += [(t("warnings", lang), WARNINGS.get(c, {}).get(lang, c), int(n)) for c, n in codes.items()]
    return pd.DataFrame(rows, columns=[t("kind", lang), t("item", lang), t("n", lang)])


def _split_units(text: object) -> list[str]:
    units = [u.strip() for u in _UNIT_SPLIT.split(str(text or "")) if u.strip()]
    return units or [""]


def warnings_by_responsible(
    results: pd.DataFrame,
    plan: Plan | None = None,
    lang: str = "zh",
    indicators: IndicatorDictionary | None = None,
) -> pd.DataFrame:
    """Every warned target under each responsible unit (责任单位), with the reason in words.

    A target shared by several units appears under each. Red before yellow, then by indicator.
    """
    indicators = indicators or load_indicators()
    warned = results[(results["warnings"].fillna("") != "") | results["warning_level"].eq("red")]
    rows = []
    for _, r in warned.iterrows():
        for unit in _split_units(r.get("responsible")):
            rows.append({
                "responsible": unit or t("unassigned", lang),
                "region": r["region"],
                "indicator": _indicator_name(indicators, r["indicator"], lang),
                "target": _target_text(plan, r["target_id"], lang),
                "last_value": fmt_value(r.get("last_value"), r.get("unit")) + (
                    f" ({int(r['last_year'])})" if pd.notna(r.get("last_year")) else ""),
                "warning_level": r["warning_level"],
                "warnings": warning_text(r["warnings"], lang),
                "reason": explain_warnings(r, lang),
            })
    columns = ["responsible", "region", "indicator", "target", "last_value", "warning_level", "warnings", "reason"]
    frame = pd.DataFrame(rows, columns=columns)
    rank = {lv: i for i, lv in enumerate(LEVELS)}
    frame = frame.assign(_rank=frame["warning_level"].map(rank),
                         _none=frame["responsible"].eq(t("unassigned", lang))).sort_values(
        ["_none", "responsible", "_rank", "indicator"], kind="stable").drop(columns=["_rank", "_none"])
    frame["warning_level"] = frame["warning_level"].map(lambda s: level_label(s, lang))
    return frame.reset_index(drop=True).rename(columns={c: t(c, lang) for c in columns})


def data_quality_notes(observations: pd.DataFrame, results: pd.DataFrame, lang: str = "zh") -> list[str]:
    """Plain-language notes on the data behind a report: rejected rows, gaps, old or short series."""
    zh = lang != "en"
    notes: list[str] = []
    rejected = observations.attrs.get("rejected")
    if rejected is not None and len(rejected):
        top = rejected["reason"].astype(str).str.replace(r"\(.*", "", regex=True).value_counts().head(3)
        detail = "；".join(f"{r}（{n}行）" if zh else f"{r} ({n} rows)" for r, n in top.items())
        notes.append(f"输入数据中有{len(rejected)}行未载入，主要原因：{detail}。请运行 `childplan validate` 查看逐行说明。"
                     if zh else f"{len(rejected)} input rows were not loaded; main reasons: {detail}. "
                     "Run `childplan validate` for the row-by-row list.")
    n = len(results)
    no_data = results[results["n_points"].fillna(0) == 0]
    if len(no_data):
        notes.append(f"{len(no_data)}项目标（共{n}项）没有任何监测数据，无法评估。" if zh
                     else f"{len(no_data)} of {n} targets have no data at all and cannot be assessed.")
    short = results[(results["status"] == "insufficient_data") & (results["n_points"].fillna(0) > 0)]
    if len(short):
        reasons = short["reason"].map(lambda r: reason_label(r, lang)).replace("", np.nan).dropna()
        kinds = "；".join(f"{r}（{n}项）" if zh else f"{r} ({n})" for r, n in reasons.value_counts().head(4).items())
        notes.append(f"{len(short)}项目标有数据但不足以评估：{kinds}。" if zh
                     else f"{len(short)} targets have data but not enough to assess: {kinds}.")
    points = results["n_points"].fillna(0)
    judged = results[(results["status"] != "insufficient_data") & (points > 0) & (points < config.MIN_POINTS)]
    if len(judged):
        counts = judged["n_points"].astype(int).value_counts().sort_index()
        kinds = "；".join(f"仅有{k}年数据（{v}项）" if zh else f"only {k} year(s) of data ({v})" for k, v in counts.items())
        notes.append(f"{len(judged)}项目标数据年份过少，按最新值判断是否达标，未作趋势预测或借用同类地区趋势：{kinds}。"
                     if zh else f"{len(judged)} targets have too few years for a trend of their own and are judged "
                     f"on their latest value: {kinds}.")
    stale = results["warnings"].fillna("").str.contains("stale_data")
    if stale.any():
        notes.append(f"{int(stale.sum())}项目标的最新数据距评估年份已超过{config.STALE_AFTER}年。" if zh
                     else f"{int(stale.sum())} targets have no value in the last {config.STALE_AFTER} years.")
    few = results[(results["n_points"] >= config.MIN_POINTS) & (results["n_points"] < 5)]
    if len(few):
        notes.append(f"{len(few)}项目标的预测仅基于3–4年数据，区间较宽，结论应审慎使用。" if zh
                     else f"{len(few)} projections rest on only 3–4 years of data; their intervals are wide.")
    if len(observations) and "source" in observations:
        sources = observations["source"].astype(str).replace("", np.nan).dropna().nunique()
        years = observations["year"]
        notes.append(f"共载入{len(observations)}条观测值（{int(years.min())}—{int(years.max())}年），来源{sources}个。"
                     if zh else f"{len(observations)} observations loaded ({int(years.min())}–{int(years.max())}), "
                     f"from {sources} sources.")
    regions = results["region"].dropna().unique() if "region" in results and len(results) else None
    notes.extend(source_notes(observations, lang, regions))
    return notes


def attainment_table(results: pd.DataFrame, by: str | None = None, lang: str = "zh") -> pd.DataFrame:
    """达标率 (achieved ÷ monitorable targets) overall or by ``domain`` / ``attribute``, localized."""
    if by is None:
        table = attainment_rate(results)
        key = table.columns[0]
        table[key] = t("overall", lang)
    else:
        key = by
        table = attainment_rate(results.assign(**{by: _col(results, by).fillna("")}), by)
        if by == "domain":
            table[by] = table[by].map(lambda x: domain_label(x, lang))
        elif by == "attribute":
            table[by] = table[by].map(lambda x: attribute_label(x, lang))
    table["attainment_rate"] = table["attainment_rate"].map(lambda r: "—" if pd.isna(r) else f"{r:.1%}")
    shown = ("targets", "monitorable", "achieved", "attainment_rate")
    names = {key: t(by or "item", lang)} | {c: t(c, lang) for c in shown}
    return table[[key, *shown]].rename(columns=names)


def met_early(results: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """Targets already achieved before their target year (提前达标)."""
    return results[(results["status"] == "achieved") & (results["target_year"] > as_of)]


def at_risk(results: pd.DataFrame) -> pd.DataFrame:
    """Targets expected to be missed: ``off_track`` warning, or acceleration needed."""
    warned = results["warnings"].fillna("").str.contains("off_track")
    return results[warned | results["status"].isin(["acceleration_needed", "regressing"])]


def regressing(results: pd.DataFrame) -> pd.DataFrame:
    """Targets whose indicator moves away from the target (逆向变化)."""
    return results[(results["status"] == "regressing") | results["warnings"].fillna("").str.contains("regressing")]


def target_list(rows: pd.DataFrame, plan: Plan | None, lang: str = "zh",
                indicators: IndicatorDictionary | None = None) -> pd.DataFrame:
    """A short table of targets (region, indicator, target, latest value, status, reason in words)."""
    indicators = indicators or load_indicators()
    frame = pd.DataFrame({
        "region": rows["region"],
        "indicator": rows["indicator"].map(lambda i: _indicator_name(indicators, i, lang)),
        "target": rows["target_id"].map(lambda i: _target_text(plan, i, lang)),
        "last_value": [fmt_value(v, u) + (f" ({int(y)})" if pd.notna(y) else "")
                       for v, u, y in zip(rows["last_value"], _col(rows, "unit"), rows["last_year"], strict=True)],
        "p_meet": [_p_meet(p, s) for p, s in zip(rows["p_meet"], rows["status"], strict=True)],
        "status": rows["status"].map(lambda s: status_label(s, lang)),
        "reason": [explain_warnings(r, lang) for _, r in rows.iterrows()],
    })
    return frame.rename(columns={c: t(c, lang) for c in frame.columns}).reset_index(drop=True)


def region_ranking(results: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Regions ranked by warnings: red targets, then warnings raised, then yellow targets
    (which include those without enough data); with 达标率."""
    frame = results.assign(
        red=results["warning_level"].eq("red"), yellow=results["warning_level"].eq("yellow"),
        n_warn=results["warnings"].fillna("").str.split(";").map(lambda x: len([c for c in x if c])),
        achieved=results["status"].eq("achieved"), monitorable=results["status"].ne("insufficient_data"),
    )
    table = frame.groupby("region", sort=False).agg(
        red=("red", "sum"), yellow=("yellow", "sum"), warning_count=("n_warn", "sum"),
        achieved=("achieved", "sum"), monitorable=("monitorable", "sum"), targets=("target_id", "size"))
    table["rate"] = table["achieved"] / table["monitorable"].where(table["monitorable"] > 0)
    table = table.sort_values(["red", "warning_count", "yellow", "rate"], ascending=[False, False, False, True],
                              kind="stable").reset_index()
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    table["rate"] = table["rate"].map(lambda r: "—" if pd.isna(r) else f"{r:.1%}")
    names = {"rate": "attainment_rate"}
    return table.rename(columns=lambda c: t(names.get(c, c), lang))


# ------------------------------------------------------------------ comparisons with the level above


def find_plan(plan_id: str, folder: str | Path = config.PARAMS_DIR) -> Path | None:
    """The catalog file in ``folder`` whose ``id`` is ``plan_id`` (``<id>.yaml`` tried first)."""
    import yaml

    folder = Path(folder)
    direct = folder / f"{plan_id}.yaml"
    candidates = [direct] if direct.is_file() else []
    candidates += [p for p in sorted(folder.glob("*.yaml")) if p != direct and p.name != "indicators.yaml"]
    for path in candidates:
        try:
            with open(path, encoding="utf-8") as fh:
                head = yaml.safe_load(fh)
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            continue
        if isinstance(head, dict) and head.get("id") == plan_id:
            return path
    return None


def _strictness(local, parent) -> str:
    """``stricter`` / ``same`` / ``looser`` / ``""`` for two level targets of one indicator."""
    if (local.comparator not in LEVEL_COMPARATORS or parent.comparator not in LEVEL_COMPARATORS
            or local.comparator in NEEDS_BASELINE or parent.comparator in NEEDS_BASELINE):
        return ""
    lo, hi = local.level_bounds()
    plo, phi = parent.level_bounds()
    if local.desired_direction < 0 and np.isfinite(hi) and np.isfinite(phi):
        return "same" if np.isclose(hi, phi) else "stricter" if hi < phi else "looser"
    if local.desired_direction > 0 and np.isfinite(lo) and np.isfinite(plo):
        return "same" if np.isclose(lo, plo) else "stricter" if lo > plo else "looser"
    return ""


_STRICTNESS = {"stricter": {"zh": "高于上级要求", "en": "stricter"}, "same": {"zh": "与上级一致", "en": "same"},
               "looser": {"zh": "低于上级要求", "en": "looser"}, "": {"zh": "", "en": ""}}


def parent_comparison(
    results: pd.DataFrame,
    plan: Plan,
    parent: Plan | None,
    observations: pd.DataFrame | None = None,
    lang: str = "zh",
    indicators: IndicatorDictionary | None = None,
) -> pd.DataFrame:
    """Each target beside the parent plan's target for the same indicator and the parent
    region's latest value where the data have it. Empty when there is no parent plan."""
    indicators = indicators or load_indicators()
    if parent is None:
        return pd.DataFrame()
    by_ind: dict[str, list] = {}
    for tg in parent.targets:
        by_ind.setdefault(tg.indicator, []).append(tg)
    parent_latest = _latest_values(observations, parent.region) if observations is not None else {}
    rows = []
    for _, r in results.iterrows():
        cands = by_ind.get(r["indicator"], [])
        if not cands and r["indicator"] not in parent_latest:
            continue
        local = plan.target(r["target_id"])
        ptg = min(cands, key=lambda p: (abs(p.year - local.year), -p.year)) if cands else None
        meets_parent = ""
        if ptg is not None and pd.notna(r["last_value"]) and ptg.comparator not in _baseline_comparators():
            try:
                ok = ptg.meets(float(r["last_value"]))
                meets_parent = ("yes" if ok else "no") if lang == "en" else ("是" if ok else "否")
            except ValueError:
                meets_parent = ""
        pv = parent_latest.get(r["indicator"])
        rows.append({
            "region": r["region"],
            "indicator": _indicator_name(indicators, r["indicator"], lang),
            "target": local.describe(lang),
            "parent_target": ptg.describe(lang) if ptg else "",
            "comparison": _STRICTNESS[_strictness(local, ptg) if ptg else ""][lang],
            "last_value": fmt_number(r["last_value"]) + (f" ({int(r['last_year'])})" if pd.notna(r["last_year"]) else ""),
            "meets_parent": meets_parent,
            "parent_value": "" if pv is None else f"{fmt_number(pv[1])} ({pv[0]})",
        })
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    names = {"meets_parent": "达到上级目标" if lang == "zh" else "Meets parent target"}
    return frame.rename(columns=lambda c: names.get(c, t(c, lang)))


def _baseline_comparators() -> frozenset:
    return NEEDS_BASELINE | DIRECTION_COMPARATORS | RATE_COMPARATORS


def _latest_values(observations: pd.DataFrame, region: str) -> dict[str, tuple[int, float]]:
    """Latest total value per indicator for ``region``: ``{indicator: (year, value)}``."""
    o = totals(observations)
    o = o[o["region"] == region].sort_values("year")
    last = o.groupby("indicator").tail(1)
    return {r.indicator: (int(r.year), float(r.value)) for r in last.itertuples()}


def totals(observations: pd.DataFrame) -> pd.DataFrame:
    """Region totals only (no breakdown by sex, area, age group or subregion)."""
    o = observations
    return o[(o["sex"] == "total") & (o["area"] == "total") & (o["age_group"] == "total") & (o["subregion"] == "")]


# ------------------------------------------------------------------ Excel workbook


def write_workbook(
    results: pd.DataFrame,
    path: str | Path,
    plan: Plan,
    lang: str = "zh",
    indicators: IndicatorDictionary | None = None,
) -> Path:
    """Excel workbook of results and warnings: a summary sheet, one sheet per domain and a
    warnings sheet by responsible unit; status and level cells coloured by conditional
    formatting, header frozen, filters on. Written atomically."""
    indicators = indicators or load_indicators()
    card = _numeric_card(results, plan, lang, indicators)
    warn = warnings_by_responsible(results, plan, lang, indicators)
    summary = status_counts(results, lang)
    rates = attainment_table(results, "domain", lang)

    def build(tmp: str) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            summary.to_excel(xw, sheet_name=_sheet_name(t("overall", lang)), index=False)
            excel_safe_frame(rates).to_excel(xw, sheet_name=_sheet_name(t("overall", lang)), index=False,
                           startrow=len(summary) + 2)
            used: set[str] = {_sheet_name(t("overall", lang))}
            for domain in dict.fromkeys(results["domain"]):
                name = _unique_sheet(domain_label(domain, lang), used)
                excel_safe_frame(card[(results["domain"] == domain).to_numpy()]).to_excel(
                    xw, sheet_name=name, index=False)
            excel_safe_frame(warn).to_excel(xw, sheet_name=_unique_sheet(t("warnings", lang), used), index=False)
            for ws in xw.book.worksheets:
                _format_sheet(ws, lang)

    return atomic_write(path, build)


def _numeric_card(results: pd.DataFrame, plan: Plan, lang: str, indicators: IndicatorDictionary) -> pd.DataFrame:
    """The scorecard for Excel: words for codes, but years, values, rates and 达标概率 as numbers
    (values rounded to their unit's precision; 达标概率 a fraction shown as a percentage)."""
    card = scorecard(results, plan, lang, indicators)
    digits = _col(results, "unit").map(unit_digits)
    numeric = {
        "last_year": results["last_year"].astype("Float64"),
        "last_value": [round(v, d) if pd.notna(v) else np.nan for v, d in zip(results["last_value"], digits, strict=True)],
        "projected": [round(v, d) if pd.notna(v) else np.nan for v, d in zip(results["projected"], digits, strict=True)],
        "p_meet": results["p_meet"].where(results["status"].ne("achieved")).round(3),
    }
    for key, values in numeric.items():
        card[t(key, lang)] = pd.Series(values, index=card.index, dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
    card.insert(0, t("target_year", lang), results["target_year"].to_numpy())
    card.insert(card.columns.get_loc(t("last_value", lang)), t("unit", lang), _col(results, "unit").fillna("").to_numpy())
    return card


def _sheet_name(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "sheet"


def _unique_sheet(name: str, used: set[str]) -> str:
    base = _sheet_name(name)
    out, i = base, 2
    while out in used:
        out = f"{base[:28]}_{i}"
        i += 1
    used.add(out)
    return out


def _format_sheet(ws, lang: str) -> None:
    """Frozen header, filter, column widths, and conditional colours on status/level columns."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    if ws.max_row < 1:
        return
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for cell in ws[1]:
        cell.font = Font(bold=True)
    headers = {str(c.value): c.column for c in ws[1] if c.value is not None}
    last = max(ws.max_row, 2)
    if t("p_meet", lang) in headers:
        for (cell,) in ws.iter_rows(min_row=2, min_col=headers[t("p_meet", lang)],
                                    max_col=headers[t("p_meet", lang)]):
            cell.number_format = "0%"
    fills = [(t("status", lang), {status_label(s, lang): c for s, c in STATUS_FILLS.items()}),
             (t("warning_level", lang), {level_label(s, lang): c for s, c in LEVEL_FILLS.items()})]
    for header, colours in fills:
        if header not in headers:
            continue
        letter = get_column_letter(headers[header])
        rng = f"{letter}2:{letter}{last}"
        for text, colour in colours.items():
            ws.conditional_formatting.add(rng, CellIsRule(
                operator="equal", formula=[f'"{text}"'], fill=PatternFill("solid", start_color=colour, end_color=colour)))
    for col in ws.columns:
        width = max((_display_width(c.value) for c in col), default=8)
        ws.column_dimensions[col[0].column_letter].width = min(max(width + 2, 8), 60)


def _display_width(value: object) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


# ------------------------------------------------------------------ notebook → HTML → PDF


@dataclass
class ReportPaths:
    """Where one report's files are."""

    folder: Path
    notebook: Path
    html: Path
    title: str = ""
    region: str = ""
    counts: dict | None = None
    pdf: Path | None = None
    xlsx: Path | None = None
    extra: dict = field(default_factory=dict)
    #: Targets with a red and a yellow warning level (``{"red": 2, "yellow": 5}``).
    levels: dict = field(default_factory=dict)
    docx: Path | None = None


def run_notebook(notebook: str | Path, out_nb: str | Path, params: dict) -> Path:
    """Execute ``notebook`` with papermill (parameters passed as data), written atomically."""
    import papermill as pm

    notebook = Path(notebook)

    def execute(tmp: str) -> None:
        with tempfile.TemporaryDirectory(prefix="childplan-kernel-") as sockets:
            pm.execute_notebook(str(notebook), tmp, parameters=params, cwd=str(notebook.parent),
                                progress_bar=False, log_output=False, kernel_name="python3",
                                kernel_manager_class=ipc_kernel_manager(sockets))

    return atomic_write(out_nb, execute)


def ipc_kernel_manager(folder: str) -> type:
    """A kernel manager class whose kernels talk over Unix sockets in ``folder``, not TCP ports
    (no unencrypted ports on the machine, and no warning about them in every run)."""
    from jupyter_client.manager import AsyncKernelManager

    if os.name != "posix":
        return AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", os.path.join(folder, "kernel"))
            super().__init__(**kwargs)

    return IPCKernelManager


def notebook_parameters(notebook: str | Path) -> set[str]:
    """Names of the parameters a notebook declares (its ``parameters``-tagged cell)."""
    import papermill as pm

    return set(pm.inspect_notebook(str(notebook)))


def run_report(
    plan_path: str | Path,
    data_path: str | Path,
    out_dir: str | Path = config.REPORTS_DIR,
    *,
    region: str | None = None,
    as_of: int | None = None,
    lang: str = "zh",
    notebook: str | Path = REPORT_NOTEBOOK,
    name: str | None = None,
    stage: str = "annual",
    pdf: bool = False,
    xlsx: bool = False,
    dashboard: bool = False,
    docx: bool = False,
) -> ReportPaths:
    """Execute a report notebook with papermill and export it to self-contained HTML.

    ``stage`` is ``annual`` (the monitoring report, ``region_report.ipynb``) or ``midterm`` /
    ``final`` (the evaluation notebook, assessed as of :func:`evaluation_year`). ``pdf`` prints the HTML with headless Chromium; ``xlsx`` writes the
    results workbook. Outputs go atomically to ``out_dir/<name or plan id>/``.
    """
    from childplan_analysis.catalog.plans import load_plan
    from childplan_analysis.engine.assess import assess
    from childplan_analysis.io.sources import load_observations

    if stage not in ("annual", "midterm", "final"):
        raise ValueError(f"stage must be annual, midterm or final, not {stage!r}")
    plan = load_plan(plan_path)
    suffix = "_dashboard" if dashboard else "" if stage == "annual" else f"_{stage}"
    folder = safe_join(out_dir, name or f"{plan.id}{suffix}")
    folder.mkdir(parents=True, exist_ok=True)
    params = {"plan_path": str(Path(plan_path).resolve()), "data_path": str(Path(data_path).resolve()),
              "as_of": as_of, "lang": lang}
    if dashboard:
        notebook = DASHBOARD_NOTEBOOK if notebook == REPORT_NOTEBOOK else notebook
        stage = "annual"
    else:
        params["region"] = region
    if stage != "annual":
        if notebook == REPORT_NOTEBOOK:
            notebook = EVALUATION_NOTEBOOK
        params.update(stage=stage, params_dir=str(Path(plan_path).resolve().parent))
    obs = load_observations(data_path, errors="report", plan=plan)
    regions = sorted(obs["region"].unique()) if dashboard else report_regions(obs, plan, region)
    year = as_of if stage == "annual" else evaluation_year(plan, stage, obs, as_of)
    results = assess(obs, plan, as_of=year, regions=regions)
    with tempfile.TemporaryDirectory(prefix="childplan-report-") as tmp:
        if "results_path" in notebook_parameters(notebook):
            params["results_path"] = str(Path(tmp) / "results.parquet")
            results.to_parquet(params["results_path"], index=False)
        nb_path = run_notebook(notebook, folder / "report.ipynb", params)
    kind = "dashboard" if dashboard else stage
    title = f"{plan.title} · {t(kind, lang)}"
    html_path = atomic_write_text(folder / "report.html", notebook_to_html(nb_path, title=title, lang=lang))
    counts = results["status"].value_counts().to_dict()
    paths = ReportPaths(folder, nb_path, html_path, title, "、".join(regions), counts)
    paths.levels = {lv: int(results["warning_level"].eq(lv).sum()) for lv in ("red", "yellow")}
    if xlsx:
        paths.xlsx = write_workbook(results, folder / "results.xlsx", plan, lang)
    if pdf:
        paths.pdf = html_to_pdf(html_path, folder / "report.pdf")
    if docx and not dashboard:
        paths.docx = export_docx(results, plan, folder / "report.docx", lang)
    return paths


def stage_year(plan: Plan, stage: str) -> int:
    """Year an evaluation stage looks at: the period's middle (2025 for 2021–2030) or its end."""
    start, end = plan.period
    if stage == "final":
        return end
    if stage == "midterm":
        return start + (end - start) // 2
    raise ValueError(f"stage must be midterm or final, not {stage!r}")


def evaluation_year(plan: Plan, stage: str, observations: pd.DataFrame, as_of: int | None = None) -> int:
    """The as-of year of an evaluation: ``as_of`` if given, else the stage year, or the latest
    year in the data when the data do not reach it yet (an early look at the stage)."""
    if as_of is not None:
        return int(as_of)
    year = stage_year(plan, stage)
    latest = observations["year"].max() if len(observations) else np.nan
    return int(min(year, latest)) if pd.notna(latest) else year


def report_regions(obs: pd.DataFrame, plan: Plan, region: str | None = None) -> list[str]:
    """Regions a report covers: ``region`` if given, else the plan's own region when the data
    have it, else every region in the data."""
    if region:
        return [region]
    present = sorted(obs["region"].unique())
    return [plan.region] if plan.region in present or not present else present


REPORT_CSS = """
<style>
html{-webkit-text-size-adjust:100%;}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;}
.jp-Notebook{max-width:1100px;margin:0 auto;padding:0 .5em;}
.jp-RenderedHTMLCommon table{display:block;max-width:100%;overflow-x:auto;font-size:13px;}
.jp-RenderedHTMLCommon table td,.jp-RenderedHTMLCommon table th{white-space:normal;min-width:3em;text-align:left !important;}
.plotly-graph-div{max-width:100%;}
table.sortable th{cursor:pointer;}
table.sortable th[aria-sort=ascending]::after{content:" ▲";}
table.sortable th[aria-sort=descending]::after{content:" ▼";}
@media (max-width:600px){.jp-Notebook{padding:0;} .jp-RenderedHTMLCommon h1{font-size:1.5em;} .jp-RenderedHTMLCommon h2{font-size:1.25em;}}
@media print{.plotly-graph-div,tr,h2,h3{break-inside:avoid;} h2,h3{break-after:avoid;}
 body{-webkit-print-color-adjust:exact;print-color-adjust:exact;}}
</style>
"""
#: Click a column heading of a ``sortable`` table to sort by it (numbers numerically).
SORT_SCRIPT = """
<script>
document.querySelectorAll("table.sortable").forEach(function(table){
  var head=table.tHead; if(!head) return;
  var cells=head.rows[head.rows.length-1].cells;
  Array.prototype.forEach.call(cells,function(th,i){
    th.addEventListener("click",function(){
      var asc=th.getAttribute("aria-sort")!=="ascending";
      Array.prototype.forEach.call(cells,function(c){c.removeAttribute("aria-sort");});
      th.setAttribute("aria-sort",asc?"ascending":"descending");
      var body=table.tBodies[0], rows=Array.prototype.slice.call(body.rows);
      function key(r){var c=r.cells[i]; var s=c?c.textContent.trim():""; var n=parseFloat(s.replace(/[%,]/g,""));
        return isNaN(n)?s:n;}
      rows.sort(function(a,b){var x=key(a),y=key(b);
        var d=(typeof x==="number"&&typeof y==="number")?x-y:String(x).localeCompare(String(y),"zh");
        return asc?d:-d;});
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
});
</script>
"""


def notebook_to_html(nb_path: str | Path, title: str | None = None, lang: str = "zh") -> str:
    """Self-contained HTML of an executed notebook: no code cells or prompts, no network fetch,
    readable on a phone, printable, and with sortable tables."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(nb_path), as_version=4)
    if title:
        nb.metadata["title"] = title
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"remove-cell"}), enabled=True)
    body, _ = exporter.from_notebook_node(nb)
    # Offline: plotly.js is embedded by the notebook; drop CDN scripts and stylesheets
    # (require.js, MathJax, web fonts) that the template would fetch and the report does not need.
    body = _EXTERNAL_SCRIPT.sub("", body)
    body = _EXTERNAL_LINK.sub("", body)
    body = re.sub(r"<html([^>]*)>", f'<html lang="{"en" if lang == "en" else "zh-CN"}">', body, count=1)
    viewport = '<meta name="viewport" content="width=device-width, initial-scale=1">'
    body = body.replace("<head>", "<head>\n" + viewport, 1)
    body = body.replace("</head>", REPORT_CSS + "</head>", 1)
    return body.replace("</body>", SORT_SCRIPT + "</body>", 1)


def chromium_path() -> str | None:
    """The headless Chromium used for PDF output: ``$CHILDPLAN_CHROMIUM`` or the first on PATH."""
    import os

    env = os.environ.get("CHILDPLAN_CHROMIUM")
    if env:
        return env
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def html_to_pdf(html_path: str | Path, pdf_path: str | Path, *, chromium: str | None = None,
                timeout: float = 120) -> Path:
    """Print a report's HTML to PDF with headless Chromium (A4, backgrounds kept), atomically."""
    exe = chromium or chromium_path()
    if not exe:
        raise RuntimeError("PDF output needs Chromium: install it (Debian: apt-get install chromium "
                           "fonts-noto-cjk) or set CHILDPLAN_CHROMIUM to its path")
    html_path = Path(html_path).resolve()
    with tempfile.TemporaryDirectory(prefix="childplan-pdf-") as tmp:
        out = Path(tmp) / "out.pdf"
        cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
               "--run-all-compositor-stages-before-draw", "--virtual-time-budget=20000",
               f"--print-to-pdf={out}", html_path.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        if not out.is_file() or out.stat().st_size == 0:
            raise RuntimeError(f"{html_path}: Chromium did not write a PDF (exit {proc.returncode}): "
                               f"{proc.stderr.strip()[-500:]}")
        return atomic_write_bytes(pdf_path, out.read_bytes())


# ------------------------------------------------------------------ index page and result files


def write_index(out_dir: str | Path, entries: list[dict], title: str = "儿童/妇女发展规划监测报告",
                lang: str = "zh") -> Path:
    """``index.html`` linking each report (and its PDF / workbook / Word file), with its status
    counts, its red and yellow warning counts (entry keys ``red``, ``yellow``) and, when entries
    carry a run ``status`` (``ok``/``failed``/``not_run``, with ``error_kind`` and a
    ``partial_output`` link), a run-status column.

    The entries are also kept in ``index.json``; report folders below ``out_dir`` that have
    their own ``index.json`` (e.g. ``demo/``) are listed as further sections, so one page
    links everything. Every label is escaped.
    """
    out_dir = Path(out_dir)
    atomic_write_text(out_dir / "index.json",
                      json.dumps({"title": title, "entries": entries}, ensure_ascii=False, default=str))
    sections = [(None, entries)]
    for sub in sorted(p for p in out_dir.iterdir() if p.is_dir() and (p / "index.json").is_file()):
        try:
            data = json.loads((sub / "index.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        prefixed = [{**e, **{k: f"{sub.name}/{e[k]}" for k in ("href", "pdf", "xlsx", "docx", "partial_output")
                             if e.get(k)}}
                    for e in data.get("entries", [])]
        sections.append((str(data.get("title", sub.name)), prefixed))
    body = []
    for heading, items in sections:
        if heading is not None:
            body.append(f"<h2>{html.escape(heading)}</h2>")
        run = any("status" in e for e in items)
        names = ["规划 Plan", "地区 Region"] + (["运行 Run"] if run else []) + ["状态 Status", "预警 Warnings",
                                                                            "说明 Note"]
        heads = "".join(f"<th>{h}</th>" for h in names)
        rows = "\n".join(_index_row(e, lang, run) for e in items)
        body.append(f"<table><thead><tr>{heads}</tr></thead>\n<tbody>\n{rows}\n</tbody></table>")
    page = f"""<!DOCTYPE html>
<html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body{{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:1em;}}
table{{border-collapse:collapse;width:100%;}} td,th{{border-bottom:1px solid #ddd;padding:.4em;text-align:left;vertical-align:top;}}
.s{{display:inline-block;margin-right:.6em;}} .achieved{{color:#1a9850}} .on_track{{color:#4d9221}}
.acceleration_needed{{color:#d46b08}} .regressing{{color:#d73027}} .insufficient_data{{color:#777}}
.red{{color:#b2182b;font-weight:bold}} .yellow{{color:#b8860b}} .failed{{color:#b2182b}} .not_run{{color:#777}}
@media (max-width:600px){{thead{{display:none}} tr,td{{display:block}} tr{{border-bottom:2px solid #ccc}}}}
</style></head><body>
<h1>{html.escape(title)}</h1>
{chr(10).join(body)}
</body></html>
"""
    return atomic_write_text(out_dir / "index.html", page)


_RUN_STATUS = {"ok": {"zh": "完成", "en": "OK"}, "failed": {"zh": "失败", "en": "Failed"},
               "not_run": {"zh": "未运行", "en": "Not run"}}


def _index_row(e: dict, lang: str, run: bool = False) -> str:
    link = html.escape(str(e.get("href", "#")), quote=True)
    counts = " ".join(
        f'<span class="s {html.escape(s)}">{html.escape(status_label(s, lang))}&nbsp;{int(e.get("counts", {}).get(s, 0))}</span>'
        for s in STATUSES
    )
    levels = " ".join(f'<span class="s {lv}">{html.escape(t(lv, lang))}&nbsp;{int(e[lv])}</span>'
                      for lv in ("red", "yellow") if e.get(lv) is not None)
    files = " ".join(f'<a href="{html.escape(str(e[k]), quote=True)}">{k.upper()}</a>'
                     for k in ("pdf", "xlsx", "docx") if e.get(k))
    note = html.escape(str(e.get("note", "")))
    cells = [f"<td><a href=\"{link}\">{html.escape(str(e.get('title', '')))}</a> {files}</td>",
             f"<td>{html.escape(str(e.get('region', '')))}</td>"]
    if run:
        status = str(e.get("status") or "")
        label = _RUN_STATUS.get(status, {}).get(lang, status)
        if e.get("error_kind"):
            label += f" ({e['error_kind']})"
        partial = (f' <a href="{html.escape(str(e["partial_output"]), quote=True)}">'
                   f'{"部分输出" if lang != "en" else "partial output"}</a>') if e.get("partial_output") else ""
        cells.append(f'<td class="{html.escape(status, quote=True)}">{html.escape(label)}{partial}</td>')
    cells += [f"<td>{counts}</td>", f"<td>{levels}</td>", f"<td>{note}</td>"]
    return "<tr>" + "".join(cells) + "</tr>"


def localized_results(results: pd.DataFrame, lang: str = "zh",
                      indicators: IndicatorDictionary | None = None) -> pd.DataFrame:
    """An assessment (or any table with such columns) for people: status, level, warning,
    domain, attribute and reason codes in words, an indicator-name column, headings in
    ``lang``. Numbers stay numbers."""
    indicators = indicators or load_indicators()
    out = results.copy()
    words = {"status": status_label, "warning_level": level_label, "warnings": warning_text,
             "domain": domain_label, "attribute": attribute_label, "reason": reason_label,
             "model": model_label}
    for col, label in words.items():
        if col in out:
            out[col] = out[col].map(lambda v, f=label: "" if pd.isna(v) else f(v, lang))
    if "indicator" in out:
        out.insert(int(out.columns.get_loc("indicator")) + 1, "indicator_name",
                   out["indicator"].map(lambda i: _indicator_name(indicators, i, lang)))
    return out.rename(columns=lambda c: t(c, lang))


def write_results(results: pd.DataFrame, path: str | Path, *, lang: str = "zh") -> Path:
    """Write an assessment table as CSV, Excel or Parquet (by suffix), atomically.

    CSV, Parquet and JSON keep the codes (for programs); Excel is for people: headings and
    codes in ``lang`` (:func:`localized_results`), numbers as numeric cells, header frozen."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return atomic_write_text(path, excel_safe_frame(results).to_csv(index=False))
    if suffix == ".xlsx":
        frame = excel_safe_frame(localized_results(results, lang))

        def build(tmp: str) -> None:
            xw = pd.ExcelWriter(tmp, engine="openpyxl")
            # closed only once the sheet is written: a failing writer raises its own error,
            # not openpyxl's complaint about a workbook without sheets
            frame.to_excel(xw, index=False, sheet_name=_sheet_name(t("results_sheet", lang)))
            _format_sheet(xw.book.worksheets[0], lang)
            xw.close()

        return atomic_write(path, build)
    if suffix == ".parquet":
        return atomic_write(path, lambda tmp: results.to_parquet(tmp, index=False))
    if suffix == ".json":
        return atomic_write_text(path, json.dumps(results.to_dict(orient="records"), ensure_ascii=False, default=str))
    raise ValueError(f"{path}: unsupported output type {suffix!r} (use .csv, .xlsx, .parquet or .json)")


# ------------------------------------------------------------------ Word (.docx)


def chart_images(figures: list, *, chromium: str | None = None, width: int = 900, height: int = 480,
                 timeout: float = 60) -> list[bytes]:
    """PNG images of plotly figures, drawn offline by headless Chromium (plotly.js written once
    beside the pages)."""
    exe = chromium or chromium_path()
    if not exe:
        raise RuntimeError("chart images need Chromium: install it (Debian: apt-get install chromium "
                           "fonts-noto-cjk) or set CHILDPLAN_CHROMIUM to its path")
    images = []
    with tempfile.TemporaryDirectory(prefix="childplan-png-") as tmp:
        for i, fig in enumerate(figures):
            page, png = Path(tmp) / f"chart{i}.html", Path(tmp) / f"chart{i}.png"
            h = int(fig.layout.height or height)  # the figure's own height, so no blank band below
            fig.write_html(page, include_plotlyjs="directory", full_html=True,
                           default_width=width, default_height=h, config={"staticPlot": True})
            cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile", "--hide-scrollbars",
                   f"--window-size={width + 16},{h + 16}", "--virtual-time-budget=10000",
                   f"--screenshot={png}", page.as_uri()]
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
            if not png.is_file():
                raise RuntimeError(f"Chromium did not draw chart {i + 1} (exit {proc.returncode}): "
                                   f"{proc.stderr.strip()[-300:]}")
            images.append(png.read_bytes())
    return images


def export_docx(results: pd.DataFrame, plan: Plan, path: str | Path, lang: str = "zh", *,
                figures: list | None = None, indicators: IndicatorDictionary | None = None,
                chromium: str | None = None) -> Path:
    """A Word report (python-docx): title, the summary paragraph (:func:`overview`), the warning
    table grouped by 责任单位, a status table and one image per chart (``figures``; default the
    status and scorecard charts), written atomically."""
    import io

    from docx import Document
    from docx.shared import Cm

    from childplan_analysis.report.figures import scorecard_chart, status_bar

    indicators = indicators or load_indicators()
    figures = figures if figures is not None else [status_bar(results, lang), scorecard_chart(results, lang)]
    images = chart_images(figures, chromium=chromium)
    doc = Document()
    doc.add_heading(f"{plan.title} · {t('annual', lang)}", level=0)
    regions = "、".join(dict.fromkeys(results["region"].astype(str)))
    latest = results["last_year"].max()
    doc.add_paragraph(f"{t('region', lang)}：{regions}" + (
        f" · {'数据截至' if lang != 'en' else 'data up to'} {int(latest)}" if pd.notna(latest) else ""))
    doc.add_heading(t("summary_title", lang), level=1)
    doc.add_paragraph(("" if lang != "en" else " ").join(overview(results, plan, lang, indicators)))
    doc.add_heading(t("warnings_title", lang), level=1)
    _docx_table(doc, warnings_by_responsible(results, plan, lang, indicators))
    doc.add_heading(t("scorecard_title", lang), level=1)
    card = scorecard(results, plan, lang, indicators)
    keep = [t(c, lang) for c in ("domain", "indicator", "target", "last_value", "p_meet", "status", "warning_level")]
    _docx_table(doc, card[keep])
    doc.add_heading(t("charts_title", lang), level=1)
    for png in images:
        doc.add_picture(io.BytesIO(png), width=Cm(16))

    def build(tmp: str) -> None:
        doc.save(tmp)

    return atomic_write(path, build)


def _docx_table(doc, frame: pd.DataFrame) -> None:
    if frame.empty:
        doc.add_paragraph("—")
        return
    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, frame.columns, strict=True):
        cell.text = str(name)
    for values in frame.itertuples(index=False):
        for cell, v in zip(table.add_row().cells, values, strict=True):
            cell.text = "" if pd.isna(v) else str(v)
