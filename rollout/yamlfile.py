"""Safe YAML reading with line numbers, for rollout files and playbooks.

Only PyYAML's SafeLoader is used (a `!!python/...` tag is refused, never
run). Times stay strings so we parse them in the plan's zone ourselves, and a
key written twice in one mapping is an error instead of a silent overwrite.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from rollout.errors import InputError


class LineDict(dict):
    """A mapping that remembers the line it and each of its keys started on."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    line: int = 0


class _Loader(yaml.SafeLoader):
    pass


# Drop the implicit timestamp resolver: "2022-05-07T06:00" must reach us as
# text so it is read in the plan's zone, never as a naive or UTC datetime.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise InputError("mapping keys must be plain text", line=key_node.start_mark.line + 1)
        key = str(key)
        if key in result:
            raise InputError(
                f"key {key!r} appears twice in the same mapping (first on line {result.key_lines[key]})",
                line=key_node.start_mark.line + 1,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_text(path: Path) -> str:
    """The file's text, refusing missing, empty and non-UTF-8 files with one clear line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8", path=str(path), line=line
        ) from None
    if not text.strip():
        raise InputError("the file is empty", path=str(path))
    return text


def load_yaml(path: Path) -> Any:
    """Parse a YAML file safely; every error names the file and line."""
    text = read_text(path)
    try:
        # What yaml.safe_load does, with our SafeLoader subclass (line numbers, no timestamps).
        loader = _Loader(text)
        try:
            document = loader.get_single_data()
        finally:
            loader.dispose()
    except InputError as exc:
        raise InputError(exc.detail, path=str(path), line=exc.line) from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or "cannot construct value"
        if "could not determine a constructor" in problem:
            tag = problem.split("for the tag", 1)[-1].strip()
            problem = f"the tag {tag} is not allowed (only plain YAML data is read)"
        raise InputError(problem, path=str(path), line=line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        context = exc.context_mark
        if exc.context and context is not None and context.line + 1 != line:
            # The parser notices late; say where the construct it was reading began.
            problem += f" ({exc.context.strip()} that starts on line {context.line + 1})"
        raise InputError(f"YAML syntax error: {problem}", path=str(path), line=line) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {exc}", path=str(path)) from None
    except RecursionError:
        raise InputError("YAML nested too deeply to read", path=str(path)) from None
    if document is None:
        raise InputError("the file is empty", path=str(path))
    return document


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """`(did you mean 'name'?)` when a close choice exists, else empty (one rule for the whole program)."""
    from rollout.names import did_you_mean

    return did_you_mean(word, choices)
