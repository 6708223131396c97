"""Superuser duties as an RFC 5545 calendar (with a VTIMEZONE), written with the icalendar library."""

from __future__ import annotations

from datetime import datetime, timedelta
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
    if tz_name in CET_ZONES:  # the VTIMEZONE before the events that name it, as clients expect
        cal.add_component(_cet_vtimezone(tz_name))
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
    if tz_name not in CET_ZONES:
        cal.add_missing_timezones()
    return cal.to_ical()


# Zones on the EU rule (last Sunday of March 02:00 → 03:00, last Sunday of October 03:00 → 02:00).
CET_ZONES = ("Europe/Oslo", "Europe/Stockholm", "Europe/Copenhagen", "Europe/Berlin")


def _cet_vtimezone(tz_name: str) -> Any:
    """A compact VTIMEZONE with yearly rules, as Outlook and Google write it (valid past 2038)."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

    vtz = Timezone()
    vtz.add("tzid", tz_name)
    summer = TimezoneDaylight()
    summer.add("dtstart", datetime(1970, 3, 29, 2, 0))
    summer.add("tzoffsetfrom", timedelta(hours=1))
    summer.add("tzoffsetto", timedelta(hours=2))
    summer.add("tzname", "CEST")
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("dtstart", datetime(1970, 10, 25, 3, 0))
    winter.add("tzoffsetfrom", timedelta(hours=2))
    winter.add("tzoffsetto", timedelta(hours=1))
    winter.add("tzname", "CET")
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    vtz.add_component(summer)
    vtz.add_component(winter)
    return vtz
