"""Plan documents made in the tests: Word files whose tab-separated lines become tables."""

from __future__ import annotations

from pathlib import Path


def table_docx(text: str, path: Path) -> Path:
    """Write ``text`` as a Word document at ``path``: each run of tab-separated lines is one
    table (its first line the header), every other line a paragraph."""
    import docx

    d, rows = docx.Document(), []

    def add_table() -> None:
        t = d.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                t.cell(r, c).text = v
        rows.clear()

    for line in text.splitlines():
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            add_table()
        d.add_paragraph(line)
    if rows:  # a table that ends the text
        add_table()
    d.save(str(path))
    return path


def init_workspace(text: str, tmp_path: Path, name: str, current_year: int) -> Path:
    """``childplan init`` of a working folder ``tmp_path/name`` from ``text`` written as a Word plan."""
    from typer.testing import CliRunner

    from childplan_analysis.cli.app import app

    plan = table_docx(text, tmp_path / f"{name}规划.docx")
    folder = tmp_path / name
    res = CliRunner().invoke(app, ["init", str(folder), "--plan", str(plan), "--current-year", str(current_year)],
                             env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    return folder
