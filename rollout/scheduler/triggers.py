"""When a job fires: a five-field cron expression in Europe/Oslo wall-clock time, or a fixed interval.

We compute fire times ourselves rather than trust APScheduler 3's cron
trigger, which skips a 00:00 Europe/Oslo job on Monday 2026-03-30 (the
day after the spring change). The rules, documented in the README:

- **cron** times are wall-clock times in Europe/Oslo. A time the spring
  change skips (02:30 on the last Sunday of March) runs as the program
  normalises every computed local time: moved forward by the gap, at 03:30.
  A time the autumn change repeats (02:30 on the last Sunday of October)
  runs once, at its first occurrence (02:30 summer time).
- **every** intervals are real elapsed time, aligned to whole multiples of
  the interval since 1970-01-01 00:00 UTC (`--every 5m` fires at :00, :05, …),
  so a DST change neither shortens nor stretches them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property

from rollout.errors import GoliveError

UTC = timezone.utc
OSLO = "Europe/Oslo"
# A cron expression that matches no day in this many days never fires (covers 29 February, every weekday).
HORIZON_DAYS = 366 * 8 + 2
MIN_EVERY = timedelta(minutes=1)
MAX_EVERY = timedelta(days=28)

FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 0, 7))
MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
WEEKDAYS = {d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}


class TriggerError(GoliveError):
    """A cron expression or interval that cannot be scheduled."""


def _number(text: str, what: str, low: int, high: int, names: dict[str, int]) -> int:
    word = text.strip().lower()
    if word in names:
        return names[word]
    if not word.isdigit():
        raise TriggerError(f"{what} {text!r} is not a number")
    value = int(word)
    if not low <= value <= high:
        raise TriggerError(f"{what} {value} is out of range ({low}-{high})")
    return value


def _field(text: str, what: str, low: int, high: int) -> tuple[frozenset[int], bool]:
    """One cron field as the set of values it allows, and whether it was `*` (unrestricted)."""
    names = MONTHS if what == "month" else WEEKDAYS if what == "day of week" else {}
    values: set[int] = set()
    for part in text.split(","):
        if not part:
            raise TriggerError(f"{what} field {text!r} has an empty list item")
        base, _, step_text = part.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) == 0:
                raise TriggerError(f"{what} step {step_text!r} must be a whole number above 0")
            step = int(step_text)
        if base == "*":
            start, end = low, high
        elif "-" in base:
            a, _, b = base.partition("-")
            start, end = _number(a, what, low, high, names), _number(b, what, low, high, names)
            if start > end:
                raise TriggerError(f"{what} range {base!r} runs backwards")
        else:
            start = _number(base, what, low, high, names)
            end = high if step_text else start
        values.update(range(start, end + 1, step))
    if what == "day of week" and 7 in values:  # 0 and 7 are both Sunday
        values = (values - {7}) | {0}
    return frozenset(values), text == "*"


@dataclass(frozen=True)
class Trigger:
    """A parsed schedule; `text` is how it is stored and shown ("cron 0 7 * * *", "every 5m")."""

    text: str
    tz: str = OSLO

    @property
    def kind(self) -> str:
        return self.text.split(" ", 1)[0]

    @cached_property
    def _cron(self) -> tuple[tuple[frozenset[int], bool], ...]:
        """Each field's allowed values and whether it was `*`."""
        fields = self.text.split(" ", 1)[1].split()
        return tuple(_field(f, what, low, high) for f, (what, low, high) in zip(fields, FIELDS, strict=True))

    @cached_property
    def interval(self) -> timedelta:
        from rollout.offsets import parse_duration

        return parse_duration(self.text.split(" ", 1)[1])

    def _day_matches(self, day: date) -> bool:
        _minute, _hour, (dom, dom_any), (month, _), (dow, dow_any) = self._cron
        if day.month not in month:
            return False
        dom_restricted, dow_restricted = not dom_any, not dow_any
        in_dom, in_dow = day.day in dom, (day.isoweekday() % 7) in dow
        if dom_restricted and dow_restricted:  # classic cron: either one matches
            return in_dom or in_dow
        return in_dom and in_dow

    def _day_instants(self, day: date) -> list[datetime]:
        from rollout.clock import normalise_local, zone

        minutes, hours = self._cron[0][0], self._cron[1][0]
        tz = zone(self.tz)
        return sorted({normalise_local(datetime.combine(day, time(h, m)), tz) for h in hours for m in minutes})

    def next_after(self, after: datetime) -> datetime:
        """The first fire time strictly after `after` (an aware instant); UTC."""
        after = after.astimezone(UTC)
        if self.kind == "every":
            step = int(self.interval.total_seconds())
            stamp = int(after.timestamp())
            return datetime.fromtimestamp((stamp // step + 1) * step, UTC)
        from rollout.clock import zone

        day = after.astimezone(zone(self.tz)).date() - timedelta(days=1)  # a normalised time may cross midnight
        for _ in range(HORIZON_DAYS):
            if self._day_matches(day):
                for instant in self._day_instants(day):
                    if instant > after:
                        return instant
            day += timedelta(days=1)
        raise TriggerError(f"{self.describe()} never fires")

    def fires_between(self, start: datetime, end: datetime, *, limit: int = 10_000) -> list[datetime]:
        """Fire times in (start, end], at most `limit` of them."""
        found: list[datetime] = []
        cursor = start
        while len(found) < limit:
            cursor = self.next_after(cursor)
            if cursor > end:
                break
            found.append(cursor)
        return found

    def last_at_or_before(self, moment: datetime, *, since: datetime) -> datetime | None:
        """The latest fire time in (since, moment], or None (what a catch-up after downtime runs)."""
        if self.kind == "every":
            step = int(self.interval.total_seconds())
            last = datetime.fromtimestamp(int(moment.timestamp()) // step * step, UTC)
            return last if last > since else None
        last = None
        cursor = since
        while True:
            cursor = self.next_after(cursor)
            if cursor > moment:
                return last
            last = cursor

    def describe(self) -> str:
        return self.text


_EVERY_RE = re.compile(r"^\s*(\d+(?:\.\d+)?[dhm]\s*)+$")


def parse_trigger(*, cron: str | None, every: str | None, now: datetime) -> Trigger:
    """`--cron "0 7 * * *"` or `--every 5m`, checked now so a bad one is refused at `add`, never at 07:00."""
    if (cron is None) == (every is None):
        raise TriggerError("give exactly one of --cron \"MIN HOUR DAY MONTH WEEKDAY\" or --every DURATION (like 5m)")
    if cron is not None:
        fields = cron.split()
        if len(fields) != 5:
            raise TriggerError(f"cron expression {cron!r} needs 5 fields (minute hour day month weekday), not {len(fields)}")
        trigger = Trigger("cron " + " ".join(fields))
        _ = trigger._cron  # parse every field
        trigger.next_after(now)  # and refuse one that never fires (31 February)
        return trigger
    from rollout.offsets import OffsetError, parse_duration

    text = str(every).strip().replace(" ", "")
    if not _EVERY_RE.match(text):
        raise TriggerError(f"--every {every!r} is not a duration like 5m, 1h or 1h30m")
    try:
        interval = parse_duration(text)
    except OffsetError as exc:
        raise TriggerError(f"--every: {exc}") from None
    if not MIN_EVERY <= interval <= MAX_EVERY or interval.total_seconds() % 60:
        raise TriggerError(f"--every {every!r} must be whole minutes between 1m and 28d")
    return Trigger("every " + text)


def load_trigger(text: str) -> Trigger:
    """A trigger as stored in the job table."""
    return Trigger(text)
