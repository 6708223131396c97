"""The business calendar: opening hours on working days in one zone, skipping public holidays.

Decisions:
- Defaults: 08:00-16:00 Monday to Friday in Europe/Oslo, skipping Norwegian
  public holidays from the `holidays` package (country NO).
- Only real public holidays close a day. Some versions of `holidays` count
  every Sunday as a Norwegian holiday ("Søndag"); we ask for
  `include_sundays=False` and also drop any entry named Sunday/Søndag, so a
  calendar configured to open on Sundays opens on ordinary Sundays but not
  on Easter Sunday or Whit Sunday.
- Christmas Eve and New Year's Eve are not public holidays in Norway; add
  them with `closed` when the support centre closes.
- Opening hours are local wall-clock times turned into UTC instants per day,
  so a business day is 8 real hours on DST-change days too. A configured
  opening time inside a DST gap is moved past the gap (rollout.clock.normalise_local).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from rollout.clock import TimeError, normalise_local, parse_date, zone
from support.sla_targets import SlaConfigError

DAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# English and Norwegian names, short and long, so a rollout file may say `man-fre`.
_WEEKDAYS: dict[str, int] = {
    name: i
    for i, names in enumerate(
        (
            ("mon", "monday", "man", "mandag"),
            ("tue", "tuesday", "tir", "tirsdag"),
            ("wed", "wednesday", "ons", "onsdag"),
            ("thu", "thursday", "tor", "torsdag"),
            ("fri", "friday", "fre", "fredag"),
            ("sat", "saturday", "lør", "lørdag"),
            ("sun", "sunday", "søn", "søndag"),
        )
    )
    for name in names
}
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


@lru_cache(maxsize=256)
def public_holidays(country: str, year: int) -> frozenset[date]:
    """The public holidays of one year, Sundays-as-such left out (see the module docstring)."""
    import holidays  # imported here: the package is large and only SLA computations need it

    try:
        table = holidays.country_holidays(country, years=year, include_sundays=False)
    except TypeError:  # a country (or an old version) without the Sunday switch
        table = holidays.country_holidays(country, years=year)
    except NotImplementedError:
        raise SlaConfigError(f"no public-holiday calendar for country {country!r}") from None
    return frozenset(
        day
        for day, name in table.items()
        if not all(part.strip().lower() in ("sunday", "søndag") for part in str(name).split(";"))
    )


@dataclass(frozen=True)
class BusinessCalendar:
    """When the business clock runs: `opens`-`closes` local time on `days` (0 = Monday), minus holidays."""

    opens: time = time(8, 0)
    closes: time = time(16, 0)
    days: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    timezone: str = "Europe/Oslo"
    country: str | None = "NO"  # None: no public holidays
    closed: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.opens >= self.closes:
            raise SlaConfigError(f"business hours must open before they close, not {self.opens:%H:%M}-{self.closes:%H:%M}")
        if not self.days or not self.days <= set(range(7)):
            raise SlaConfigError("business days must name at least one of mon-sun")
        try:
            zone(self.timezone)
        except TimeError as exc:
            raise SlaConfigError(str(exc)) from None

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.timezone)

    def is_business_day(self, day: date) -> bool:
        if day.weekday() not in self.days or day in self.closed:
            return False
        return self.country is None or day not in public_holidays(self.country, day.year)

    def hours_on(self, day: date) -> tuple[datetime, datetime] | None:
        """The UTC instants the business clock starts and stops on a local day, or None when closed."""
        if not self.is_business_day(day):
            return None
        tz = self.tz
        return (
            normalise_local(datetime.combine(day, self.opens), tz),
            normalise_local(datetime.combine(day, self.closes), tz),
        )


DEFAULT_CALENDAR = BusinessCalendar()


def _time(value: Any, key: str) -> time:
    if isinstance(value, time):
        return value
    m = _TIME_RE.match(str(value).strip()) if isinstance(value, str) else None
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        hint = " (quote it: YAML reads an unquoted 16:00 as a number)" if isinstance(value, int) else ""
        raise SlaConfigError(f"{value!r} is not a time like \"08:00\"{hint}", key=key)
    return time(int(m.group(1)), int(m.group(2)))


def _day(name: Any, key: str) -> int:
    word = str(name).strip().lower()
    if word not in _WEEKDAYS:
        raise SlaConfigError(f"{name!r} is not a weekday; use mon, tue, wed, thu, fri, sat or sun", key=key)
    return _WEEKDAYS[word]


def _days(value: Any, key: str) -> frozenset[int]:
    """`[mon, tue, wed]`, or a range `mon-fri`."""
    if isinstance(value, str) and "-" in value:
        first, _, last = value.partition("-")
        a, b = _day(first, key), _day(last, key)
        if a > b:
            raise SlaConfigError(f"day range {value!r} runs backwards; write it like mon-fri", key=key)
        return frozenset(range(a, b + 1))
    items: Iterable[Any] = [value] if isinstance(value, str) else value
    if not isinstance(items, Iterable) or isinstance(items, Mapping):
        raise SlaConfigError(f"{value!r} is not a list of weekdays like [mon, tue, wed, thu, fri]", key=key)
    days = frozenset(_day(item, key) for item in items)
    if not days:
        raise SlaConfigError("must name at least one weekday", key=key)
    return days


_KEYS = ("start", "end", "days", "timezone", "closed")


def parse_business_hours(raw: Mapping[str, Any] | None, *, key: str = "business_hours") -> BusinessCalendar:
    """`{start: "08:00", end: "16:00", days: mon-fri, timezone: Europe/Oslo, closed: [2022-12-24]}`; all keys optional."""
    if raw is None:
        return DEFAULT_CALENDAR
    if not isinstance(raw, Mapping):
        raise SlaConfigError(f"must be a mapping with {', '.join(_KEYS)}, not {raw!r}", key=key)
    import difflib

    for name in raw:
        if name not in _KEYS:
            close = difflib.get_close_matches(str(name), list(_KEYS), n=1, cutoff=0.5)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise SlaConfigError(f"unknown key {name!r}; use {', '.join(_KEYS)}{hint}", key=key)
    base = DEFAULT_CALENDAR
    opens = _time(raw["start"], f"{key}.start") if "start" in raw else base.opens
    closes = _time(raw["end"], f"{key}.end") if "end" in raw else base.closes
    days = _days(raw["days"], f"{key}.days") if "days" in raw else base.days
    tz_name = str(raw.get("timezone", base.timezone)).strip()
    closed: set[date] = set()
    for item in raw.get("closed") or ():
        try:
            closed.add(item if isinstance(item, date) else parse_date(str(item)))
        except TimeError as exc:
            raise SlaConfigError(str(exc), key=f"{key}.closed") from None
    try:
        return BusinessCalendar(opens=opens, closes=closes, days=days, timezone=tz_name, closed=frozenset(closed))
    except SlaConfigError as exc:
        raise SlaConfigError(exc.detail, key=key) from None
