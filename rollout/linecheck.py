"""Line-aware checks for YAML files read with `rollout.yamlfile`: every complaint names the file and line.

Shared by the rollout file and the runbook playbooks, so both speak alike.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rollout.clock import parse_date, parse_instant
from rollout.errors import GoliveError, InputError
from rollout.yamlfile import LineDict, suggest

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_INT = 2**31 - 1  # PostgreSQL INTEGER
# Text limits of the columns (rollout.models): refused here with file and line,
# never by PostgreSQL half-way through an apply (SQLite would not complain at all).
MAX_KEY = 64
MAX_NAME = 200
MAX_SHORT_NAME = 100  # service areas, phase and wave names


class LineReader:
    """Validation helpers that know the file, so every error carries file and line (rollout files, playbooks)."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def fail(self, message: str, line: int | None) -> InputError:
        return InputError(message, path=self.path, line=line)

    def mapping(self, value: Any, what: str, line: int) -> LineDict:
        if not isinstance(value, LineDict):
            raise self.fail(f"{what} must be a mapping of keys to values", getattr(value, "line", line))
        return value

    def sequence(self, value: Any, what: str, line: int) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(f"{what} must be a list", getattr(value, "line", line))
        return value

    def keys(self, node: LineDict, what: str, *, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        allowed = required + optional
        for key in node:
            if key not in allowed:
                raise self.fail(f"unknown key {key!r} in {what}{suggest(key, allowed)}", node.key_lines[key])
        for key in required:
            if key not in node or node[key] is None or node[key] == "":
                raise self.fail(f"{what} is missing required key {key!r}", node.line)

    def line_of(self, node: LineDict, key: str) -> int:
        return node.key_lines.get(key, node.line)

    def text(
        self, node: LineDict, key: str, what: str, default: str | None = None, *, max_length: int = MAX_NAME
    ) -> str | None:
        value = node.get(key, default)
        if value is None:
            return None
        if isinstance(value, (dict, list)):
            raise self.fail(f"{what} {key!r} must be text", self.line_of(node, key))
        text = str(value).strip()
        if len(text) > max_length:
            raise self.fail(
                f"{what} {key!r} is {len(text)} characters long; at most {max_length} are allowed", self.line_of(node, key)
            )
        return text

    def slug(self, node: LineDict, key: str, what: str) -> str:
        value = self.text(node, key, what, max_length=MAX_KEY) or ""
        if not KEY_RE.match(value):
            raise self.fail(
                f"{what} key {value!r} must be lower-case letters, digits and '-' (like 'trondheim')",
                self.line_of(node, key),
            )
        return value

    def integer(
        self, node: LineDict, key: str, what: str, *, default: int | None, minimum: int = 0, maximum: int = MAX_INT
    ) -> int | None:
        value = node.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                value = int(str(value).replace(" ", ""))
            except ValueError:
                raise self.fail(f"{what}: {key} must be a whole number, not {value!r}", self.line_of(node, key)) from None
        if value < minimum:
            raise self.fail(f"{what}: {key} must be at least {minimum}, not {value}", self.line_of(node, key))
        if value > maximum:
            raise self.fail(f"{what}: {key} must be at most {maximum}, not {value}", self.line_of(node, key))
        return value

    def instant(self, node: LineDict, key: str, what: str, tz_name: str) -> datetime:
        try:
            return parse_instant(str(node[key]), tz_name, what=f"{what} {key}")
        except GoliveError as exc:
            raise self.fail(str(exc), self.line_of(node, key)) from None

    def day(self, node: LineDict, key: str, what: str) -> date:
        try:
            return parse_date(str(node[key]), what=f"{what} {key}")
        except GoliveError as exc:
            raise self.fail(str(exc), self.line_of(node, key)) from None
