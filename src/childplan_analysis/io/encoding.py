"""Text encodings: the one detector every reader uses, and the garbled-text (乱码) check."""

from __future__ import annotations

import re

from childplan_analysis.core.errors import DataError

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN1_LETTERS = re.compile(r"[\u00c0-\u00ff]")


def detect_encoding(data: bytes) -> str:
    """Encoding of a text file: UTF-8 (with or without BOM), else GB18030 (covers GBK).

    >>> detect_encoding("婴儿死亡率".encode("gbk"))
    'gb18030'
    """
    return decode_detected(data)[1]


def decode_detected(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the encoding :func:`detect_encoding` finds (decoded once)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig"), "utf-8-sig"
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DataError("cannot detect the text encoding (not UTF-8, GBK or GB18030)")
    return data.decode(best.encoding), best.encoding


def decode_text(data: bytes) -> str:
    """Bytes of a text file as str, in the encoding :func:`detect_encoding` finds."""
    return data.decode(detect_encoding(data))
#: Legacy Chinese charsets a web page may name: read as GB18030, their superset (the WHATWG
#: encoding standard reads them all as GBK: ``gb2312``'s 0xA1AA is the dash —, not ―).
_GB_LABELS = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "csgb2312", "chinese", "iso-ir-58", "windows-936"}
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", re.I)


def decode_html(raw: bytes) -> str:
    """A saved web page's text: in the charset its ``<meta>`` names (GB labels as GB18030), else
    as :func:`decode_text` detects it."""
    m = _META_CHARSET.search(raw[:4096])
    if m:
        name = m.group(1).decode().lower()
        try:
            return raw.decode("gb18030" if name in _GB_LABELS else name)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(raw)


def garbled_text_problem(text: str, sample: int = 4000) -> str | None:
    """Why ``text`` is garbled (乱码) by an earlier wrong-encoding save, or None.

    Two faults are recognised: characters already lost (U+FFFD, from GBK opened as UTF-8
    and saved), and Chinese text read as Western (Windows-1252/Latin-1) and saved again.
    """
    head = text[:sample]
    if "\ufffd" in head:
        return ("garbled text (乱码): the file contains replacement characters (\ufffd), so it was "
                "converted from another encoding (e.g. GBK opened as UTF-8) and characters were lost; "
                "export it again from the original")
    if _CJK.search(head) or len(_LATIN1_LETTERS.findall(head)) < 4:
        return None
    raw = bytearray()
    for ch in head:
        try:
            raw += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                return None
            raw.append(ord(ch))
    for enc in ("utf-8", "gb18030"):
        try:
            fixed = bytes(raw).decode(enc)
        except UnicodeDecodeError:
            continue
        if _CJK.search(fixed):
            line = fixed.strip().splitlines()[0][:40]
            name = "GBK" if enc == "gb18030" else "UTF-8"
            return (f"garbled text (乱码): the file looks like {name} text that was opened as "
                    f"Western (Windows-1252) and saved again (its first line reads {line!r}); "
                    "save it again from the original as UTF-8 or GBK")
    return None
