"""Report tables: scorecard, 总体情况 summary, counts, warnings by 责任单位, data-quality notes,
达标率, target lists, region ranking and the comparison with the parent plan.

Tables take an assessment frame (:func:`~childplan_analysis.engine.assess.assess`) and return frames
with localized headings; columns the engine may or may not provide (``observed_rate``,
``required_rate``, …) are used when present.
"""


import re
from pathlib import Path

import numpy as np
import pandas as pd

from childplan_analysis.catalog.plans import Plan
from childplan_analysis.core import config
from childplan_analysis.core.indicators import DOMAIN_LABELS, IndicatorDictionary, load_indicators
from childplan_analysis.core.strict_yaml import load_yaml
from childplan_analysis.core.targets import (
    DIRECTION_COMPARATORS,
    LEVEL_COMPARATORS,
    NEEDS_BASELINE,
    RATE_COMPARATORS,
)
from childplan_analysis.engine.accountability import unit_lists
from childplan_analysis.engine.assess import STATUSES, WARNINGS, attainment_rate
from childplan_analysis.io.loaders import same_value
from childplan_analysis.report.intake_notes import missing_value_notes, region_spelling_notes
from childplan_analysis.report.labels import (
    attribute_label,
    count_en,
    explain_warnings,
    fmt_number,
    fmt_rate,
    fmt_value,
    level_label,
    model_label,
    reason_label,
    status_label,
    t,
    units_in_text,
)
from childplan_analysis.report.sources import source_notes
from childplan_analysis.report.suspects import suspect_fractions

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


def _target_text(plan: Plan | None, target_id: str, lang: str) -> str:
    if plan is None:
        return target_id
    try:
        return units_in_text(plan.target(target_id).describe(lang), lang)
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
            "indicator": results["indicator"].map(lambda i: indicators.display_name(i, lang)),
            "target": results["target_id"].map(lambda i: _target_text(plan, i, lang)),
            "attribute": _col(results, "attribute").map(lambda a: attribute_label(a, lang)),
            "last_year": results["last_year"].map(lambda y: "" if pd.isna(y) else str(int(y))),
            "last_value": [fmt_value(v, u, lang=lang) for v, u in zip(results["last_value"], units, strict=True)],
            "projected": [fmt_value(v, u, lang=lang) for v, u in zip(results["projected"], units, strict=True)],
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
             indicators: IndicatorDictionary | None = None,
             observations: pd.DataFrame | None = None) -> list[str]:
    """The report's opening summary (总体情况) as sentences: targets by status, 达标率 with its
    denominator and the targets that cannot be monitored, the red warnings by indicator and
    responsible unit, and, given the ``observations``, what in the data must be checked first."""
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
        lines = [f"{count_en(n, 'target')} monitored{where}: {met} achieved, {on_track} on track, {risk} at risk "
                 f"({int(status.eq('acceleration_needed').sum())} "
                 f"{'needs' if int(status.eq('acceleration_needed').sum()) == 1 else 'need'} faster progress, "
                 f"{int(status.eq('regressing').sum())} moving away), {no_data} cannot be monitored.",
                 f"Attainment rate {rate} ({met}/{monitorable} monitorable targets; "
                 f"{no_data} more cannot be monitored)."]
    is_red = results["warning_level"].eq("red").to_numpy()
    red = results[is_red]
    if len(red):
        red_units = [u for u, w in zip(row_units(results), is_red, strict=True) if w]
        groups: dict[str, list[str]] = {}
        repeated = red.duplicated(["region", "indicator"], keep=False)  # several milestones of one indicator
        for (_, r), several, (units, _) in zip(red.iterrows(), repeated, red_units, strict=True):
            name = indicators.display_name(r["indicator"], lang)
            if several:
                name += f"（{int(r['target_year'])}年目标）" if zh else f" ({int(r['target_year'])} target)"
            if regions > 1:
                name = f"{r['region']}·{name}" if zh else f"{r['region']} · {name}"
            for unit in units:
                groups.setdefault(unit or t("unassigned", lang).strip("（）()"), []).append(name)
        if zh:
            lines.append(f"红色预警{len(red)}项：" + "；".join(f"{u}——{'、'.join(v)}" for u, v in groups.items()) + "。")
        else:
            lines.append(f"{count_en(len(red), 'red warning')}: " + "; ".join(f"{u}: {', '.join(v)}" for u, v in groups.items()) + ".")
    else:
        lines.append("本期无红色预警。" if zh else "No red warnings this period.")
    yellow = int(results["warning_level"].eq("yellow").sum())
    lines.append(f"黄色预警{yellow}项。" if zh else f"{count_en(yellow, 'yellow warning')}.")
    if observations is not None:
        lines.extend(_data_caveat(observations, zh))
    return lines


def _data_caveat(observations: pd.DataFrame, zh: bool) -> list[str]:
    """One sentence up front when the data hold values to check before the results are used."""
    conflicts, rejected = observations.attrs.get("conflicts"), observations.attrs.get("rejected")
    parts = []
    if conflicts is not None and (n := int((~same_value(conflicts)).sum())):
        parts.append((f"文件间数值不一致{n}处", f"{n} value(s) the files disagree on"))
    if n := len(suspect_fractions(observations)):
        parts.append((f"疑似单位错误{n}处", f"{n} value(s) that look typed as fractions"))
    if rejected is not None and len(rejected):
        lost = int((~rejected["reason"].astype(str).str.contains(_REPEAT_RE)).sum())
        if lost:
            parts.append((f"未载入的数据{lost}行", f"{lost} row(s) not loaded"))
    if not parts:
        return []
    if zh:
        return [f"注意：监测数据中有{'、'.join(p[0] for p in parts)}，相关结论须核实后使用（详见“数据质量说明”）。"]
    return [f"Note: the data hold {', '.join(p[1] for p in parts)}; check them before using the results "
            "(see the data-quality notes)."]


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


def row_units(results: pd.DataFrame) -> list[tuple[list[str], bool]]:
    """Per result row, its responsible units and whether they were taken from the indicator's
    other targets: a target naming no unit (a text clause) is its indicator's, in the same region
    and plan, when another target of it names one (a table row); else ``[""]`` (none named)."""
    own = unit_lists(results)
    keys = list(zip(*(results[c] for c in ("plan_id", "region", "indicator") if c in results), strict=True))
    named: dict[tuple, list[str]] = {}
    for key, units in zip(keys, own, strict=True):
        if units:
            named.setdefault(key, units)
    return [(units, False) if units else (named[key], True) if key in named else ([""], False)
            for key, units in zip(keys, own, strict=True)]


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
    is_warned = ((results["warnings"].fillna("") != "") | results["warning_level"].eq("red")).to_numpy()
    warned = results[is_warned]
    units_of = [u for u, w in zip(row_units(results), is_warned, strict=True) if w]
    rows = []
    for (_, r), (units, taken) in zip(warned.iterrows(), units_of, strict=True):
        for unit in units:
            rows.append({
                "responsible": unit or t("unassigned", lang),
                "region": r["region"],
                "indicator": indicators.display_name(r["indicator"], lang),
                "target": _target_text(plan, r["target_id"], lang),
                "last_value": fmt_value(r.get("last_value"), r.get("unit"), lang=lang) + (
                    f" ({int(r['last_year'])})" if pd.notna(r.get("last_year")) else ""),
                "warning_level": r["warning_level"],
                "warnings": warning_text(r["warnings"], lang),
                "reason": explain_warnings(r, lang) + (
                    ("（责任单位取自该指标的其他目标）" if lang != "en" else " (unit from the indicator's other targets)")
                    if taken else ""),
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
    regions = results["region"].dropna().unique() if "region" in results and len(results) else None
    notes.extend(region_spelling_notes(observations.attrs.get("warnings"), zh))
    notes.extend(_rejected_notes(observations.attrs.get("rejected"), zh))
    notes.extend(missing_value_notes(observations.attrs.get("skipped"), observations, regions, zh))
    notes.extend(_conflict_notes(observations.attrs.get("conflicts"), zh))
    notes.extend(_suspect_notes(observations, zh))
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
                     else f"{count_en(len(short), 'target')} {'has' if len(short) == 1 else 'have'} data but not enough "
                          f"to assess: {kinds}.")
    points = results["n_points"].fillna(0)
    judged = results[(results["status"] != "insufficient_data") & (points > 0) & (points < config.MIN_POINTS)]
    if len(judged):
        counts = judged["n_points"].astype(int).value_counts().sort_index()
        kinds = "；".join(f"仅有{k}年数据（{v}项）" if zh else f"only {k} year(s) of data ({v})" for k, v in counts.items())
        notes.append(f"{len(judged)}项目标数据年份过少，按最新值判断是否达标，未作趋势预测或借用同类地区趋势：{kinds}。"
                     if zh else f"{count_en(len(judged), 'target')} {'has' if len(judged) == 1 else 'have'} too few years "
                     f"for a trend of its own and {'is' if len(judged) == 1 else 'are'} judged "
                     f"on their latest value: {kinds}.")
    stale = results["warnings"].fillna("").str.contains("stale_data")
    if stale.any():
        notes.append(f"{int(stale.sum())}项目标的最新数据距评估年份已超过{config.STALE_AFTER}年。" if zh
                     else f"{count_en(int(stale.sum()), 'target')} {'has' if int(stale.sum()) == 1 else 'have'} no "
                          f"value in the last {config.STALE_AFTER} years.")
    few = results[(results["n_points"] >= config.MIN_POINTS) & (results["n_points"] < 5)]
    if len(few):
        notes.append(f"{len(few)}项目标的预测仅基于3–4年数据，区间较宽，结论应审慎使用。" if zh
                     else f"{count_en(len(few), 'projection')} "
                          f"{'rests' if len(few) == 1 else 'rest'} on only 3–4 years of data; "
                          f"{'its interval is' if len(few) == 1 else 'their intervals are'} wide.")
    if len(observations) and "source" in observations:
        sources = observations["source"].astype(str).replace("", np.nan).dropna().nunique()
        files = observations.attrs.get("files")
        n_files = int((files["rows_read"] > 0).sum()) if files is not None and "rows_read" in files else 0
        years = observations["year"]
        named_zh, named_en = (f"，注明来源{sources}个", f", {sources} source(s) named") if sources else ("", "")
        read_zh, read_en = (f"读取{n_files}个数据文件，", f"{n_files} data file(s) read, ") if n_files else ("", "")
        notes.append(f"{read_zh}共载入{len(observations)}条观测值（{int(years.min())}—{int(years.max())}年）{named_zh}。"
                     if zh else f"{read_en}{len(observations)} observations loaded "
                     f"({int(years.min())}–{int(years.max())}){named_en}.")
    notes.extend(source_notes(observations, lang, regions))
    return notes


#: A file's path (folders, then a name with a data or document suffix): ``=E3/F3*1000`` and ``1/10万`` are none.
_PATH_RE = re.compile(
    r"(?:[A-Za-z]:)?(?:[^\s\[\]（）()/\\]*[/\\])+"
    r"([^/\\\s\[\]（）()]+\.(?:xlsx|xlsm|xls|et|ods|csv|tsv|txt|html?|parquet|json|ya?ml|docx|pdf|duckdb))",
    re.IGNORECASE)
_EN_TAIL_RE = re.compile(r"（[A-Za-z].*）$")
_REPEAT_RE = re.compile(r"^与 .* 重复（数值相同")


def plain_reason(reason: object, zh: bool = True) -> str:
    """A loader's reason as a report reader should see it: file names without their folders,
    one language (the loader's reasons carry the English in a trailing （…））, rows as 第 N 行."""
    text = _PATH_RE.sub(r"\1", str(reason))
    tail = _EN_TAIL_RE.search(text)
    if tail:
        text = text[: tail.start()] if zh else tail.group(0)[1:-1]
    if zh:
        text = re.sub(r"\brow (\d+)", r"第 \1 行", text)
    return text.strip()


def _rejected_notes(rejected: pd.DataFrame | None, zh: bool) -> list[str]:
    """Rejected rows, telling a repeat of a loaded value (same number in two files) from a loss."""
    if rejected is None or not len(rejected):
        return []
    reasons = rejected["reason"].astype(str)
    repeat = reasons.str.contains(_REPEAT_RE)
    notes = []
    if repeat.any():
        n = int(repeat.sum())
        notes.append(f"{n}行重复填报且数值相同，只计入一次。" if zh
                     else f"{n} rows repeat a value given elsewhere in their file and were counted once.")
    lost = reasons[~repeat]
    if len(lost):
        top = lost.map(lambda r: plain_reason(r, zh)).value_counts().head(3)
        detail = "；".join(f"{r}（{n}行）" if zh else f"{r} ({n} rows)" for r, n in top.items())
        notes.append(f"输入数据中有{len(lost)}行未载入，主要原因：{detail}。请运行 `childplan validate` 查看逐行说明。"
                     if zh else f"{len(lost)} input rows were not loaded; main reasons: {detail}. "
                     "Run `childplan validate` for the row-by-row list.")
    return notes


def _conflict_notes(conflicts: pd.DataFrame | None, zh: bool, limit: int = 5) -> list[str]:
    """Values two files disagree on, with the one used: the reader must know which was kept;
    then the count of values an earlier file repeated (same number, counted once)."""
    if conflicts is None or not len(conflicts):
        return []
    same = same_value(conflicts)
    repeats = ([f"{int(same.sum())}行在两个文件中数值相同，只计入一次。" if zh
                else f"{int(same.sum())} rows hold the same value in two files and were counted once."]
               if same.any() else [])
    conflicts = conflicts[~same]
    if not len(conflicts):
        return repeats
    indicators = load_indicators()
    lang = "zh" if zh else "en"
    parts = []
    for c in conflicts.head(limit).itertuples(index=False):
        name = indicators.display_name(c.indicator, lang)
        kept, dropped = Path(str(c.kept_file)).name, Path(str(c.dropped_file)).name
        parts.append(f"{name} {int(c.year)}年采用{kept}的{c.kept_value:g}（{dropped}为{c.dropped_value:g}）" if zh
                     else f"{name} {int(c.year)}: {c.kept_value:g} from {kept} used ({dropped}: {c.dropped_value:g})")
    more = len(conflicts) - len(parts)
    tail = (f"等，共{len(conflicts)}处" if zh else f", {len(conflicts)} in all") if more > 0 else ""
    return [f"不同文件对同一指标同一年份的数值不一致：{'；'.join(parts)}{tail}。请与填报单位核实后统一。" if zh
            else f"Files disagree on the same indicator and year: {'; '.join(parts)}{tail}. "
            "Confirm with the reporting units.", *repeats]


def _suspect_notes(observations: pd.DataFrame, zh: bool) -> list[str]:
    """Shares that look typed as fractions (0.953 in a % series reading 90s)."""
    hits = suspect_fractions(observations)
    if not len(hits):
        return []
    indicators = load_indicators()
    lang = "zh" if zh else "en"
    parts = [f"{indicators.display_name(h.indicator, lang)} {int(h.year)}年 {h.value:g}{h.unit}"
             + (f"（疑为{h.suggested:g}{h.unit}）" if zh else f" (probably {h.suggested:g}{h.unit})")
             for h in hits.itertuples(index=False)]
    return [f"以下数值疑似按小数填写，单位有误，已按原值计入，相关判断可能失真：{'；'.join(parts)}。请核对原表。" if zh
            else f"These values look typed as fractions and were used as written, so the judgements on them "
            f"may be wrong: {'; '.join(parts)}. Check the forms."]


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
        "indicator": rows["indicator"].map(lambda i: indicators.display_name(i, lang)),
        "target": rows["target_id"].map(lambda i: _target_text(plan, i, lang)),
        "last_value": [fmt_value(v, u, lang=lang) + (f" ({int(y)})" if pd.notna(y) else "")
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
                head = load_yaml(fh)
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
            "indicator": indicators.display_name(r["indicator"], lang),
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
                   out["indicator"].map(lambda i: indicators.display_name(i, lang)))
    return out.rename(columns=lambda c: t(c, lang))
