"""Words of one language, bound to one time zone: labels, the headline's reason, and figures as text.

A template gets one `Words` as `t`: `t("gates")` is a label, `t.reason(reason)`
words a reason code with its parameters, `t.when(instant)` is
`7. mai 2022 kl. 06:00`. Every sentence comes from the language's catalogue
(`reports.render.labels`), so nothing of another language can slip in.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from rollout import formats
from reports.render.labels import catalogue

SHARE_METRICS = ("training_share", "sla_response", "sla_resolution")
DURATION_METRICS = ("go_live_delay_minutes",)


class Words:
    def __init__(self, lang: str, tz: str) -> None:
        self.lang = lang
        self.tz = tz
        self.labels = catalogue(lang)

    # -- labels ---------------------------------------------------------------

    def __call__(self, key: str, **params: Any) -> str:
        """The label `key`, its `{placeholders}` filled with params (already formatted text or numbers)."""
        text = self.labels[key]  # a KeyError is a bug in a template: the render fails
        return text.format(**{k: self._text(v) for k, v in params.items()}) if params else text

    def plural(self, key: str, n: int, **params: Any) -> str:
        """`key_one` when n is 1 and the catalogue has it, else `key`."""
        if n == 1 and f"{key}_one" in self.labels:
            key = f"{key}_one"
        return self(key, **params)

    def has(self, key: str) -> bool:
        return key in self.labels

    def _text(self, value: Any) -> str:
        if isinstance(value, bool) or value is None:
            return str(value)
        if isinstance(value, int):
            return self.number(value)
        return str(value)

    def _or(self, prefix: str, key: Any, fallback: Any = None) -> str:
        """The label `prefix_key` when the catalogue has one, else the key itself (a user's own key)."""
        if key is None:
            return "—" if fallback is None else str(fallback)
        return self.labels.get(f"{prefix}_{key}", str(key))

    # -- figures --------------------------------------------------------------

    def number(self, value: int | float | None, decimals: int = 0) -> str:
        return "—" if value is None else formats.number(value, self.lang, decimals)

    def percent(self, share: float | None, decimals: int = 0) -> str:
        return "—" if share is None else formats.percent(share, self.lang, decimals)

    def when(self, instant: datetime | None) -> str:
        return formats.long_when(instant, self.tz, self.lang)

    def day(self, value: date | datetime | None) -> str:
        return formats.long_date(value, self.lang, self.tz)

    def weekday(self, value: date | datetime) -> str:
        return formats.weekday(value, self.lang, self.tz)

    def short_day(self, value: date) -> str:
        """`lør. 7.5.` / `laur. 7.5.` / `Sat 7 May`: a chart's axis label."""
        name = formats.weekday(value, self.lang)[:3]
        if self.lang == "en":
            return f"{name} {value.day} {formats.MONTHS['en'][value.month - 1][:3]}"
        return f"{name}. {value.day}.{value.month}."

    def slot_day(self, instant: datetime) -> str:
        """The short day of an instant on the plan's wall clock (a shift's start)."""
        from rollout.clock import to_local

        return self.short_day(to_local(instant, self.tz).date())

    def duration(self, value: timedelta | float | int | None) -> str:
        if isinstance(value, timedelta):
            value = value.total_seconds() / 60
        return formats.duration(value, self.lang)

    # -- words for codes ------------------------------------------------------

    def rag(self, rag: str) -> str:
        return self(f"rag_{rag}")

    def verdict(self, verdict: str | None) -> str:
        return "—" if verdict is None else self._or("verdict", verdict)

    def stage(self, stage: str) -> str:
        return self._or("stage", stage)

    def status(self, status: str) -> str:
        return self._or("status", status)

    def category(self, category: str | None) -> str:
        return self._or("cat", category)

    def shift(self, shift: str | None) -> str:
        return self._or("shift", shift)

    def age(self, bucket: str) -> str:
        return self._or("age", bucket)

    def gap_kind(self, kind: str) -> str:
        return self._or("gap", kind)

    def criterion(self, name: str) -> str:
        return self._or("crit", name)

    def join(self, items: list[str]) -> str:
        """`a, b og c` / `a, b and c`."""
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self('and')} {items[-1]}"

    def countdown(self, days: int) -> str:
        if days > 0:
            return self.plural("days_to_go_live", days, days=days)
        if days < 0:
            return self.plural("days_since_go_live", -days, days=-days)
        return self("go_live_today")

    def delay(self, delay: timedelta | None) -> str:
        """`i rute`, `35 min forsinket`, `2 t foran plan`."""
        minutes = 0 if delay is None else round(delay.total_seconds() / 60)
        if minutes == 0:
            return self("on_time")
        if minutes > 0:
            return self("late_by", duration=self.duration(minutes))
        return self("ahead", duration=self.duration(-minutes))

    # -- gate criteria --------------------------------------------------------

    def threshold(self, name: str, value: Any) -> str:
        """`≥ 90 %` (per role: `≥ 90 % (lege 100 %)`), `≤ 10`, `≥ 120 %`, `ja`."""
        if isinstance(value, dict):
            default = value.get("default")
            head = self.threshold(name, default) if default is not None else ""
            rest = ", ".join(f"{k} {self.percent(float(v))}" for k, v in sorted(value.items()) if k != "default")
            return f"{head} ({rest})".strip() if rest else head
        if name == "runbook_due_done" and value is True:
            return self("all_done")
        if isinstance(value, bool):
            return self("yes") if value else self("no")
        if name in ("training_min", "staffing_min"):
            return f"≥ {self.percent(float(value))}"
        if name.endswith("_max"):
            return f"≤ {self.figure(value)}"
        if name.endswith("_min"):
            return f"≥ {self.figure(value)}"
        return self.figure(value)

    def measured(self, name: str, value: Any, passed: bool | None = None) -> str:
        """The measured value; `ikke målt` when nothing measured it, `—` when it failed without a figure."""
        if value is None:
            return "—" if passed is not None else self("not_measured")
        if isinstance(value, bool):
            return self("yes") if value else self("no")
        if name in ("training_min", "staffing_min") and isinstance(value, (int, float)):
            return self.percent(float(value))
        return self.figure(value)

    def figure(self, value: Any) -> str:
        """A plain figure: whole numbers as `9 000`, others with one decimal; anything else as text."""
        if isinstance(value, bool):
            return self("yes") if value else self("no")
        if isinstance(value, int):
            return self.number(value)
        if isinstance(value, float):
            return self.number(value, 0 if value.is_integer() else 1)
        if value is None:
            return "—"
        return str(value)

    # -- the headline ---------------------------------------------------------

    def reason(self, reason: Any) -> str:
        """The one sentence that says why: a reason code and its parameters in this language."""
        code, p = reason.code, dict(reason.params or {})
        criteria = self.join([_lower_first(self.criterion(c)) for c in p.get("criteria") or ()])
        if code in ("gate_no_go", "gate_at_risk"):
            key = f"reason_{code}_criteria" if criteria else f"reason_{code}"
            return self(key, gate=p.get("gate", "?"), criteria=criteria)
        if code == "go_live_late":
            delay = p.get("delay_minutes")
            return self("reason_go_live_late", delay=self.duration(delay), projected=self.when(_instant(p.get("projected"))),
                        planned=self.when(_instant(p.get("planned"))))
        if code == "open_p1":
            return self.plural("reason_open_p1", int(p.get("open", 0)), open=int(p.get("open", 0)), maximum=int(p.get("maximum", 0)))
        if code == "runbook_late":
            return self("reason_runbook_late", late=int(p.get("late", 0)), blocked=int(p.get("blocked", 0)))
        if code == "training_below":
            rows = p.get("rows", 0)
            rows = len(rows) if isinstance(rows, (list, tuple)) else int(rows)
            return self.plural("reason_training_below", rows, rows=rows, share=self.percent(_share(p.get("share"))),
                               minimum=self.percent(_share(p.get("minimum"))))
        if code in ("superuser_gaps", "staffing_gaps"):
            shifts = int(p.get("shifts", 0))
            return self.plural(f"reason_{code}", shifts, shifts=shifts)
        if code == "sla_below_target":
            return self("reason_sla_below_target", measure=self._or("measure", p.get("measure")),
                        share=self.percent(_share(p.get("share"))), target=self.percent(_share(p.get("target"))))
        if code == "on_track":
            return self("reason_on_track")
        return self("reason_unknown", code=code)

    # -- since the last report ------------------------------------------------

    def metric(self, metric: str) -> str:
        """`Åpne P1-saker`; a region figure `<plan>.<figure>` reads `<plan>: Åpne P1-saker`."""
        plan, dot, figure = metric.rpartition(".")
        return f"{plan}: {self._or('metric', figure)}" if dot else self._or("metric", metric)

    def metric_value(self, metric: str, value: Any) -> str:
        metric = metric.rpartition(".")[2]
        if value is None:
            return "—"
        if metric == "rag" and isinstance(value, str):
            return self.rag(value) if f"rag_{value}" in self.labels else value
        if metric in SHARE_METRICS or metric.endswith("_share"):
            return self.percent(float(value))
        if metric in DURATION_METRICS or metric.endswith("_minutes"):
            return self.duration(float(value))
        return self.figure(value)


def _lower_first(text: str) -> str:
    """`åpne P1-saker` inside a sentence (labels begin with a capital; `P1` and such stay as they are)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _share(value: Any) -> float | None:
    return None if value is None else float(value)


def _instant(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))
