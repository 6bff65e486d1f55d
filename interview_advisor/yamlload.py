"""YAML loading that remembers where everything came from.

PyYAML's safe loader silently keeps the last of two equal keys and forgets line numbers.  Here
mappings and sequences are built as :class:`LDict` / :class:`LList`, which remember the line of
the node itself and of each key or item, and duplicate keys are reported as issues.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from .errors import RuleIssue


class LDict(dict):
    """A dict that knows its own line and the line of each key (1-based)."""

    line: Optional[int] = None
    key_lines: Dict[Any, int]


class LList(list):
    """A list that knows its own line and the line of each item (1-based)."""

    line: Optional[int] = None
    item_lines: List[int]


class _PyLineLoader(yaml.SafeLoader):
    """Safe loader building LDict/LList and recording duplicate keys."""

    def __init__(self, stream: str, filename: str) -> None:
        super().__init__(stream)
        self.filename = filename
        self.issues: List[RuleIssue] = []


if getattr(yaml, "CSafeLoader", None) is not None:
    class _CLineLoader(yaml.CSafeLoader):
        """The same on libyaml (about five times faster); syntax errors are re-read in Python."""

        def __init__(self, stream: str, filename: str) -> None:
            super().__init__(stream)
            self.filename = filename
            self.issues: List[RuleIssue] = []

    _LOADERS: tuple = (_CLineLoader, _PyLineLoader)
else:  # pragma: no cover - PyYAML built without libyaml
    _LOADERS = (_PyLineLoader,)
_LineLoader = _PyLineLoader  # for type annotations


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LDict:
    loader.flatten_mapping(node)
    result = LDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            loader.issues.append(
                RuleIssue(loader.filename, key_node.start_mark.line + 1,
                          "a mapping key must be a plain value", kind="yaml")
            )
            continue
        line = key_node.start_mark.line + 1
        if key in result.key_lines:
            loader.issues.append(
                RuleIssue(
                    loader.filename,
                    line,
                    f"duplicate key {key!r} (first defined on line {result.key_lines[key]})",
                    kind="duplicate-key",
                )
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LList:
    result = LList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


for _loader in _LOADERS:
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(text: str, filename: str) -> Tuple[Any, List[RuleIssue]]:
    """Parse one YAML document; return the data and the issues found (syntax, duplicate keys)."""
    data, issues = _load(_LOADERS[0], text, filename)
    if data is None and issues and issues[0].kind == "yaml" and len(_LOADERS) > 1:
        return _load(_LOADERS[-1], text, filename)  # the pure-Python parser locates errors better
    return data, issues


def _load(loader_class: Any, text: str, filename: str) -> Tuple[Any, List[RuleIssue]]:
    try:  # the reader rejects some characters (form feeds, NUL ...) as soon as it is made
        loader = loader_class(text, filename)
    except yaml.YAMLError as exc:
        return None, [RuleIssue(filename, None, f"YAML error: {exc}", kind="yaml")]
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if exc.context_mark is not None and mark is not None and \
                exc.context_mark.line != mark.line:
            problem += f" (the construct started on line {exc.context_mark.line + 1})"
        return None, [RuleIssue(filename, line, f"YAML syntax error: {problem}", kind="yaml")]
    except yaml.YAMLError as exc:
        return None, [RuleIssue(filename, None, f"YAML error: {exc}", kind="yaml")]
    finally:
        loader.dispose()
    return data, loader.issues


def line_of(data: Any, path: Sequence[Any]) -> Optional[int]:
    """The line of the deepest node along ``path`` that knows its line."""
    line = getattr(data, "line", None)
    node = data
    for step in path:
        if isinstance(node, LDict) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line
