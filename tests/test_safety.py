"""Guards for user-supplied names in paths, spreadsheets and HTML (childplan_analysis.io.safety)."""

from __future__ import annotations

import math
import os

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from childplan_analysis.io.safety import (
    MAX_COMPONENT_BYTES,
    UnsafePathError,
    ensure_inside,
    excel_safe,
    excel_safe_frame,
    html_text,
    safe_join,
    safe_path_component,
)

HOSTILE_NAMES = [
    "../../etc/passwd",
    "..",
    ".",
    "",
    "/etc/passwd",
    "C:\\Windows\\system32",
    "\\\\server\\share",
    "a\x00b",
    "CON",
    "con.txt",
    "Lpt1",
    "COM9.csv",
    "AUX ",
    "name.",
    "name ",
    " ..",
    "\u202eexe.txt",  # right-to-left override
    "a\nb\rc\td",
    "<script>alert(1)</script>",
    "x" * 400,
    "磐" * 200,
]

# Names built from every kind of character that matters: separators, dots, spaces,
# Chinese, control and format characters, Windows-forbidden characters.
names = st.lists(
    st.one_of(
        st.sampled_from(list("./\\:*?\"<>| \t\x00\x1f\u202e\u200b.-_") + ["..", "CON", "nul", "Com1"]),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),
        st.characters(codec="utf-8"),
    ),
    max_size=60,
).map("".join)


def _is_safe_component(c: str) -> bool:
    reserved = c.split(".", 1)[0].rstrip(" ").upper()
    return (
        bool(c)
        and c not in (".", "..")
        and not any(ch in c for ch in '/\\<>:"|?*\x00')
        and all(ord(ch) >= 32 for ch in c)
        and not c.endswith((".", " "))
        and not c.startswith(".")
        and reserved not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1", "COM9", "LPT9"}
        and len(c.encode("utf-8")) <= MAX_COMPONENT_BYTES
    )


def test_readable_names_are_kept():
    for name in ["磐石市", "吉林市 儿童发展规划", "national_children_2021_2030", "长春市(2023)", "a.b-c_d"]:
        assert safe_path_component(name) == name


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_become_one_safe_component(name):
    out = safe_path_component(name)
    assert _is_safe_component(out), out
    assert out != name


def test_changed_names_keep_readable_chinese_and_get_a_stable_hash():
    out = safe_path_component("吉林省/磐石市")
    assert out.startswith("吉林省_磐石市-") and len(out) == len("吉林省_磐石市-") + 10
    assert safe_path_component("吉林省/磐石市") == out
    assert safe_path_component("吉林省\\磐石市") != out


@settings(max_examples=2000)
@given(names)
def test_any_name_gives_a_safe_component(name):
    out = safe_path_component(name)
    assert _is_safe_component(out)
    assert safe_path_component(out) == out  # idempotent


@settings(max_examples=1000)
@given(names, names)
def test_different_changed_names_never_collide(a, b):
    sa, sb = safe_path_component(a), safe_path_component(b)
    if a != b and (sa != a or sb != b):
        assert sa != sb


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_safe_join_stays_inside_root_and_writes_there(tmp_path, name):
    root = tmp_path / "out"
    root.mkdir()
    path = safe_join(root, name, name)
    path.mkdir(parents=True)
    (path / "report.html").write_text("ok", encoding="utf-8")
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written == [path / "report.html"]
    assert root.resolve() in (path / "report.html").resolve().parents


def test_ensure_inside_refuses_escapes_and_symlinks(tmp_path):
    root = tmp_path / "out"
    root.mkdir()
    with pytest.raises(UnsafePathError):
        ensure_inside(root, root / ".." / "x")
    os.symlink(tmp_path, root / "link")
    with pytest.raises(UnsafePathError):
        ensure_inside(root, root / "link" / "x")
    assert ensure_inside(root, root / "a" / "b") == root / "a" / "b"


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://evil","点击")', '\'=HYPERLINK("http://evil","点击")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-3.5", "-3.5"),
        ("+12", "+12"),
        ("磐石市", "磐石市"),
        ("a=b", "a=b"),
        ("bad\x00name\x07", "badname"),
        ("", ""),
    ],
)
def test_excel_safe_text(cell, expected):
    assert excel_safe(cell) == expected


def test_excel_safe_keeps_numbers_and_missing():
    for v in (-3.5, 0, 7, True, None, pd.Timestamp("2024-01-01")):
        assert excel_safe(v) is v or excel_safe(v) == v
    assert pd.isna(excel_safe(float("nan")))


def test_excel_safe_frame_in_a_real_workbook(tmp_path):
    frame = pd.DataFrame(
        {
            "region": ["=HYPERLINK(\"http://evil\",\"x\")", "磐石市", "@risk", None],
            "value": [-3.5, 4.0, -0.1, 2.0],
            "=header": ["-1", "+x", "ok", "a\x01b"],
        }
    )
    path = tmp_path / "out.xlsx"
    excel_safe_frame(frame).to_excel(path, index=False)
    ws = openpyxl.load_workbook(path).active
    cells = [[c for c in row] for row in ws.iter_rows()]
    assert all(c.data_type != "f" for row in cells for c in row)  # no formula anywhere
    values = [[c.value for c in row] for row in cells]
    assert values[0] == ["region", "value", "'=header"]
    assert values[1] == ["'=HYPERLINK(\"http://evil\",\"x\")", -3.5, "-1"]
    assert values[2] == ["磐石市", 4.0, "'+x"]
    assert values[3] == ["'@risk", -0.1, "ok"]
    assert values[4] == [None, 2.0, "ab"]
    assert frame.loc[0, "region"].startswith("=")  # the input frame is untouched


def test_unguarded_frame_would_write_a_formula(tmp_path):
    """The hazard the guard removes: openpyxl stores text starting with '=' as a formula."""
    path = tmp_path / "raw.xlsx"
    pd.DataFrame({"region": ["=1+1"]}).to_excel(path, index=False)
    assert openpyxl.load_workbook(path).active["A2"].data_type == "f"


@settings(max_examples=1000)
@given(st.text(max_size=30))
def test_excel_safe_never_leaves_a_formula_trigger(text):
    out = excel_safe(text)
    cleaned = "".join(ch for ch in text if ch in "\t\n\r" or not (ord(ch) < 32 or ch in "\ufffe\uffff"))
    assert out in (cleaned, "'" + cleaned)
    if out == cleaned and out.startswith(("=", "+", "-", "@", "\t", "\r", "\n")):
        assert math.isfinite(float(out))  # only plain numbers such as -3.5 stay as they are


def test_html_text():
    assert html_text("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert html_text('a"b\'c&') == "a&quot;b&#x27;c&amp;"
    assert html_text(None) == "" and html_text(float("nan")) == ""


def test_markdown_text_keeps_links_and_markup_literal():
    import mistune

    from childplan_analysis.io.safety import markdown_text

    name = "[点我](javascript:alert(1)) **粗** <b>x</b> 2021-2030"
    rendered = mistune.html("地区：" + markdown_text(name))
    assert "<a" not in rendered and "<strong>" not in rendered and "<b>" not in rendered
    assert "[点我](javascript:alert(1)) **粗** &lt;b&gt;x&lt;/b&gt; 2021-2030" in rendered
