"""Safe use of user-supplied names and labels in paths, spreadsheets and HTML.

Region, plan and indicator names come from data files typed by hand in many departments.
They end up in folder names, Excel cells and HTML pages, so every output goes through
one of these guards:

- :func:`safe_path_component` / :func:`safe_join`: a name becomes one harmless path
  component (no ``../``, no absolute path, no NUL or control characters, no Windows
  reserved device name, no trailing dot or space, bounded length). Chinese stays readable;
  a name that had to be changed gets a short stable hash so two different names never
  share a folder.
- :func:`excel_safe` / :func:`excel_safe_frame`: text cells that a spreadsheet would run
  as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) get a
  leading apostrophe; numbers, including negative ones, stay numbers. Characters that
  cannot be stored in a workbook are removed.
- :func:`html_text`: text escaped for HTML element content and attribute values.
- :func:`~childplan_analysis.core.strict_yaml.load_yaml` (also importable from here): YAML
  through safe loading only (no Python tags), refusing duplicate keys, aliases and absurd
  nesting, which hand-edited catalogs should never contain.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd

from childplan_analysis.core.strict_yaml import MAX_YAML_DEPTH as MAX_YAML_DEPTH
from childplan_analysis.core.strict_yaml import load_yaml as load_yaml

#: Longest path component produced, in UTF-8 bytes (file systems allow 255; room for suffixes).
MAX_COMPONENT_BYTES = 120
#: Length of the hash suffix added to a name that had to be changed.
HASH_LENGTH = 10

_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{dev}{n}" for dev in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]]
)
# Separators, characters Windows forbids in names, and the hash-suffix separator's
# look-alikes are replaced; so is every control / format / unassigned / surrogate character.
_FORBIDDEN = re.compile(r'[/\\<>:"|?*]')
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_RUNS = re.compile(r"_{2,}")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# Characters XML 1.0 (hence .xlsx) cannot hold; openpyxl refuses them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class UnsafePathError(ValueError):
    """A path would leave the folder it must stay in."""


# ------------------------------------------------------------------ paths


def safe_path_component(name: object, *, max_bytes: int = MAX_COMPONENT_BYTES) -> str:
    """``name`` as one path component that is safe on Linux, macOS and Windows.

    Unchanged when already safe (``磐石市`` stays ``磐石市``). Otherwise separators,
    forbidden and control characters become ``_``, leading dots and trailing dots or
    spaces are dropped, Windows device names (``CON``, ``com1.txt``) get a ``_`` prefix,
    the name is cut to ``max_bytes`` UTF-8 bytes, and a hash of the original name is
    appended: ``../../etc`` → ``etc-3c5a1f0b2e``. The result is never empty, ``.`` or
    ``..``, and applying the function again returns it unchanged.

    >>> safe_path_component("磐石市")
    '磐石市'
    >>> safe_path_component("../../etc/passwd").startswith("etc_passwd-")
    True
    """
    if max_bytes < HASH_LENGTH + 8:
        raise ValueError(f"max_bytes must be at least {HASH_LENGTH + 8}")
    original = "" if name is None else str(name)
    cleaned = _clean_component(original)
    if cleaned == original and len(cleaned.encode("utf-8")) <= max_bytes:
        return cleaned
    digest = hashlib.sha256(original.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_LENGTH]
    body = _truncate_utf8(cleaned, max_bytes - HASH_LENGTH - 1).rstrip(". ")
    return f"{body or '_'}-{digest}"


def _clean_component(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = "".join(
        "_" if unicodedata.category(ch) in _UNSAFE_CATEGORIES else ch for ch in text
    )
    # path segments: drop empty, "." and ".." ones, join the rest ("../../etc/x" → "etc_x")
    text = "_".join(part for part in re.split(r"[/\\]", text) if part.strip(". "))
    text = _FORBIDDEN.sub("_", text)
    text = _RUNS.sub("_", text)
    text = text.lstrip(". ").rstrip(". ")
    if not text:
        return "_"
    stem = text.split(".", 1)[0].rstrip(" ").upper()
    if stem in _WINDOWS_RESERVED:
        text = "_" + text
    return text


def _truncate_utf8(text: str, max_bytes: int) -> str:
    data = text.encode("utf-8", "surrogatepass")
    if len(data) <= max_bytes:
        return text
    return data[:max_bytes].decode("utf-8", "ignore")


def safe_join(root: str | Path, *names: object) -> Path:
    """``root / safe(name1) / safe(name2) …``, guaranteed to lie inside ``root``.

    Each name is passed through :func:`safe_path_component`; the result is checked
    against the resolved ``root`` (symbolic links included) and :class:`UnsafePathError`
    is raised if it would leave it.
    """
    root = Path(root)
    path = root.joinpath(*(safe_path_component(n) for n in names))
    ensure_inside(root, path)
    return path


def ensure_inside(root: str | Path, path: str | Path) -> Path:
    """Raise :class:`UnsafePathError` unless ``path`` resolves to ``root`` or below it."""
    base = Path(root).resolve()
    target = Path(path).resolve()
    if target != base and base not in target.parents:
        raise UnsafePathError(f"{path}: outside the output folder {root}")
    return Path(path)


# ------------------------------------------------------------------ spreadsheets


def excel_safe(value: Any) -> Any:
    """A cell value that a spreadsheet shows as text and never evaluates.

    Text starting with ``=``, ``+``, ``-``, ``@``, tab, CR or LF gets a leading ``'``
    unless it is a plain number such as ``-3.5``; characters a workbook cannot hold are
    removed. Numbers, dates, booleans and missing values are returned unchanged.

    >>> excel_safe("=HYPERLINK(\\"http://x\\",\\"点击\\")")
    '\\'=HYPERLINK("http://x","点击")'
    >>> excel_safe(-3.5), excel_safe("-3.5"), excel_safe("磐石市")
    (-3.5, '-3.5', '磐石市')
    """
    if not isinstance(value, str):
        return value
    text = _ILLEGAL_XML.sub("", value)
    return "'" + text if is_formula_like(text) else text


def excel_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and text label passed through :func:`excel_safe`."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
            continue
        out[col] = series.map(excel_safe, na_action="ignore")
    out.columns = _safe_index(out.columns)
    out.index = _safe_index(out.index)
    return out


def _safe_index(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples(
            [tuple(excel_safe(v) for v in t) for t in index], names=index.names
        )
    if index.dtype == object or pd.api.types.is_string_dtype(index):
        return pd.Index([excel_safe(v) for v in index], name=index.name, dtype=index.dtype)
    return index


def is_formula_like(value: Any) -> bool:
    """Whether a spreadsheet could evaluate ``value`` as a formula (see :func:`excel_safe`)."""
    return (
        isinstance(value, str)
        and value.startswith(_FORMULA_START)
        and not _PLAIN_NUMBER.match(value.strip())
    )


# ------------------------------------------------------------------ HTML


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+\-.!|~])")


def markdown_text(value: Any) -> str:
    """``value`` as literal text inside Markdown: HTML escaped and Markdown syntax
    (links, emphasis, headings, tables) backslash-escaped, so ``[x](javascript:…)`` stays text."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html_text(value).replace("&quot;", '"').replace("&#x27;", "'"))


def html_text(value: Any) -> str:
    """``value`` as text that is safe in HTML content and quoted attributes."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)
