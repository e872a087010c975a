"""Why a workbook cannot be read, in words an analyst can act on.

A county's folder holds what departments sent: an empty file saved before anything was written,
a ``.xlsx`` that is a zip of something else (a Word document, scanned pages, a folder of files),
an old ``.xls`` or a PDF renamed ``.xlsx``. The spreadsheet library reports these as
``KeyError: There is no item named 'xl/workbook.xml'``; :func:`workbook_problem` says what the file
is instead, before any reader opens it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from childplan_analysis.core.text import zh_en

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Office formats (.xls, .doc)
_ZIPPED = {".xlsx", ".xlsm", ".ods"}
#: Parts that tell what a zip that is no workbook holds.
_OTHER_DOCUMENTS = (("word/document.xml", "Word 文档（.docx）", "a Word document (.docx)"),
                    ("ppt/presentation.xml", "PowerPoint 演示文稿（.pptx）", "a PowerPoint file (.pptx)"))


def workbook_problem(path: Path) -> str | None:
    """Why ``path`` (a workbook by its suffix) is no readable workbook, or None when it may be one
    (a damaged zip that still looks like one is left to the reader)."""
    suffix = path.suffix.lower()
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not head:
        return zh_en("空文件", "empty file")
    if suffix not in _ZIPPED:
        return None
    if head.startswith(_OLE):
        return zh_en(f"无法读取文件：此文件实为旧版 Office 文件（如 Excel 97-2003 .xls），扩展名却是 {suffix}；"
                     "请用 Excel 或 WPS 打开后另存为 .xlsx",
                     f"unreadable file: an old binary Office file (e.g. Excel 97-2003 .xls) named {suffix}; "
                     "open it in Excel or WPS and save it as .xlsx")
    if head.startswith(b"%PDF"):
        return zh_en(f"无法读取文件：此文件实为 PDF，扩展名却是 {suffix}；请向填报单位索取 Excel 表格",
                     f"unreadable file: a PDF named {suffix}; ask for the Excel form")
    if not head.startswith(b"PK") or not zipfile.is_zipfile(path):
        return None  # not a zip, or a damaged one: the reader's own message
    with zipfile.ZipFile(path) as book:
        names = book.namelist()
    if suffix == ".ods" or any(n.lower() == "xl/workbook.xml" for n in names):
        return None
    for part, zh, en in _OTHER_DOCUMENTS:
        if part in names:
            return zh_en(f"无法读取文件：此文件实为{zh}，不是 Excel 工作簿", f"unreadable file: {en}, not an Excel workbook")
    shown = "、".join(names[:3]) + (f" 等 {len(names)} 个文件" if len(names) > 3 else "")
    return zh_en(f"无法读取文件：此文件是 zip 压缩包（内含 {shown or '无文件'}），不是 Excel 工作簿；"
                 "请解压后把其中的表格放入数据文件夹",
                 f"unreadable file: a zip archive ({len(names)} file(s): {', '.join(names[:3])}), not an Excel "
                 "workbook; unpack it and put the forms it holds in the data folder")


__all__ = ["workbook_problem"]
