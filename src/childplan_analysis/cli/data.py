"""Data commands: ``childplan validate``, ``childplan quality`` and ``childplan db …``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.markup import escape

from childplan_analysis.cli.common import IndicatorsOption, fail, print_frame, stderr, stdout, word
from childplan_analysis.core.errors import ChildplanError
from childplan_analysis.io.fileio import atomic_write, atomic_write_bytes
from childplan_analysis.io.safety import excel_safe_frame

DB_HELP = "Monitoring database: a DuckDB file (monitoring.duckdb) or a URL (postgresql://user@host/db)."
DbOption = Annotated[str, typer.Option("--db", help=DB_HELP, envvar="CHILDPLAN_DB")]
RegionOption = Annotated[
    str | None, typer.Option("--region", help="Region of files without a region column (地区).")
]
LangOption = Annotated[str, typer.Option("--lang", help="zh or en")]
SHOW_ROWS = 200

db_app = typer.Typer(help="The monitoring database (监测数据库): ingest, load log, history, export.",
                     no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the data commands to the ``childplan`` app."""
    app.command()(validate)
    app.command()(quality)
    app.add_typer(db_app, name="db")


def _print_frame(frame: pd.DataFrame, title: str, limit: int | None = SHOW_ROWS) -> None:
    print_frame(frame, title, limit)


def write_tables(path: Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """Write tables atomically: one sheet each in ``.xlsx``; the first one in ``.csv``/``.parquet``."""
    suffix = path.suffix.lower()
    first = next(iter(sheets.values()))
    if suffix == ".xlsx":
        def write(tmp: str) -> None:
            with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
                for name, frame in sheets.items():
                    excel_safe_frame(frame).to_excel(xl, sheet_name=name[:31], index=False)
        return atomic_write(path, write)
    if suffix == ".csv":  # with BOM, so that Excel opens Chinese text correctly
        return atomic_write_bytes(path, excel_safe_frame(first).to_csv(index=False).encode("utf-8-sig"))
    if suffix == ".parquet":
        return atomic_write(path, lambda tmp: first.to_parquet(tmp, index=False))
    raise typer.BadParameter(f"{path}: use .xlsx, .csv or .parquet")


# ------------------------------------------------------------------ validate

PlanOption = Annotated[Path | None, typer.Option(
    "--plan", help="Plan catalog: its region fills files that name none, and must be in the data.",
    exists=True, dir_okay=False)]
PreferOption = Annotated[list[Path] | None, typer.Option(
    "--prefer", help="File whose values win conflicts with other files (default: the file read last).")]


def data_fail(exc: Exception) -> None:
    """Print ``error: …`` for a data problem (the input, not the command line) and exit 1."""
    stderr().print(f"[bold red]{word('错误：', 'error: ')}[/]{escape(str(exc))}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=1)


def load_plan_option(plan: Path | None):
    """The plan named by ``--plan``, else the one plan catalog of the current working folder
    (whose region then fills files that name none), else None."""
    from childplan_analysis.catalog.plans import load_plan
    from childplan_analysis.cli.workspace import workspace_plan

    if plan is None:
        plan = workspace_plan()
        if plan is None:
            return None
        stderr().print(word(f"规划：{plan.name}（当前文件夹）", f"plan: {plan.name} (current folder)"),
                       highlight=False)

    return load_plan(plan)


def print_load_notes(frame_or_result, *, verbose: bool = False) -> None:
    """On standard error: warnings, conflicts between files, how many values were marked as not
    reported, rejections grouped by reason."""
    from childplan_analysis.core.indicators import load_indicators
    from childplan_analysis.io.loaders import format_conflicts, group_rejections
    from childplan_analysis.io.placeholders import missing_values

    get = (lambda k: frame_or_result.attrs.get(k)) if isinstance(frame_or_result, pd.DataFrame) else (
        lambda k: getattr(frame_or_result, k, None))
    err = stderr()
    for note in get("warnings") or []:
        err.print(f"[yellow]{word('注意：', 'warning: ')}[/]{escape(note)}", highlight=False, soft_wrap=True)
    conflicts = get("conflicts")
    if conflicts is not None and len(conflicts):
        conflicts = conflicts.assign(indicator=conflicts["indicator"].map(load_indicators().display_name))
        err.print(f"[yellow]{escape(format_conflicts(conflicts, limit=None if verbose else 20))}[/]",
                  highlight=False, soft_wrap=True)
    missing = missing_values(get("skipped"))
    if len(missing) and not verbose:  # validate lists them one by one
        marks = "、".join(dict.fromkeys(missing["mark"]))
        err.print("[yellow]" + escape(word(
            f"{len(missing)} 个数值单元格写作 {marks}（未填报），不作数值读入；`childplan validate` 逐个列出",
            f"{len(missing)} value cell(s) marked as not reported ({marks}) are not read as values; "
            "`childplan validate` lists them")) + "[/]", highlight=False, soft_wrap=True)
    rejected = get("rejected")
    if rejected is not None and len(rejected) and not verbose:
        err.print(f"[yellow]{len(rejected)} 条输入记录被拒绝（{len(rejected)} input row(s) rejected）; "
                  "`childplan validate` 列出全部:[/]", highlight=False)
        whole = (pd.to_numeric(rejected["row"], errors="coerce") == 0).to_numpy()
        for r in rejected[whole].head(20).itertuples(index=False):  # a whole file: which one matters
            err.print(f"  {escape(word('无法读取的文件 ', 'unreadable file '))}{escape(str(r.file))}: {escape(str(r.reason))}",
                      highlight=False, soft_wrap=True)
        if whole.sum() > 20:
            err.print(f"  … 另有 {int(whole.sum()) - 20} 个无法读取的文件", highlight=False)
        groups = group_rejections(rejected[~whole]) if (~whole).any() else pd.DataFrame(columns=["count", "reason"])
        for g in groups.head(5).itertuples(index=False):
            err.print(f"  {g.count} × {escape(g.reason)}", highlight=False, soft_wrap=True)
        if len(groups) > 5:
            err.print(f"  … 另有 {len(groups) - 5} 种原因", highlight=False)


def _file_columns() -> dict[str, str]:
    return {} if word("zh", "en") == "en" else {
        "file": "文件", "rows_read": "读取行数", "loaded": "载入", "rejected": "拒收",
        "superseded": "被替代", "skipped": "跳过"}


def _skipped_columns() -> dict[str, str]:
    return {} if word("zh", "en") == "en" else {
        "file": "文件", "where": "工作表 · 行", "count": "行数", "text": "内容", "reason": "原因"}


def grouped_skipped(skipped: pd.DataFrame) -> pd.DataFrame:
    """Skipped rows with the same file, text and reason as one row (a generated form's note
    repeated on every sheet is one line): where they are (``sheet · row``, the first 6) and how many."""
    if skipped.empty:
        return pd.DataFrame(columns=["file", "where", "count", "text", "reason"])
    frame = skipped.assign(where=[f"{sh} · {r}" if str(sh) else str(r)
                                  for sh, r in zip(skipped["sheet"].astype(str), skipped["row"], strict=True)])
    groups = frame.groupby(["file", "text", "reason"], sort=False, dropna=False)["where"]
    out = groups.agg(count="size", where=lambda w: "，".join(w.iloc[:6]) + ("…" if len(w) > 6 else "")).reset_index()
    out["text"] = [t if len(t) <= 40 else t[:40] + "…" for t in out["text"].astype(str)]
    return out[["file", "where", "count", "text", "reason"]]


def validate(
    data: Annotated[list[Path] | None, typer.Argument(help="Observation files or folders (default: ./data).", exists=True)] = None,
    region: RegionOption = None,
    plan: PlanOption = None,
    prefer: PreferOption = None,
    out: Annotated[Path | None, typer.Option(help="Write the report (.xlsx, .csv).")] = None,
    indicators: IndicatorsOption = None,
) -> None:
    """Check observation files: every row is loaded, rejected with its reason, superseded by a
    later file (listed), or skipped as form furniture or a value marked as not reported (—, 无).
    Exit 1 on rejects."""
    from childplan_analysis.cli.checks import print_checks
    from childplan_analysis.cli.workspace import default_data
    from childplan_analysis.io.loaders import format_rejections, group_rejections
    from childplan_analysis.io.sources import read_observations

    data = data or [default_data()]
    try:
        plan_obj = load_plan_option(plan)
    except ChildplanError as exc:
        fail(exc)
    try:
        result = read_observations(list(data), region=region, plan=plan_obj, prefer=prefer)
    except ChildplanError as exc:
        data_fail(exc)
    _print_frame(result.files.rename(columns=_file_columns()), word("文件", "files"))
    stdout().print(result.summary())
    if out:
        write_tables(out, {"rejected": result.rejected, "files": result.files, "skipped": result.skipped,
                           "conflicts": result.conflicts})
        stdout().print(f"report written to {out}")
    if len(result.skipped):
        _print_frame(grouped_skipped(result.skipped).rename(columns=_skipped_columns()),
                     word("跳过的行（表单说明、未填报数值）", "rows skipped (form notes, values not reported)"), limit=20)
    print_load_notes(result, verbose=True)  # lists every conflict between files, one line each
    print_checks(result.observations, plan_obj.region if plan_obj is not None and not region else None)
    if not result.ok:
        stdout().print(format_rejections(result.rejected, limit=SHOW_ROWS), markup=False, highlight=False,
                       soft_wrap=True)
        if out is None and len(group_rejections(result.rejected)) > SHOW_ROWS:
            stdout().print("write them all with --out")
        raise typer.Exit(code=1)


# ------------------------------------------------------------------ quality


def quality(
    data: Annotated[list[str] | None, typer.Argument(
        help="Observation files, folders, or a database URL (default: ./data).")] = None,
    region: Annotated[list[str] | None, typer.Option(help="Region(s) to summarise (default: all).")] = None,
    first_year: Annotated[int | None, typer.Option("--from", help="Count coverage from this year.")] = None,
    last_year: Annotated[int | None, typer.Option("--to", help="Count coverage up to this year.")] = None,
    plan: Annotated[Path | None, typer.Option(
        help="Plan whose indicators are expected (its region fills files that name none).", exists=True)] = None,
    prefer: PreferOption = None,
    out: Annotated[Path | None, typer.Option(help="Write the summary (.xlsx: all tables).")] = None,
    lang: LangOption = "zh",
) -> None:
    """Data-quality summary per region: coverage, gaps, last year, series breaks."""
    from childplan_analysis.cli.workspace import default_data
    from childplan_analysis.engine.quality import label, quality_summary
    from childplan_analysis.io.sources import is_database, load_observations

    data = data or [str(default_data())]
    try:
        source = data[0] if len(data) == 1 and is_database(data[0]) else [Path(d) for d in data]
        plan_obj = load_plan_option(plan)
    except ChildplanError as exc:
        fail(exc)
    try:
        fill = region[0] if region and len(region) == 1 else region
        obs = load_observations(source, errors="report", region=fill, plan=plan_obj, prefer=prefer)
    except ChildplanError as exc:
        data_fail(exc)
    try:
        expected = plan_obj.indicators if plan_obj is not None else None
        years = None
        if first_year is not None or last_year is not None:
            years = (first_year or int(obs["year"].min()), last_year or int(obs["year"].max()))
        report = quality_summary(obs, regions=region or None, years=years, expected_indicators=expected)
    except ChildplanError as exc:
        fail(exc)
    print_load_notes(obs)
    _print_frame(report.regions.rename(columns=lambda c: label(c, lang)),
                 "data quality by region / 分地区数据质量")
    gaps = report.series[report.series["missing_years"] != ""]
    if len(gaps):
        _print_frame(gaps.rename(columns=lambda c: label(c, lang)), "series with gaps / 有缺年的序列", limit=50)
    if len(report.breaks):
        _print_frame(report.breaks.round(3).rename(columns=lambda c: label(c, lang)),
                     "series breaks / 序列断点", limit=50)
    if out:
        write_tables(out, report.sheets(lang))
        stdout().print(f"summary written to {out}")


# ------------------------------------------------------------------ db


def _store(db: str, create: bool = False):
    from childplan_analysis.io.store import MonitoringStore

    return MonitoringStore(db, create=create)


@db_app.command("ingest")
def db_ingest(
    files: Annotated[list[Path], typer.Argument(help="Observation files or folders.", exists=True)],
    db: DbOption = "monitoring.duckdb",
    region: RegionOption = None,
    plan: PlanOption = None,
    strict: Annotated[bool, typer.Option(help="Refuse the whole batch if any row is rejected.")] = False,
    force: Annotated[bool, typer.Option(help="Read files again even if their content was ingested.")] = False,
) -> None:
    """Load files into the database in one transaction (idempotent; revisions are kept)."""
    try:
        plan_obj = load_plan_option(plan)
        fill = region or (plan_obj.region if plan_obj is not None else None)
        with _store(db, create=True) as store:
            report = store.ingest(list(files), region=fill, strict=strict, force=force)
    except ChildplanError as exc:
        fail(exc)
    _print_frame(report.files.drop(columns="sha256"), f"ingest into {db}")
    stdout().print(report.summary())
    if not report.ok:
        _print_frame(report.rejected, "rejected rows / 被拒绝的行")
        raise typer.Exit(code=1)


@db_app.command("loads")
def db_loads(db: DbOption = "monitoring.duckdb") -> None:
    """The load log: file, content hash, rows loaded / rejected, time."""
    try:
        with _store(db) as store:
            loads = store.loads()
    except ChildplanError as exc:
        fail(exc)
    loads["sha256"] = loads["sha256"].str[:12]
    _print_frame(loads, f"loads in {db}", limit=None)


@db_app.command("summary")
def db_summary(db: DbOption = "monitoring.duckdb") -> None:
    """Observations, indicators, years and last load per region."""
    try:
        with _store(db) as store:
            frame = store.summary()
    except ChildplanError as exc:
        fail(exc)
    _print_frame(frame, f"regions in {db}", limit=None)


@db_app.command("history")
def db_history(
    db: DbOption = "monitoring.duckdb",
    region: Annotated[list[str] | None, typer.Option(help="Region(s).")] = None,
    indicator: Annotated[list[str] | None, typer.Option(help="Indicator name(s) or id(s).")] = None,
    year: Annotated[list[int] | None, typer.Option(help="Year(s).")] = None,
    all_values: Annotated[bool, typer.Option("--all", help="Also keys never revised.")] = False,
    out: Annotated[Path | None, typer.Option(help="Write the history (.xlsx, .csv, .parquet).")] = None,
) -> None:
    """Revised values: every value a key has had, with the file and time of each load."""
    try:
        ids = _indicator_ids(indicator)
        with _store(db) as store:
            frame = (store.history if all_values else store.revisions)(
                regions=region, indicators=ids, years=year)
    except ChildplanError as exc:
        fail(exc)
    if out:
        write_tables(out, {"history": frame})
        stdout().print(f"{len(frame)} rows written to {out}")
        return
    if frame.empty:
        stdout().print("no revised values" if not all_values else "no values")
        return
    _print_frame(frame.drop(columns=["source", "note"]), "value history / 数据修订记录")


@db_app.command("rejections")
def db_rejections(
    db: DbOption = "monitoring.duckdb",
    load: Annotated[int | None, typer.Option("--load", help="Only this load id.")] = None,
) -> None:
    """Rows rejected by past loads, with file, sheet, row, column and reason."""
    try:
        with _store(db) as store:
            frame = store.rejections(load)
    except ChildplanError as exc:
        fail(exc)
    _print_frame(frame, "rejected rows / 被拒绝的行")


@db_app.command("export")
def db_export(
    out: Annotated[Path, typer.Argument(help="Output file (.csv, .xlsx, .parquet).")],
    db: DbOption = "monitoring.duckdb",
    region: Annotated[list[str] | None, typer.Option(help="Region(s) (default: all).")] = None,
    indicator: Annotated[list[str] | None, typer.Option(help="Indicator name(s) or id(s).")] = None,
    as_of_load: Annotated[int | None, typer.Option("--as-of-load",
                                                   help="The data as it was right after this load.")] = None,
) -> None:
    """Export observations as a tidy long table (readable by every childplan command)."""
    try:
        ids = _indicator_ids(indicator)
        with _store(db) as store:
            frame = store.observations(regions=region, indicators=ids, as_of_load=as_of_load)
    except ChildplanError as exc:
        fail(exc)
    write_tables(out, {"observations": frame})
    stdout().print(f"{len(frame)} observations written to {out}")


def _indicator_ids(names: list[str] | None) -> list[str] | None:
    if not names:
        return None
    from childplan_analysis.core.indicators import load_indicators

    dictionary = load_indicators()
    return [dictionary.resolve(n).id for n in names]
