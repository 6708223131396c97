"""Cell parsers for tables people type: Norwegian dates and times, decimal commas, ja/nei; each raises ValueError for the row."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from rollout.clock import TimeError, parse_local, parse_wall

TRUE_WORDS = frozenset({"ja", "j", "yes", "y", "true", "sann", "1", "x"})
FALSE_WORDS = frozenset({"nei", "n", "no", "false", "usann", "0", ""})


def text_cell(value: Any) -> str:
    if value.__class__ is str:
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def bool_cell(value: Any, what: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = text_cell(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{what} {value!r} is not ja/nei, yes/no, true/false or 1/0")


def int_cell(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{what} {value!r} is not a number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{what} {value!r} is not a whole number")
        number = int(value)
    else:
        text = text_cell(value).replace("\u00a0", "").replace(" ", "")
        if re.fullmatch(r"[+-]?\d+([.,]0+)?", text) is None:
            raise ValueError(f"{what} {text_cell(value)!r} is not a whole number")
        number = int(re.split(r"[.,]", text)[0])
    if number < 0:
        raise ValueError(f"{what} {number} must not be negative")
    return number


def date_cell(value: Any, what: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = text_cell(value)
    try:
        return parse_wall(text, what=what).naive.date()
    except TimeError:
        raise ValueError(f"{what} {text!r} is not a date like 2026-03-28 or 28.03.2026") from None


@lru_cache(maxsize=65536)
def instant_text(text: str, tz_name: str, what: str) -> datetime:
    """A date or local date-time written as text (ISO, dd.mm.yyyy, Moodle's wording) as a UTC instant.

    The same parser as `--at` (`rollout.clock.parse_local`), so a person can type what a file says.
    """
    try:
        return parse_local(text, tz_name, what=what)
    except TimeError as exc:
        raise ValueError(str(exc)) from None


def instant_cell(value: Any, what: str, tz: ZoneInfo | str) -> datetime:
    """A date or local date-time in the plan's zone (XLSX typed cells too) as a UTC instant.

    A date alone means local midnight; a wall time that does not exist or
    happens twice (DST) is refused.
    """
    tz_name = tz if isinstance(tz, str) else tz.key
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(timezone.utc)
        value = value.isoformat(sep=" ")
    elif isinstance(value, date):
        value = value.isoformat()
    elif isinstance(value, time):
        raise ValueError(f"{what} {value!r} is a time without a date")
    return instant_text(text_cell(value), tz_name, what)


def number_text(text: str, what: str) -> float:
    """A number as people type it: `1.2`, or with a Norwegian decimal comma `1,2`."""
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    if re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", raw) is None:
        raise ValueError(f"{what} {text.strip()!r} is not a number like 1.2 or 1,2")
    return float(raw)


def share_text(text: str, what: str, *, maximum: float = 5.0) -> float:
    """A share as a fraction (`1.2`, `1,2`) or a percentage (`120%`, `120 %`), above 0 and at most `maximum`.

    A bare `120` is refused rather than read as 12 000 %.
    """
    raw = text.strip()
    percent = raw.endswith("%")
    try:
        value = number_text(raw[:-1] if percent else raw, what)
    except ValueError:
        value = None
    if value is not None and percent:
        value /= 100
    if value is None or not 0 < value <= maximum:
        raise ValueError(
            f"{what} {raw!r} is not a share: give a fraction above 0 and at most {maximum:g} (1.2) or a percentage (120%)"
        )
    return value
