"""Read a YAML file into plain Python data while remembering the line of every key and value.

``yaml.safe_load`` loses positions; here the node tree is composed with the safe loader and converted by hand,
so that a validation error at ``controls[3].items[0].weight`` can be reported as ``file.yaml:57``. Duplicate
mapping keys, which ``safe_load`` silently collapses, are reported too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 4 * 1024 * 1024
MAX_NODES = 500_000  # after aliases are expanded: far above any real file, far below a "billion laughs"

Path_ = tuple[str | int, ...]

# libyaml's parser is an order of magnitude faster at composing nodes; the pure-Python one is the fallback.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class SourceProblem:
    line: int
    message_key: str
    fields: dict[str, object] = field(default_factory=dict)


@dataclass
class Source:
    """One parsed file: its data, the line of each path inside it, and its raw bytes' hash."""

    path: Path
    data: Any
    lines: dict[Path_, int]
    sha256: str
    problems: list[SourceProblem]

    def line_of(self, loc: Path_) -> int:
        """The line of the deepest known node along ``loc`` (1 when nothing matches)."""
        for cut in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:cut]))
            if line is not None:
                return line
        return 1


def _line_of_offset(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def read_source(path: Path) -> Source:
    """Parse ``path``. Problems (size, encoding, syntax, duplicate keys) are returned, never raised."""
    import hashlib

    problems: list[SourceProblem] = []
    size = path.stat().st_size
    if size > MAX_BYTES:
        return Source(
            path, None, {}, "", [SourceProblem(1, "lint.too_large", {"size": size, "max": MAX_BYTES})]
        )
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Source(
            path, None, {}, digest, [SourceProblem(_line_of_offset(raw, exc.start), "lint.not_utf8")]
        )
    lines: dict[Path_, int] = {}
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = _convert(loader, node, (), lines, problems, [MAX_NODES]) if node is not None else None
    except _TooComplex:
        return Source(path, None, {}, digest, [SourceProblem(1, "lint.too_complex", {"max": MAX_NODES})])
    except RecursionError:  # a self-referencing alias or absurd nesting
        return Source(path, None, {}, digest, [SourceProblem(1, "lint.too_complex", {"max": MAX_NODES})])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        detail = exc.problem or str(exc)
        return Source(path, None, {}, digest, [SourceProblem(line, "lint.yaml_syntax", {"detail": detail})])
    except yaml.YAMLError as exc:
        return Source(path, None, {}, digest, [SourceProblem(1, "lint.yaml_syntax", {"detail": str(exc)})])
    finally:
        loader.dispose()
    return Source(path, data, lines, digest, problems)


class _TooComplex(Exception):
    """More nodes than ``MAX_NODES`` once aliases are expanded (a "billion laughs" document)."""


def _scalar(loader: Any, node: yaml.Node, problems: list[SourceProblem]) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, TypeError, OverflowError, yaml.constructor.ConstructorError) as exc:
        # A value the safe loader recognises but cannot build, such as the date 2026-13-45.
        line = node.start_mark.line + 1
        problems.append(
            SourceProblem(line, "lint.bad_value", {"value": str(node.value)[:80], "detail": str(exc)})
        )
        return str(node.value)


def _convert(
    loader: Any,
    node: yaml.Node,
    here: Path_,
    lines: dict[Path_, int],
    problems: list[SourceProblem],
    budget: list[int],
) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooComplex
    lines.setdefault(here, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node, problems) if isinstance(key_node, yaml.ScalarNode) else []
            if isinstance(key, (list, dict)):
                problems.append(SourceProblem(key_node.start_mark.line + 1, "lint.bad_key"))
                continue
            if key in out:
                problems.append(
                    SourceProblem(key_node.start_mark.line + 1, "lint.duplicate_key", {"key": key})
                )
            sub = (*here, key)
            lines[sub] = key_node.start_mark.line + 1
            out[key] = _convert(loader, value_node, sub, lines, problems, budget)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(loader, child, (*here, i), lines, problems, budget) for i, child in enumerate(node.value)
        ]
    return _scalar(loader, node, problems)
