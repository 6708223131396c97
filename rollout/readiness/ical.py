"""Superuser duties as an RFC 5545 calendar (with a VTIMEZONE), written with the icalendar library."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rollout.clock import now, zone


def roster_calendar(entries: list[tuple[Any, ...]], *, title: str, tz_name: str = "Europe/Oslo", stamp: datetime | None = None) -> bytes:
    """One VEVENT per duty, local times with TZID and a VTIMEZONE so calendars show them right across DST."""
    from icalendar import Calendar, Event

    tz = zone(tz_name)
    cal = Calendar()
    cal.add("prodid", "-//golive//superuser roster//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", title)
    cal.add("x-wr-timezone", tz_name)
    stamp = stamp or now()
    for roster_id, employee_id, name, unit_key, unit_name, shift, start, end in entries:
        event = Event()
        event.add("uid", f"roster-{roster_id}-{employee_id}@golive")
        event.add("dtstamp", stamp)
        event.add("dtstart", start.astimezone(tz))
        event.add("dtend", end.astimezone(tz))
        label = shift or "vakt"
        event.add("summary", f"Superbruker {label}: {unit_name}")
        event.add("description", f"{name} ({employee_id}) er superbruker på {unit_name} ({unit_key}).")
        event.add("location", unit_name)
        event.add("categories", ["Superbruker"])
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
