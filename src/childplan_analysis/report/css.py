"""Page stylesheets cut to the rules a page can use (tinycss2).

The notebook template ships JupyterLab's whole stylesheet (about 250 KB) for every page; a
report uses a few dozen of its classes. A selector that names a class absent from the page
cannot match it, so rules whose every selector names such a class are dropped; element,
id and attribute selectors, ``:root`` variables, ``@font-face`` and ``@keyframes`` stay.
"""

from __future__ import annotations

import re

import tinycss2

_CLASS_ATTR = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S | re.I)
#: At-rules holding rules (pruned inside); any other at-rule is kept as it is.
_NESTED = {"media", "supports", "layer", "container"}


def page_classes(page: str) -> set[str]:
    """Every class named in a ``class`` attribute of the page."""
    return {c for m in _CLASS_ATTR.finditer(page) for c in (m.group(1) or m.group(2) or "").split()}


def _selectors(prelude: list) -> list[list]:
    """A rule's selector list split at its top-level commas."""
    out: list[list] = [[]]
    for tok in prelude:
        if tok.type == "literal" and tok.value == ",":
            out.append([])
        else:
            out[-1].append(tok)
    return [s for s in out if any(t.type not in ("whitespace", "comment") for t in s)]


def _classes(selector: list) -> set[str]:
    """Classes a selector requires (``.name`` at its top level; inside ``:not()`` they are not)."""
    return {b.value for a, b in zip(selector, selector[1:], strict=False)
            if a.type == "literal" and a.value == "." and b.type == "ident"}


_VAR = re.compile(r"var\(\s*(--[\w-]+)")


def _prune_all(sheets: list[str], classes: set[str], outside: str) -> list[str]:
    """Each sheet without the rules that cannot match a page having only ``classes``, and
    without the custom properties (``--name``) that nothing left uses (in any sheet or in
    ``outside``)."""
    trees = [_prune(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), classes)
             for css in sheets]
    fixed = set(_VAR.findall(outside))
    used: set[str] | None = None
    while True:  # a property used only by a dropped property's value goes too
        texts = [_serialize(nodes, used) for nodes in trees]
        now = fixed | {v for text in texts for v in _VAR.findall(text)}
        if now == used:
            return texts
        used = now


def _prune(rules: list, classes: set[str]) -> list:
    """Kept rules as ``(selector, [(name, value)])``, ``(at-rule head, [nodes])`` or raw text."""
    out: list = []
    for rule in rules:
        if rule.type == "qualified-rule":
            keep = [s for s in _selectors(rule.prelude) if _classes(s) <= classes]
            if keep:
                decls = [(d.name, tinycss2.serialize(d.value).strip() + (" !important" if d.important else ""))
                         for d in tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                                 skip_whitespace=True)
                         if d.type == "declaration"]
                out.append((",".join(tinycss2.serialize(s).strip() for s in keep), decls))
        elif rule.type == "at-rule" and rule.lower_at_keyword in _NESTED and rule.content is not None:
            inner = _prune(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True),
                           classes)
            if inner:
                out.append((f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}", inner))
        elif rule.type == "at-rule":
            out.append(rule.serialize())
    return out


def _serialize(nodes: list, used: set[str] | None) -> str:
    parts = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node + "\n")
            continue
        head, body = node
        if head.startswith("@"):
            inner = _serialize(body, used)
            if inner:
                parts.append(f"{head}{{{inner}}}\n")
            continue
        decls = [f"{n}:{v}" for n, v in body if used is None or not n.startswith("--") or n in used]
        if decls:
            parts.append(f"{head}{{{';'.join(decls)}}}\n")
    return "".join(parts)


def prune_page_styles(page: str) -> str:
    """The page with its ``<style>`` blocks cut to the rules its classes can use, and to the
    custom properties used anywhere in the page."""
    blocks = list(_STYLE.finditer(page))
    if not blocks:
        return page
    outside = _STYLE.sub("", page)
    texts = _prune_all([m.group(2) for m in blocks], page_classes(outside), outside)
    out, last = [], 0
    for m, text in zip(blocks, texts, strict=True):
        out += [page[last:m.start()], m.group(1), text, m.group(3)]
        last = m.end()
    return "".join(out) + page[last:]
