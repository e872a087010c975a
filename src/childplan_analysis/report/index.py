"""The index page linking every report of an output folder."""


import html
import json
from pathlib import Path

from childplan_analysis.engine.assess import STATUSES
from childplan_analysis.io.fileio import atomic_write_text
from childplan_analysis.report.labels import (
    status_label,
    t,
)


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
