"""Numbers and times as people read them: `9 000`, `83 %`, `2022-05-07 06:00`.

The plain functions (`thousands`, `percent`, `when`) are the terminal's one way.
Reports speak a language (`nb`, `nn` or `en`) and take it as an argument:
`number`, `percent`, `long_when`, `long_date`, `weekday`, `week` and `duration`
give bokmål and nynorsk `7. mai 2022 kl. 06:00`, `9 000`, `83 %`, `1,5`, and
English `7 May 2022 06:00`, `9,000`, `83%`, `1.5`.
"""

from __future__ import annotations

from datetime import date, datetime

LANGUAGES = ("nb", "nn", "en")

_MONTHS_NO = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember")
MONTHS = {
    "nb": _MONTHS_NO,
    "nn": _MONTHS_NO,
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"),
}
WEEKDAYS = {
    "nb": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    "nn": ("måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "sundag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_WEEK = {"nb": "uke", "nn": "veke", "en": "week"}
# duration units: days, hours, minutes (`2 d 4 t`, `2 d 4 h`)
_UNITS = {"nb": ("d", "t", "min"), "nn": ("d", "t", "min"), "en": ("d", "h", "min")}


def _lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} must be one of {', '.join(LANGUAGES)}")
    return lang


def thousands(value: int) -> str:
    """`9 000`: a space between thousands (bokmål), also fine for English readers."""
    return f"{value:,}".replace(",", " ")


def number(value: int | float, lang: str = "nb", decimals: int = 0) -> str:
    """`9 000` and `1,5` in nb/nn, `9,000` and `1.5` in en; a fixed number of decimals, so output never wobbles."""
    _lang(lang)
    text = f"{value:,.{decimals}f}"
    if text in ("-0", "-0." + "0" * decimals):
        text = text[1:]
    if lang == "en":
        return text
    return text.replace(",", " ").replace(".", ",")


def percent(share: float, lang: str | None = None, decimals: int = 0) -> str:
    """`83 %` from 0.83: whole percent with a space before the sign; `83%` in English.

    Without a language, the terminal's form (`83 %`, as `round` gives it).
    """
    if lang is None and decimals == 0:
        return f"{round(share * 100):g} %"
    lang = _lang(lang or "nb")
    text = number(share * 100, lang, decimals)
    return f"{text}%" if lang == "en" else f"{text} %"


def _local(instant: datetime, tz: str) -> tuple[datetime, str]:
    """The local wall clock, and the offset suffix where that wall clock happens twice."""
    from rollout.clock import to_local

    value = to_local(instant, tz)
    suffix = ""
    if value.replace(fold=1 - value.fold).utcoffset() != value.utcoffset():
        offset = value.strftime("%z")
        suffix = f" {offset[:3]}:{offset[3:]}"
    return value, suffix


def when(instant: datetime | None, tz: str) -> str:
    """`2022-05-07 06:00`: the one way people read a time, on the plan's wall clock.

    The offset is added only where the wall clock is ambiguous, in the hour
    that happens twice when the clocks go back (`2026-10-25 02:30 +01:00`).
    JSON writes times with `rollout.clock.iso` instead (`2022-05-07T06:00+02:00`).
    """
    if instant is None:
        return "—"
    value, suffix = _local(instant, tz)
    return f"{value:%Y-%m-%d %H:%M}{suffix}"


def long_date(day: date | datetime | None, lang: str = "nb", tz: str | None = None) -> str:
    """`7. mai 2022` (nb/nn) or `7 May 2022` (en); a datetime is first put on the wall clock of tz."""
    lang = _lang(lang)
    if day is None:
        return "—"
    if isinstance(day, datetime) and tz is not None:
        day, _ = _local(day, tz)
    month = MONTHS[lang][day.month - 1]
    return f"{day.day} {month} {day.year}" if lang == "en" else f"{day.day}. {month} {day.year}"


def long_when(instant: datetime | None, tz: str, lang: str = "nb") -> str:
    """`7. mai 2022 kl. 06:00` (nb/nn) or `7 May 2022 06:00` (en), on the wall clock of tz.

    As with `when`, the offset is added in the hour that happens twice.
    """
    lang = _lang(lang)
    if instant is None:
        return "—"
    value, suffix = _local(instant, tz)
    day = long_date(value, lang)
    clock = f"{value:%H:%M}{suffix}"
    return f"{day} {clock}" if lang == "en" else f"{day} kl. {clock}"


def weekday(day: date | datetime, lang: str = "nb", tz: str | None = None) -> str:
    """`lørdag` (nb), `laurdag` (nn), `Saturday` (en)."""
    lang = _lang(lang)
    if isinstance(day, datetime) and tz is not None:
        day, _ = _local(day, tz)
    return WEEKDAYS[lang][day.weekday()]


def week(day: date | datetime, lang: str = "nb") -> str:
    """`uke 19` (nb), `veke 19` (nn), `week 19` (en): the ISO week."""
    return f"{_WEEK[_lang(lang)]} {day.isocalendar()[1]}"


def duration(minutes: int | float | None, lang: str = "nb") -> str:
    """`2 d 4 t`, `3 t 15 min`, `45 min` (nb/nn; `h` in en): at most two units, rounded to the minute."""
    lang = _lang(lang)
    if minutes is None:
        return "—"
    sign = "-" if minutes < 0 else ""
    total = abs(round(minutes))
    days, rest = divmod(total, 24 * 60)
    hours, mins = divmod(rest, 60)
    d, h, m = _UNITS[lang]
    if days:
        parts = [f"{days} {d}"] + ([f"{hours} {h}"] if hours else [])
    elif hours:
        parts = [f"{hours} {h}"] + ([f"{mins} {m}"] if mins else [])
    else:
        parts = [f"{mins} {m}"]
    return sign + " ".join(parts)
