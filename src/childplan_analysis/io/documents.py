"""Plan documents: plain text, Word, PDF and saved web pages, read into text and tables.

``read_document(path)`` picks a reader by the file's suffix (:data:`READERS`) and returns a
:class:`Document`: the body as text, one paragraph a line, and every table as rows of cells.
``Document.as_text()`` gives the text with each table written in place as tab-separated rows,
the layout the plan extractor reads tables from.

Readers: ``.txt``/``.md`` (encoding detected, GBK included), ``.docx`` (python-docx; paragraphs
and tables in document order), ``.pdf`` (pdfplumber; text outside tables, then each table, in
page order), ``.html``/``.htm`` (selectolax; scripts, navigation, headers and footers removed,
the article body kept with its tables). Scanned PDFs (no text layer) and other formats raise
:class:`~childplan_analysis.core.errors.DataError` naming the file.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from childplan_analysis.core import config
from childplan_analysis.core.errors import DataError, LimitError
from childplan_analysis.core.text import zh_en
from childplan_analysis.io.encoding import decode_html, decode_text
from childplan_analysis.io.limits import check_file_size, check_workbook

Rows = list[list[str]]


@dataclass
class Document:
    """A plan document: body text and tables (``blocks`` keeps their order)."""

    source: str
    blocks: list[str | Rows] = field(default_factory=list)
    title: str | None = None
    #: Documents a web page links as attachments (附件), as "link text (address)".
    attachments: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The paragraphs only, one a line."""
        return "\n".join(b for b in self.blocks if isinstance(b, str))

    @property
    def tables(self) -> list[Rows]:
        """Every table as rows of cell texts."""
        return [b for b in self.blocks if not isinstance(b, str)]

    def as_text(self) -> str:
        """Paragraphs and tables in order; a table as one tab-separated line per row."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, str):
                out.append(block)
            else:
                out.extend(table_lines(block))
        return "\n".join(out)


_WS = re.compile(r"[ \t\u3000\xa0]+")
_YEAR = re.compile(r"20\d\d")
_NUMBER_CELL = re.compile(r"^[<>≤≥＜＞]?=?\s*\d")


def _cell(text: str | None) -> str:
    """A cell's text on one line: a line broken inside a Chinese cell is joined without space."""
    if text is None:
        return ""
    lines = [_WS.sub(" ", ln).strip() for ln in str(text).splitlines()]
    return "".join(ln for ln in lines if ln)


def clean_rows(rows: list[list[str | None]]) -> Rows:
    """Cells as single-line strings; empty rows dropped; a header written over two rows
    (``目标值`` above ``2025年`` ``2030年``) merged into one."""
    table = [[_cell(c) for c in row] for row in rows]
    table = [row for row in table if any(row)]
    if len(table) >= 2 and len(table[0]) == len(table[1]):
        first, second = table[0], table[1]
        second_is_header = any(_YEAR.search(c) for c in second) and not any(
            _NUMBER_CELL.match(c) and not _YEAR.match(c) for c in second
        )
        if not any(_YEAR.search(c) for c in first) and second_is_header:
            merged = [a if a == b or not b else (b if not a else a + b) for a, b in zip(first, second, strict=True)]
            table = [merged, *table[2:]]
    return table


def table_lines(rows: Rows) -> list[str]:
    """Rows as tab-separated lines (tabs inside cells become spaces)."""
    return ["\t".join(c.replace("\t", " ") for c in row) for row in rows]


_HEADER_YEAR = re.compile(r"^(?:19|20)\d\d年?(?:目标值?)?$")
_VALUE_TOKEN = re.compile(r"^(?:[<>≤≥＜＞]?=?\d[\d.,]*(?:%|‰|/10万|万)?(?:以上|以下|左右)?|[-—–/])$")


_CLOSING = re.compile(r"^[。，；、：）)”’！？]")
_NEW_ITEM = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d)|第[一二三四五六七八九十]+|专栏|表\d)")


def page_blocks(lines: list[dict]) -> list[tuple[float, str | Rows]]:
    """A PDF page's text lines (pdfplumber line dicts) as (top, text or table) blocks: tables
    drawn without ruling lines made tables again, a paragraph's wrapped lines joined again."""
    lines = [line for line in lines if line["text"].strip()]
    texts = [line["text"].strip() for line in lines]
    out: list[tuple[float, str | Rows]] = []
    run: list[dict] = []
    i = 0
    while i < len(lines):
        rows = borderless_table(texts, i)
        if rows:
            out.extend(unwrap_lines(run))
            out.append((lines[i]["top"], rows))
            run = []
            i += len(rows)
        else:
            run.append(lines[i])
            i += 1
    out.extend(unwrap_lines(run))
    return out


def unwrap_lines(lines: list[dict]) -> list[tuple[float, str]]:
    """Text lines as (top, text), a paragraph's wrapped lines joined again.

    A line is a wrapped part of the one before when that one reaches the right margin of the
    text (within two characters; at least two lines must reach it) and it does not start a new
    item (一、 （二） 3.) — or when it starts with closing punctuation (a lone ``。``).
    """
    if not lines:
        return []
    right = max(line["x1"] for line in lines)
    sizes = [(line.get("chars") or [{}])[0].get("size", 10.0) for line in lines]
    # short lines only (headings, a list) hold no wrapped paragraph to join
    full = sum(line["x1"] >= right - 2 * size for line, size in zip(lines, sizes, strict=True))
    out: list[tuple[float, str]] = []
    wrapped = False
    for line, size in zip(lines, sizes, strict=True):
        text = line["text"].strip()
        if out and (_CLOSING.match(text) or (wrapped and not _NEW_ITEM.match(text))):
            out[-1] = (out[-1][0], out[-1][1] + text)
        else:
            out.append((line["top"], text))
        wrapped = full >= 2 and line["x1"] >= right - 2 * size
    return out


def borderless_table(texts: list[str], i: int) -> Rows:
    """The table drawn without ruling lines that starts at line ``i`` (header and rows), or [].

    Its header is a line of space-separated headings with at least one year after the first
    (``指标 2025年 2030年 属性``); its rows are the following lines with as many space-separated
    cells, each with a number (or ≥90, <4, —) under every year heading. A line with more cells
    than the header keeps the extra words in its name (the 指标 column, else the first).
    """
    head = texts[i].split()
    years = [k for k, h in enumerate(head) if _HEADER_YEAR.match(h)]
    if len(head) < 2 or not years or years[0] == 0:
        return []
    name = next((k for k, h in enumerate(head) if h in ("指标", "指标名称", "监测指标", "主要指标")), 0)
    rows: Rows = []
    for line in texts[i + 1:]:
        cells = line.split()
        extra = len(cells) - len(head)
        if extra < 0 or (name >= years[0] and extra):
            break
        cells = [*cells[:name], " ".join(cells[name:name + extra + 1]), *cells[name + extra + 1:]]
        if not all(_VALUE_TOKEN.match(cells[k]) for k in years):
            break
        rows.append(cells)
    return [head, *rows] if rows else []


#: Lines at the top and at the foot of a page looked at for a running header or footer.
_EDGE_LINES = 2


def running_lines(pages: list[list[dict]]) -> list[set[int]]:
    """Per page, the indices of its running header and footer lines: a short line among the
    first or last ``_EDGE_LINES`` of a page whose text (its digits aside: ``— 3 —``, ``第3页``)
    is at an edge of at least half the pages, and of two at least. A table's header repeated on
    each page is not one: it starts the rows below it."""
    def key(text: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))

    def edges(lines: list[dict]) -> set[int]:
        n = len(lines)
        return {k for k in (*range(min(_EDGE_LINES, n)), *range(max(0, n - _EDGE_LINES), n))}

    seen: dict[str, int] = {}
    for lines in pages:
        for k in {key(lines[k]["text"]) for k in edges(lines)}:
            seen[k] = seen.get(k, 0) + 1
    common = {k for k, n in seen.items() if n >= 2 and 2 * n >= len(pages) and len(k) <= _RUNNING_MAX}
    out: list[set[int]] = []
    for lines in pages:
        texts = [line["text"].strip() for line in lines]
        out.append({k for k in edges(lines) if key(texts[k]) in common and not borderless_table(texts, k)})
    return out


#: The longest running header or footer (characters, spaces aside): a line longer is text.
_RUNNING_MAX = 40


# --------------------------------------------------------------------------- readers


def read_text_file(path: Path) -> Document:
    """A ``.txt`` plan (UTF-8, GBK, GB18030, …). A UTF-8 file cut inside its last character (a
    copy stopped short) is read without that character."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        cut = exc.reason == "unexpected end of data" and exc.end == len(data)
        try:
            text = data[: exc.start].decode("utf-8-sig") if cut else decode_text(data)
        except DataError as err:
            raise DataError(f"{path}: {err}") from None
    return Document(str(path), [text.lstrip("\ufeff")])


def read_docx(path: Path) -> Document:
    """A Word ``.docx`` plan: paragraphs and tables in the order of the document body."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        doc = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises several kinds
        raise DataError(f"{path}: not a readable Word .docx file ({exc})") from None
    blocks: list[str | Rows] = []
    for item in doc.iter_inner_content():
        if isinstance(item, Paragraph):
            text = item.text.strip()
            if text:
                blocks.append(text)
        elif isinstance(item, Table):
            rows = clean_rows([[cell.text for cell in row.cells] for row in item.rows])
            if rows:
                blocks.append(rows)
    title = (doc.core_properties.title or "").strip() or None
    return Document(str(path), blocks, title)


def read_pdf(path: Path) -> Document:
    """A PDF plan with a text layer: on each page, the text outside the tables and the tables
    (主要指标, 专栏…), in the order they appear from top to bottom."""
    import pdfplumber

    blocks: list[str | Rows] = []
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises several kinds
        raise DataError(f"{path}: not a readable PDF file ({exc})") from None
    n_chars = 0
    with pdf:
        if len(pdf.pages) > config.MAX_DOCUMENT_PAGES:
            raise LimitError(zh_en(
                f"{path}：{len(pdf.pages):,} 页，超过上限 {config.MAX_DOCUMENT_PAGES:,} 页",
                f"{path}: {len(pdf.pages):,} pages, above the limit of {config.MAX_DOCUMENT_PAGES:,} "
                "(MAX_DOCUMENT_PAGES)"))
        pages: list[tuple[list[tuple[float, Rows]], list[dict]]] = []
        for page in pdf.pages:
            tables: list[tuple[float, Rows]] = []
            rest = page
            for table in page.find_tables():
                rows = clean_rows(table.extract())
                if rows:
                    tables.append((table.bbox[1], rows))
                rest = rest.outside_bbox(table.bbox)
            lines = [line for line in rest.extract_text_lines(keep_blank_chars=False) if line["text"].strip()]
            pages.append((tables, lines))
        running = running_lines([lines for _, lines in pages])
        for (tables, lines), furniture in zip(pages, running, strict=True):
            lines = [line for k, line in enumerate(lines) if k not in furniture]
            items: list[tuple[float, str | Rows]] = list(tables)
            n_chars += sum(len(line["text"].strip()) for line in lines)
            items.extend(page_blocks(lines))
            n_chars += sum(len(c) for _, b in items if not isinstance(b, str) for row in b for c in row)
            blocks.extend(b for _, b in sorted(items, key=lambda x: x[0]))
    if n_chars == 0:
        raise DataError(zh_en(f"{path}：PDF 中没有文字层（扫描件？），请先做文字识别（OCR），或改用 Word/网页版本",
                              f"{path}: the PDF has no text layer (a scan?); run OCR first or use the Word/web version"))
    return Document(str(path), blocks, (pdf.metadata or {}).get("Title") or None)


#: Elements that are never part of the article.
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "select", "button")
#: class/id words of page furniture on government sites.
_FURNITURE = re.compile(
    r"nav|menu|breadcrumb|crumb|footer|header|banner|share|sidebar|side-bar|toolbar|position|location|"
    r"search|login|copyright|friendlink|links|dyfx|fenxiang|print|related|xgwz",
    re.I,
)
#: Where government sites keep the article text.
_CONTENT_SELECTORS = (
    "#zoom", ".TRS_Editor", ".trs_editor_view", "#UCAP-CONTENT", ".pages_content", ".article-content",
    ".article", ".content", "#content", ".main", "article", "main",
)
_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "tr", "td", "th", "dd", "dt", "pre", "blockquote"}


def read_html(path: Path) -> Document:
    """A saved web page: navigation, scripts and page furniture removed; the article's
    paragraphs and tables kept."""
    from selectolax.lexbor import LexborHTMLParser

    raw = path.read_bytes()
    tree = LexborHTMLParser(decode_html(raw))
    title_node = tree.css_first("title")
    title = title_node.text(strip=True) if title_node else None
    for tag in _DROP_TAGS:
        for node in tree.css(tag):
            node.decompose()
    for node in tree.css("[class], [id]"):
        marks = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if _FURNITURE.search(marks) and node.tag not in ("body", "html"):
            node.decompose()
    attachments = _attachments(tree)
    root = _content_root(tree)
    blocks: list[str | Rows] = []
    _walk(root, blocks, [""])
    return Document(str(path), [b for b in blocks if b], title, attachments)


#: Suffixes of the documents a page attaches (the plan itself is often one).
_ATTACHED = re.compile(r"\.(?:pdf|docx?|wps|ofd|txt)(?:[?#]|$)", re.I)


def _attachments(tree) -> list[str]:
    """Links of the page (furniture removed) to documents, as "text (address)", in page order."""
    seen: list[str] = []
    for a in tree.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if _ATTACHED.search(href):
            text = _WS.sub(" ", a.text(strip=True)) or href.rsplit("/", 1)[-1]
            entry = f"{text} ({href})"
            if entry not in seen:
                seen.append(entry)
    return seen


def _content_root(tree):
    best, best_len = None, 0
    for sel in _CONTENT_SELECTORS:
        for node in tree.css(sel):
            n = len(node.text(strip=True))
            if n > best_len:
                best, best_len = node, n
    body = tree.body
    if best is None or (body is not None and best_len < 0.3 * len(body.text(strip=True))):
        return body if body is not None else tree.root
    return best


def _walk(node, blocks: list[str | Rows], line: list[str]) -> None:
    """Collect text by block: inline text joins the current line, a block element ends it."""
    child = node.child
    while child is not None:
        tag = child.tag
        if tag == "-text":
            line[0] += child.text_content or ""
        elif tag == "table":
            _end_line(blocks, line)
            rows = clean_rows(
                [[cell.text(separator="\n") for cell in tr.css("td, th")] for tr in child.css("tr")]
            )
            if rows:
                blocks.append(rows)
        elif tag in _BLOCK_TAGS:
            _end_line(blocks, line)
            _walk(child, blocks, line)
            _end_line(blocks, line)
        elif not tag.startswith("-"):
            _walk(child, blocks, line)
        child = child.next


def _end_line(blocks: list[str | Rows], line: list[str]) -> None:
    text = _WS.sub(" ", line[0]).strip()
    if text:
        blocks.append(text)
    line[0] = ""


#: Reader of each suffix.
READERS: dict[str, Callable[[Path], Document]] = {
    ".txt": read_text_file,
    ".text": read_text_file,
    ".md": read_text_file,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".html": read_html,
    ".htm": read_html,
    ".shtml": read_html,
}


def read_document(path: str | Path) -> Document:
    """Read a plan document with the reader for its suffix (see :data:`READERS`)."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        if path.suffix.lower() in (".doc", ".wps"):
            raise DataError(zh_en(f"{path}：无法读取旧版 Word/WPS 文字文件，请另存为 .docx、.pdf 或 .txt",
                                  f"{path}: old Word/WPS files cannot be read; save the plan as .docx, .pdf or .txt"))
        if path.suffix.lower() == ".ofd":
            raise DataError(zh_en(f"{path}：无法读取 OFD 版式文件，请在 OFD 阅读器中另存为 PDF",
                                  f"{path}: OFD files cannot be read; save the plan as PDF from an OFD reader"))
        raise DataError(zh_en(f"{path}：不支持的规划文件类型 {path.suffix!r}（可用 {'、'.join(sorted(READERS))}）",
                              f"{path}: unsupported plan document type {path.suffix!r} (use {', '.join(sorted(READERS))})"))
    check_file_size(path)
    if zipfile.is_zipfile(path):
        check_workbook(path)  # the zip's parts against their packed sizes (a .docx is a zip)
    document = reader(path)
    chars = len(document.text) + sum(len(c) for t in document.tables for row in t for c in row)
    if chars > config.MAX_DOCUMENT_CHARS:
        raise LimitError(zh_en(
            f"{path}：文字 {chars:,} 字，超过上限 {config.MAX_DOCUMENT_CHARS:,} 字",
            f"{path}: {chars:,} characters of text, above the limit of {config.MAX_DOCUMENT_CHARS:,} "
            "(MAX_DOCUMENT_CHARS)"))
    if not document.text.strip() and not any(c.strip() for t in document.tables for row in t for c in row):
        raise DataError(f"{path}: 文件中没有文字（the document holds no text）")
    return document


__all__ = ["READERS", "Document", "clean_rows", "read_document", "table_lines"]
