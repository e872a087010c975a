"""Guards for user-supplied names in paths, spreadsheets and HTML (childplan_analysis.io.safety),
and strict YAML (childplan_analysis.core.strict_yaml)."""

from __future__ import annotations

import io
import math
import os

import openpyxl
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from childplan_analysis.core import strict_yaml
from childplan_analysis.core.strict_yaml import MAX_YAML_DEPTH, load_yaml
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


# ------------------------------------------------------------------ YAML


@pytest.fixture(params=["libyaml", "python"])
def yaml_parser(request, monkeypatch):
    """``load_yaml`` as PyYAML with libyaml runs it, and as a PyYAML built without libyaml does."""
    if request.param == "libyaml" and strict_yaml.CParser is None:
        pytest.skip("PyYAML without libyaml")
    if request.param == "python":
        monkeypatch.setattr(strict_yaml, "CParser", None)
    return request.param


def _refusal(text: str) -> yaml.MarkedYAMLError:
    with pytest.raises(yaml.MarkedYAMLError) as exc:
        load_yaml(text)
    return exc.value


def test_every_bundled_catalog_reads_as_yaml_safe_load_does(yaml_parser):
    from childplan_analysis.core import config

    files = sorted(config.PARAMS_DIR.glob("*.yaml"))
    assert len(files) > 5
    for path in files:
        with open(path, encoding="utf-8") as fh:
            assert load_yaml(fh) == yaml.safe_load(path.read_text(encoding="utf-8")), path.name


SCALARS = ["yes", "No", "on", "OFF", "true", "False", "010", "0o10", "0x1F", "0b101", "1_000", "-1_000.5",
           "1:20", "190:20:30.15", "1.5", "1e3", "1.0e+3", "-.5", ".inf", "-.Inf", "~", "null", "", "2021-09-27",
           "2021-09-27 10:00:00", "2021-9-7T8:05:01.25+08:00", "+12", "-0", "'010'", '"yes"', "中文", "降至3.0‰以下",
           "<=", ">", "'a: b'", "!!str 010", "!!float 1", '!!int "2"', "!!binary aGVsbG8=", "! 12", "!!null x",
           "[1, '2', {k: v}]", "{a: [], b: {}}", "|\n  多行\n  文本", ">-\n  folded\n  line"]


@pytest.mark.parametrize("scalar", SCALARS)
def test_scalars_resolve_as_in_yaml_safe_load(yaml_parser, scalar):
    text = f"k: {scalar}\n"
    assert load_yaml(text) == yaml.safe_load(text)


def test_nan_reads_as_nan():
    assert math.isnan(load_yaml("k: .nan")["k"])


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


plain_data = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
    | st.dates() | st.sampled_from(["yes", "010", "1_000", "1:20", "~", "<<", "=", "2021-09-27", "中文"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6) | st.integers(), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(data=plain_data, flow=st.booleans())
def test_any_plain_data_reads_as_in_yaml_safe_load(data, flow):
    text = yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, default_flow_style=flow)
    assert load_yaml(text) == yaml.safe_load(text)


def _laughs(levels: int = 9) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def _block_nesting(levels: int) -> str:
    return "".join("  " * i + "a:\n" for i in range(levels)) + "  " * levels + "x\n"


#: document → (words of the refusal, line and column of the offending node)
REFUSED = {
    "alias": ("a: &x [1, 2]\nb: *x\n", "aliases (*x) are not allowed", (2, 4)),
    "billion laughs": (_laughs(), "aliases (*a0) are not allowed", (2, 10)),
    "duplicate key": ("a: 1\nb: 2\na: 3\n", "duplicate key 'a'", (3, 1)),
    "duplicate key in a flow mapping": ("t:\n- {id: x, year: 1, id: y}\n", "duplicate key 'id'", (2, 20)),
    "equal keys": ("1: a\n1.0: b\n", "duplicate key 1.0", (2, 1)),
    "unhashable key": ("? [1]\n: 2\n", "found unhashable key", (1, 3)),
    "python tag": ("a: !!python/object/apply:os.system ['true']\n",
                   "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed (only plain YAML data)", (1, 4)),
    "python tag on a mapping": ("a:\n  b: !!python/object:os.system {x: 1}\n",
                                "tag 'tag:yaml.org,2002:python/object:os.system' is not allowed", (2, 6)),
    "local tag": ("a: !foo 1\n", "tag '!foo' is not allowed", (1, 4)),
    "set": ("a: !!set {x, y}\n", "tag 'tag:yaml.org,2002:set' is not allowed", (1, 4)),
    "merge key": ("a:\n  <<: {b: 1}\n", "tag 'tag:yaml.org,2002:merge' is not allowed", (2, 3)),
    "wrong collection tag": ("a: !!map [1]\n", "expected a mapping node, but found sequence", (1, 4)),
    "scalar tag on a collection": ("a: !!str [1]\n", "expected a scalar node, but found sequence", (1, 4)),
    "impossible date": ("a: 1\nb: 2021-02-30\n", "'2021-02-30' cannot be read as timestamp (day is out of range", (2, 4)),
    "integer too long": ("a: " + "9" * 5000 + "\n", "cannot be read as int (Exceeds the limit", (1, 4)),
    "not an integer": ("a: !!int x\n", "'x' cannot be read as int", (1, 4)),
    "not a boolean": ("a: !!bool maybe\n", "'maybe' cannot be read as bool", (1, 4)),
    "duplicate anchor": ("a: &x 1\nb: &x 2\n", "found duplicate anchor 'x'", (2, 4)),
    "two documents": ("a: 1\n---\nb: 2\n", "expected a single document in the stream", (2, 1)),
    "flow nesting": ("[" * 100_000, f"nested deeper than {MAX_YAML_DEPTH} levels", (1, MAX_YAML_DEPTH + 1)),
    # the mapping on line k is the k-th node deep; its key on line 50 the 51st
    "block nesting": (_block_nesting(200), f"nested deeper than {MAX_YAML_DEPTH} levels", (50, 99)),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_yaml_refuses_what_no_catalog_contains_naming_line_and_column(yaml_parser, case):
    text, words, (line, column) = REFUSED[case]
    problem = _refusal(text)
    assert words in str(problem)
    assert (problem.problem_mark.line + 1, problem.problem_mark.column + 1) == (line, column)


@pytest.mark.parametrize("levels", [MAX_YAML_DEPTH - 1, MAX_YAML_DEPTH])
def test_nesting_up_to_the_limit_is_read(yaml_parser, levels):
    flow = "[" * levels + "]" * levels  # `levels` nodes deep
    assert load_yaml(flow) == yaml.safe_load(flow)
    block = _block_nesting(levels // 2 - 1)  # mappings and their keys: levels - 1 nodes deep
    assert load_yaml(block) == yaml.safe_load(block)


def test_structure_problems_are_reported_before_data_problems(yaml_parser):
    # PyYAML composes a whole document before constructing it: an alias, a nesting or a syntax
    # problem anywhere is named before a duplicate key or a tag earlier in the document
    assert "aliases (*x)" in str(_refusal("a: 1\na: 2\nb: !!python/name:os.system x\nc: *x\n"))
    assert "nested deeper" in str(_refusal("a: 1\na: 2\nb: " + "[" * 60 + "]" * 60 + "\n"))
    assert "found character '\\t' that cannot start any token" in str(_refusal("a: 1\na: 2\n\tb: 3\n"))
    assert "duplicate key 'a'" in str(_refusal("a: 1\na: !!python/name:os.system x\n"))
    # nesting is still counted inside a refused node: root, key a, the mapping, key b, then the brackets
    prefix = "a: !!python/name:os.system {b: "
    problem = _refusal(prefix + "[" * 60 + "]" * 60 + "}\n")
    assert "nested deeper" in str(problem) and problem.problem_mark.column + 1 == len(prefix) + MAX_YAML_DEPTH - 1


def test_a_syntax_error_is_named_in_pyyaml_words(yaml_parser):
    problem = _refusal("a: 1\nb: [2, 3\n\tc: 4\n")
    assert "found character '\\t' that cannot start any token" in str(problem)
    assert problem.problem_mark.line + 1 == 3


def test_problems_in_a_file_name_the_file(tmp_path, yaml_parser):
    path = tmp_path / "规划.yaml"
    path.write_text("id: p\ntargets:\n- id: a\n  value: 1\n  value: 2\n", encoding="utf-8")
    with open(path, encoding="utf-8") as fh, pytest.raises(yaml.YAMLError) as exc:
        load_yaml(fh)
    assert f'duplicate key \'value\'\n  in "{path}", line 5, column 3' in str(exc.value)


def test_a_stream_that_cannot_seek_is_read_once(yaml_parser):
    class Unseekable:
        def __init__(self, text: str) -> None:
            self.read = io.StringIO(text).read

    assert load_yaml(Unseekable("a: [1, 中]\n")) == {"a": [1, "中"]}
    with pytest.raises(yaml.YAMLError, match="found character '\\\\t'"):
        load_yaml(Unseekable("a: 1\n\tb: 2\n"))


def test_empty_documents_are_none(yaml_parser):
    assert [load_yaml(t) for t in ("", "# only a comment\n", "---\n", "--- ~\n")] == [None] * 4
