"""Broken and hostile files: each one through ``childplan validate`` in a fresh process, with its
exit code, whether the one-line reason names the file, wall time and peak memory (RSS of the
process and its children, from ``getrusage``).

The files are the hostile workbooks of ``tests/data/build_bad_files.py`` (declared huge
dimensions, a far cell, a shared-string table announcing 50 M entries, a worksheet that unpacks
to 64 MB), a header without a value column, a header whose value column has an unknown name, a
BOM in the middle of a CSV, and a 1,048,576-row sheet's worth of CSV rows repeating 70 keys with
different values (every row rejected). Aims: exit 1, one line naming the file, no traceback,
under 30 s and under 1 GB each; the table prints time and memory also as a share of their aim.

Usage: ``python benchmarks/hostile.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "data"))
from build_bad_files import build_hostile  # noqa: E402

RUN = ("import resource, subprocess, sys, time;"
       "t = time.perf_counter();"
       "p = subprocess.run([sys.executable, '-c', 'import sys; from childplan_analysis.cli import main; "
       "sys.exit(main())', 'validate', sys.argv[1], '--region', '甲县'], capture_output=True, text=True);"
       "w = time.perf_counter() - t;"
       "r = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss;"
       "print(p.returncode, round(w, 2), r, sep='\\t');"
       "sys.stderr.write(p.stdout + p.stderr)")


def text_cases(folder: Path) -> list[Path]:
    no_value = folder / "no_value_column.csv"
    no_value.write_text("region,indicator,year\n甲县,婴儿死亡率,2020\n", encoding="utf-8")
    unknown_value = folder / "unknown_value_column.csv"
    unknown_value.write_text("region,indicator,year,数量（人）\n甲县,婴儿死亡率,2020,5\n", encoding="utf-8")
    mid_bom = folder / "bom_in_the_middle.csv"
    mid_bom.write_text("region,indicator,year,value\n甲县,婴儿死亡率,2020,5\n\ufeff甲县,婴儿死亡率,2021,4.8\n",
                       encoding="utf-8")
    many = folder / "million_rows.csv"
    with many.open("w", encoding="utf-8") as fh:
        fh.write("region,indicator,year,value\n")
        fh.writelines(f"甲县,婴儿死亡率,{1950 + i % 70},{i % 97 / 10}\n" for i in range(1_048_576))
    return [no_value, unknown_value, mid_bom, many]


def main() -> None:
    console = Console(width=170)
    table = Table(title="hostile inputs through `childplan validate` (one process each)")
    for col in ("file", "size", "exit", "expected", "names the file", "traceback", "seconds", "÷ 30 s", "peak MB",
                "÷ 1,024 MB"):
        table.add_column(col, justify="left" if col == "file" else "right")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = [folder / name for name in build_hostile(folder)] + text_cases(folder)
        for path in files:
            proc = subprocess.run([sys.executable, "-c", RUN, str(path)], capture_output=True, text=True,
                                  env={**os.environ, "COLUMNS": "200"}, timeout=600)
            code, seconds, peak_kb = proc.stdout.strip().split("\t")
            output = proc.stderr
            expected = "0" if path.name == "bom_in_the_middle.csv" else "1"
            table.add_row(path.name, f"{path.stat().st_size / 2**20:.2f} MB", code, expected,
                          "yes" if path.name in output else "no", "yes" if "Traceback" in output else "no",
                          seconds, f"{float(seconds) / 30:.2f}", f"{int(peak_kb) / 1024:.0f}",
                          f"{int(peak_kb) / 1024 / 1024:.2f}")
    console.print(table)
    console.print("aims: exit 1 (a BOM in the middle of a CSV is removed with a warning: exit 0), the file named, no traceback, < 30 s and < 1,024 MB each (ratios < 1); "
                  "timings on a shared machine are noisy")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"total {time.perf_counter() - start:.0f} s")
