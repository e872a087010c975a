"""Exception types, one per kind of failure, each carrying its context."""

from __future__ import annotations


class ChildplanError(Exception):
    """Base class of every error raised by the package."""


class PlanError(ChildplanError):
    """A plan catalog is invalid. ``problems`` lists ``(yaml_path, message)`` pairs."""

    def __init__(self, file: str, problems: list[tuple[str, str]]):
        self.file = file
        self.problems = problems
        lines = [f"{file}: {path}: {msg}" for path, msg in problems]
        super().__init__("invalid plan catalog\n" + "\n".join(lines))


class UnknownIndicatorError(ChildplanError, KeyError):
    """An indicator name that the dictionary does not know."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f"; close matches: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"unknown indicator {name!r} (未知指标){hint}")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class DataError(ChildplanError):
    """Observation data could not be loaded. ``rejected`` holds the rejected rows."""

    def __init__(self, message: str, rejected=None):
        self.rejected = rejected
        super().__init__(message)


class TargetPhraseError(ChildplanError):
    """A target phrase could not be parsed."""


class LimitError(DataError):
    """An input file passes a size limit (file size, rows, cells, shared strings, expansion)."""
