"""Reading the tables project leads get from HR, the learning system and unit rosters.

CSV as Norwegian Excel writes it (UTF-8, UTF-8 with BOM or Windows-1252;
comma, semicolon or tab) and XLSX via openpyxl. Every complaint names the
file and the row (the line of the CSV file, the row of the sheet), and cells
are data: a leading `=`, `+`, `-` or `@` is never evaluated on the way in
and is neutralised on the way out (`safe_cell`).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rollout.clock import TimeError, resolve_local, zone
from rollout.errors import InputError
from rollout.yamlfile import suggest

FORMULA_START = ("=", "+", "-", "@")
TRUE_WORDS = frozenset({"ja", "j", "yes", "y", "true", "sann", "1", "x"})
FALSE_WORDS = frozenset({"nei", "n", "no", "false", "usann", "0", ""})


@dataclass
class Table:
    """Rows of one file with canonical column names; `lines[i]` is the row number of `rows[i]`."""

    path: str
    columns: list[str]
    lines: list[int] = field(default_factory=list)
    header_line: int = 1
    # Raw cells and where each canonical column sits; `plain` means every cell is text needing only strip().
    cells: list[list[Any]] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    plain: bool = False
    _rows: list[dict[str, Any]] | None = None

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Rows as {column: value}: text stripped, our own `'=` export escaping undone, short rows padded with None."""
        if self._rows is None:
            wanted = list(self.index.items())
            width = max(self.index.values(), default=0) + 1
            if self.plain:
                self._rows = [
                    {column: cells[i].strip() for column, i in wanted} if len(cells) >= width
                    else {column: cells[i].strip() if i < len(cells) else None for column, i in wanted}
                    for cells in self.cells
                ]
                return self._rows
            self._rows = [
                {column: _incoming(cells[i]) if i < len(cells) else None for column, i in wanted} for cells in self.cells
            ]
        return self._rows

    def fail(self, message: str, index: int | None = None) -> InputError:
        return InputError(message, path=self.path, line=self.lines[index] if index is not None else None)


def parse_map(text: str | None) -> dict[str, str]:
    """`--map "Ansattnr=employee_id,Navn=name"` → {"ansattnr": "employee_id", …} (headers compared loosely)."""
    if not text:
        return {}
    mapping: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise InputError(f"--map entry {part.strip()!r} must be like Header=column")
        header, _, column = part.partition("=")
        mapping[normal_header(header)] = column.strip().lower()
    return mapping


def normal_header(text: str) -> str:
    """Headers are matched without case, surrounding space, BOM or punctuation differences."""
    text = unicodedata.normalize("NFC", str(text)).replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s_.\-]+", " ", text).strip()


def read_table(
    path: Path,
    *,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    aliases: dict[str, str] | None = None,
    mapping: dict[str, str] | None = None,
    alternatives: tuple[tuple[str, ...], ...] = (),
) -> Table:
    """Read CSV or XLSX into rows keyed by canonical column names.

    `aliases` maps loose header spellings (normalised) to canonical names;
    `mapping` (from `--map`) wins over them. `alternatives` lists other sets
    of required columns that are accepted instead of `required` (the roster's
    start/end form). Unknown columns are ignored.
    """
    name = str(path)
    if not path.exists():
        raise InputError("no such file", path=name)
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError("the file is empty", path=name)
    is_zip = raw[:4] == b"PK\x03\x04"
    plain_text = False  # CSV cells are str; with no apostrophe anywhere none needs unescaping
    if path.suffix.lower() in (".xlsx", ".xlsm") or is_zip:
        header, body = _read_xlsx(path, raw)
    else:
        header, body = _read_csv(name, raw)
        plain_text = b"'" not in raw
    if header is None:
        raise InputError("the file is empty", path=name)

    lookup = {normal_header(k): v for k, v in (aliases or {}).items()}
    for column in required + optional + tuple(c for alt in alternatives for c in alt):
        lookup.setdefault(normal_header(column), column)
    user_map = mapping or {}
    columns: list[str | None] = []
    for cell in header[0]:
        key = normal_header(cell) if cell is not None else ""
        columns.append(user_map.get(key) or lookup.get(key))
    present = {c for c in columns if c}
    options = (required,) + alternatives
    chosen = next((opt for opt in options if all(c in present for c in opt)), None)
    if chosen is None:
        best = min(options, key=lambda opt: sum(1 for c in opt if c not in present))
        missing = [c for c in best if c not in present]
        headers = [str(h) for h in header[0] if h not in (None, "")]
        hint = suggest(missing[0], headers) if missing else ""
        raise InputError(
            f"missing required column {', '.join(repr(m) for m in missing)} (found: {', '.join(headers) or 'none'})"
            f"{hint}; use --map \"Header={missing[0]}\" for other names",
            path=name,
            line=header[1],
        )
    index: dict[str, int] = {}
    for i, column in enumerate(columns):
        if column and column not in index:
            index[column] = i
    if plain_text:
        # a blank row (Excel writes ";;;;" lines) is skipped
        kept = [item for item in body if "".join(item[0]).strip()]
    else:
        kept = [item for item in body if "".join("" if c is None else str(c) for c in item[0]).strip()]
    if not kept:
        raise InputError("the file has a header but no data rows", path=name, line=header[1])
    return Table(path=name, columns=sorted(present), lines=[line for _c, line in kept], header_line=header[1],
                 cells=[c for c, _line in kept], index=index, plain=plain_text)


def _incoming(value: Any) -> Any:
    """A cell as data: strip text; `'=…` (our own export escaping) loses its apostrophe."""
    if value.__class__ is str:
        value = value.strip()
        if value[:1] == "'" and value[1:2] in FORMULA_START and len(value) > 1:
            value = value[1:]
    return value


def _decode(name: str, raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding != "utf-8":
            raise InputError(f"cannot decode the file as {encoding}", path=name, line=raw.count(b"\n", 0, exc.start) + 1) from None
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as exc2:
            line = raw.count(b"\n", 0, exc2.start) + 1
            raise InputError(
                f"cannot decode the file: byte 0x{raw[exc2.start]:02x} is neither UTF-8 nor Windows-1252; "
                "save it as CSV UTF-8",
                path=name,
                line=line,
            ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError("cannot decode the file: it holds NUL bytes (not a CSV text file)", path=name, line=line)
    return text


def _read_csv(name: str, raw: bytes) -> tuple[tuple[list[Any], int] | None, list[tuple[list[Any], int]]]:
    text = _decode(name, raw)
    first = next((line for line in text[:65536].splitlines() if line.strip()), "")
    if first.lower().startswith("sep=") and len(first) == 5:  # Excel's "sep=;" hint line
        delimiter = first[4]
        text = text.replace(first, "", 1)  # keeps the line, so row numbers stay physical lines
    else:
        counts = {d: first.count(d) for d in (";", ",", "\t")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    quoted = '"' in text
    reader = csv.reader(text.splitlines() if not quoted else io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        if not quoted:
            # no quoted fields, so no field spans lines: row n is line n (blank lines come back as [])
            every = list(reader)
            numbered = zip(every, range(1, len(every) + 1))
        else:
            numbered = []
            start = 1
            for cells in reader:
                numbered.append((cells, start))
                start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"not a readable CSV file: {exc}", path=name, line=reader.line_num) from None
    numbered = list(numbered)
    at = next((n for n, (cells, _line) in enumerate(numbered) if any(c.strip() for c in cells)), None)
    if at is None:
        return None, []
    return numbered[at], [item for item in numbered[at + 1 :] if item[0]]


def _read_xlsx(path: Path, raw: bytes) -> tuple[tuple[list[Any], int] | None, list[tuple[list[Any], int]]]:
    import zipfile

    from openpyxl import load_workbook

    name = str(path)
    try:
        # Formulas are not evaluated: a cell "=SUM(A1)" is read as that text (data, not a formula).
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise InputError(f"not an Excel .xlsx workbook ({type(exc).__name__}: {exc})", path=name) from None
    except Exception as exc:  # openpyxl raises assorted errors on corrupt workbooks
        raise InputError(f"not a readable .xlsx workbook ({type(exc).__name__})", path=name) from None
    try:
        sheet = workbook.worksheets[0]
        header: tuple[list[Any], int] | None = None
        body: list[tuple[list[Any], int]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = list(values)
            if header is None:
                if not any(c not in (None, "") for c in cells):
                    continue
                header = ([("" if c is None else str(c)) for c in cells], number)
                continue
            body.append((cells, number))
    finally:
        workbook.close()
    return header, body


def safe_cell(value: Any) -> Any:
    """A cell for a CSV a person opens in Excel: text starting like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in FORMULA_START:
        return "'" + value
    return value


# -- cell parsers: each raises ValueError with a message for the row ---------


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
