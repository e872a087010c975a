"""YAML through safe loading only, refusing what a hand-edited catalog never contains.

:func:`load_yaml` reads plain YAML data (mappings, sequences, strings, numbers, booleans, nulls,
dates) and refuses, with the file, line and column of the offending node:

- tags other than the plain-data ones (``!!python/object/apply:os.system``, ``!foo``, ``!!set``),
- aliases (``*x``), so no document expands beyond its size (billion laughs),
- duplicate anchors and duplicate or unhashable mapping keys,
- nesting deeper than :data:`MAX_YAML_DEPTH`, before it is built,
- scalars a plain-data tag cannot hold (``2021-02-30``, an integer of 5,000 digits),
- more than one document.

Scalars resolve as with ``yaml.safe_load`` (YAML 1.1: ``yes``/``no`` are booleans, ``010`` is 8,
``1_000`` is 1000, ``2021-09-27`` a date). The data is built in one pass over the parser's events
with an explicit stack (no recursion, no intermediate node tree), from libyaml's parser when
PyYAML has it. Problems in the structure (syntax, aliases, anchors, nesting, a second document)
are reported before problems in the data (tags, keys, scalars), as PyYAML composes a document
before constructing it; a syntax error found by libyaml is reported in PyYAML's words (the
pure-Python parser reads the document again up to it).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

try:
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without libyaml
    CParser = None

#: Deepest nesting accepted in a YAML document (catalogs need fewer than 10 levels).
MAX_YAML_DEPTH = 50

_STR = Resolver.DEFAULT_SCALAR_TAG
_MAP = Resolver.DEFAULT_MAPPING_TAG
_SEQ = Resolver.DEFAULT_SEQUENCE_TAG
#: Tags of plain scalar data and how each is read (PyYAML's safe constructors).
_SCALARS = {tag: f for tag, f in SafeConstructor.yaml_constructors.items()
            if tag is not None and tag.rsplit(":", 1)[-1] in ("null", "bool", "int", "float", "binary", "timestamp")}
_COLLECTION_KIND = {_MAP: "mapping", _SEQ: "sequence"}
#: Implicit resolvers of plain scalars by first character (``yaml.resolver.Resolver``'s table).
_WILDCARD = Resolver.yaml_implicit_resolvers.get(None, [])
_RESOLVERS = {first: [*rs, *_WILDCARD] for first, rs in Resolver.yaml_implicit_resolvers.items() if first is not None}
#: Distinct plain scalars remembered with their value (keys, years, common numbers repeat).
_CACHE_SIZE = 4096
_NO_KEY = object()
_MISSING = object()


class _PyParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's pure-Python parser: events only."""

    def __init__(self, stream) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


class _Open:
    """A mapping or sequence being filled, with the pending key of a mapping."""

    __slots__ = ("data", "mark", "key")

    def __init__(self, data: dict | list, mark) -> None:
        self.data = data
        self.mark = mark
        self.key = _NO_KEY


class _Builder:
    """Python data from a parser's events, with every check of :func:`load_yaml`."""

    def __init__(self, parser) -> None:
        self._get = parser.get_event
        self._anchors: dict[str, Any] = {}
        self._constructor = SafeConstructor()
        self._cache: dict[str, Any] = {}

    def single_document(self) -> Any:
        """The one document of the stream (``None`` when empty), or the first problem in it."""
        get = self._get
        get()  # stream start
        event = get()
        if type(event) is StreamEndEvent:
            return None
        data, mark, problem = self._document()
        event = get()
        if type(event) is not StreamEndEvent:
            raise ComposerError("expected a single document in the stream", mark,
                                "but found another document", event.start_mark)
        if problem is not None:
            raise problem
        return data

    def _document(self) -> tuple[Any, Any, yaml.YAMLError | None]:
        """The document's data and start, or its first problem in the data (raised by the caller
        once the rest of the stream is known to hold no problem in its structure)."""
        get = self._get
        stack: list[_Open] = []
        data = mark = None
        while True:
            event = get()
            kind = type(event)
            if kind is DocumentEndEvent:
                return data, mark, None
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                done = stack.pop()
                value, value_mark = done.data, done.mark
            else:
                if kind is AliasEvent or event.anchor is not None or len(stack) >= MAX_YAML_DEPTH:
                    self._check_node(event, len(stack))
                if mark is None:
                    mark = event.start_mark  # the document's, as PyYAML names it
                try:
                    if kind is ScalarEvent:
                        value, value_mark = self._scalar(event), event.start_mark
                    else:
                        stack.append(_Open(self._collection(event), event.start_mark))
                        continue
                except yaml.YAMLError as problem:
                    self._drain(len(stack) + (kind is not ScalarEvent))
                    return None, mark, problem
            if not stack:
                data = value
                continue
            top = stack[-1]
            if type(top.data) is list:
                top.data.append(value)
            elif top.key is _NO_KEY:
                problem = self._key_problem(top, value, value_mark)
                if problem is not None:
                    self._drain(len(stack))
                    return None, mark, problem
                top.key = value
            else:
                top.data[top.key] = value
                top.key = _NO_KEY

    def _check_node(self, event, depth: int) -> None:
        """Refuse an alias, a node deeper than :data:`MAX_YAML_DEPTH` and a repeated anchor."""
        if type(event) is AliasEvent:
            raise ComposerError(None, None, f"aliases (*{event.anchor}) are not allowed", event.start_mark)
        if depth >= MAX_YAML_DEPTH:
            raise ComposerError(None, None, f"nested deeper than {MAX_YAML_DEPTH} levels", event.start_mark)
        anchor = event.anchor
        if anchor is not None:
            if anchor in self._anchors:
                raise ComposerError(f"found duplicate anchor {anchor!r}; first occurrence", self._anchors[anchor],
                                    "second occurrence", event.start_mark)
            self._anchors[anchor] = event.start_mark

    def _drain(self, depth: int) -> None:
        """Read the rest of the document after a problem in its data, checking only its structure."""
        get = self._get
        while True:
            event = get()
            kind = type(event)
            if kind is DocumentEndEvent:
                return
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                depth -= 1
                continue
            self._check_node(event, depth)
            if kind is not ScalarEvent:
                depth += 1

    def _scalar(self, event) -> Any:
        value = event.value
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:  # quoted
                return value
            resolvers = _RESOLVERS.get(value[:1], _WILDCARD)
            if not resolvers:
                return value
            known = self._cache.get(value, _MISSING)
            if known is not _MISSING:
                return known
            tag = next((t for t, regexp in resolvers if regexp.match(value)), _STR)
            out = self._construct(tag, event)
            if len(self._cache) < _CACHE_SIZE:
                self._cache[value] = out
            return out
        return self._construct(tag, event)

    def _construct(self, tag: str, event) -> Any:
        if tag == _STR:
            return event.value
        read = _SCALARS.get(tag)
        if read is None:
            if tag in _COLLECTION_KIND:
                raise ConstructorError(None, None, f"expected a {_COLLECTION_KIND[tag]} node, but found scalar",
                                       event.start_mark)
            raise _not_allowed(tag, event.start_mark)
        try:
            return read(self._constructor, ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style))
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            shown = event.value if len(event.value) <= 40 else event.value[:37] + "..."
            reason = f" ({exc})" if isinstance(exc, ValueError) else ""
            raise ConstructorError(None, None, f"{shown!r} cannot be read as {tag.rsplit(':', 1)[-1]}{reason}",
                                   event.start_mark) from None

    @staticmethod
    def _collection(event) -> dict | list:
        kind = _MAP if type(event) is MappingStartEvent else _SEQ
        tag = event.tag
        if tag is None or tag == "!" or tag == kind:
            return {} if kind is _MAP else []
        if tag in _COLLECTION_KIND or tag in _SCALARS or tag == _STR:
            found = _COLLECTION_KIND[kind]
            wanted = _COLLECTION_KIND.get(tag, "scalar")
            raise ConstructorError(None, None, f"expected a {wanted} node, but found {found}", event.start_mark)
        raise _not_allowed(tag, event.start_mark)

    @staticmethod
    def _key_problem(top: _Open, key: Any, mark) -> yaml.YAMLError | None:
        try:
            duplicate = key in top.data
        except TypeError:
            return ConstructorError("while constructing a mapping", top.mark, "found unhashable key", mark)
        if duplicate:
            return ConstructorError("while constructing a mapping", top.mark, f"duplicate key {key!r}", mark)
        return None


def _not_allowed(tag: str, mark) -> ConstructorError:
    return ConstructorError(None, None, f"tag {tag!r} is not allowed (only plain YAML data)", mark)


def _load(parser_class, stream) -> Any:
    parser = parser_class(stream)
    try:
        return _Builder(parser).single_document()
    finally:
        parser.dispose()


def load_yaml(stream) -> Any:
    """Parse YAML text or a text stream safely (see the module docstring).

    Raises ``yaml.YAMLError`` naming the line and column of the first problem. Time and memory
    are linear in the size of the text.
    """
    if CParser is None:
        return _load(_PyParser, stream)
    start = None
    if not isinstance(stream, str | bytes):
        if getattr(stream, "seekable", lambda: False)():
            start = stream.tell()
        else:
            stream = stream.read()
    try:
        return _load(CParser, stream)
    except (yaml.reader.ReaderError, yaml.scanner.ScannerError, yaml.parser.ParserError):
        if start is not None:
            stream.seek(start)
        return _load(_PyParser, stream)  # raises the same problem in PyYAML's words
