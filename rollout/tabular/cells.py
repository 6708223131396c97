"""Cell parsers for tables people type: Norwegian dates and times, decimal commas, ja/nei; each raises ValueError for the row."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from rollout.clock import TimeError, resolve_local, zone

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


_MONTHS = {
    **{m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                    "september", "october", "november", "december"], start=1)},
    **{m: i for i, m in enumerate(["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
                                    "september", "oktober", "november", "desember"], start=1)},
}
for _name, _num in list(_MONTHS.items()):
    _MONTHS.setdefault(_name[:3], _num)

_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$")
_NO_RE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})(?:,?\s+(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$")
# Moodle: "Monday, 25 April 2022, 2:15 PM", "25 April 2022, 14:15", "mandag, 25. april 2022, 14:15"
_WORDY_RE = re.compile(
    r"^(?:[A-Za-zæøåÆØÅ]+,?\s+)?(\d{1,2})\.?\s+([A-Za-zæøåÆØÅ]+)\.?\s+(\d{4})(?:,?\s+(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})\s*([AaPp][Mm])?)?$"
)


def _hour(hour: int, ampm: str | None) -> int:
    if ampm:
        ampm = ampm.lower()
        if hour == 12:
            hour = 0
        if ampm == "pm":
            hour += 12
    return hour


@lru_cache(maxsize=65536)
def _parse_when(text: str) -> tuple[datetime | None, str | None]:
    """(naive local datetime, offset text or None); a date alone has time 00:00."""
    m = _ISO_RE.match(text)
    if m:
        y, mo, d, h, mi, s, off = m.groups()
        return datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0)), off
    m = _NO_RE.match(text)
    if m:
        d, mo, y, h, mi, s, ampm = m.groups()
        year = int(y) + (2000 if len(y) == 2 else 0)
        return datetime(year, int(mo), int(d), _hour(int(h or 0), ampm), int(mi or 0), int(s or 0)), None
    m = _WORDY_RE.match(text)
    if m:
        d, month, y, h, mi, ampm = m.groups()
        number = _MONTHS.get(month.lower())
        if number is None:
            raise ValueError
        return datetime(int(y), number, int(d), _hour(int(h or 0), ampm), int(mi or 0)), None
    raise ValueError


def date_cell(value: Any, what: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = text_cell(value)
    try:
        naive, _ = _parse_when(text)
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a date like 2026-03-28 or 28.03.2026") from None
    assert naive is not None
    return naive.date()


@lru_cache(maxsize=65536)
def instant_text(text: str, tz_name: str, what: str) -> datetime:
    """A date or local date-time written as text (ISO, dd.mm.yyyy, Moodle's wording) as a UTC instant."""
    _tz = timezone
    try:
        naive, offset = _parse_when(text)
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a date or time like 2026-03-28 14:00 or 28.03.2026 14:00") from None
    assert naive is not None
    if offset:
        if offset == "Z":
            return naive.replace(tzinfo=_tz.utc)
        if ":" not in offset:
            offset = offset[:3] + ":" + offset[3:]
        return datetime.fromisoformat(naive.isoformat() + offset).astimezone(_tz.utc)
    try:
        return resolve_local(naive, zone(tz_name), what=what)
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
