"""Reading the tables people export from HR, learning, rostering and ticket systems, in any package.

CSV as Norwegian Excel writes it (UTF-8, UTF-8 with BOM or Windows-1252;
comma, semicolon or tab) and XLSX via openpyxl. Headers are matched loosely
through aliases and a user's own mapping. Every complaint names the file and
the row (the line of the CSV file, the row of the sheet), and cells are data:
a leading `=`, `+`, `-` or `@` is never evaluated on the way in (and
`rollout.tabular.export` neutralises it on the way out).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rollout.errors import InputError
from rollout.names import did_you_mean

FORMULA_START = ("=", "+", "-", "@")
HeaderMap = dict[str, str]  # normalised header -> canonical column


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


def parse_map(text: str) -> HeaderMap:
    """`"Ansattnr=employee_id,Navn=name"` → {"ansattnr": "employee_id", …}; ValueError on bad syntax."""
    mapping: HeaderMap = {}
    for part in text.split(","):
        if not part.strip():
            continue
        header, sep, column = part.partition("=")
        if not sep or not normal_header(header) or not column.strip():
            raise ValueError(f"{part.strip()!r} is not like Header=column")
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
    mapping: HeaderMap | None = None,
    alternatives: tuple[tuple[str, ...], ...] = (),
) -> Table:
    """Read CSV or XLSX into rows keyed by canonical column names.

    `aliases` maps loose header spellings (normalised) to canonical names;
    `mapping` (the user's own, see `parse_map`) wins over them. `alternatives` lists other sets
    of required columns that are accepted instead of `required` (the roster's
    start/end form). Unknown columns are ignored.
    """
    name = str(path)
    known = (*required, *optional, *(c for alt in alternatives for c in alt))
    for header, target in (mapping or {}).items():
        # a mapping to a column nobody reads would drop the data silently
        if target not in known:
            raise InputError(f"--map {header}={target}: {target!r} is not a column of this import{did_you_mean(target, known)}; "
                             f"columns: {', '.join(dict.fromkeys(known))}", path=name)
    if not path.exists():
        raise InputError("no such file", path=name)
    if path.is_dir():
        raise InputError("is a directory, not a file", path=name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read it ({exc.strerror})", path=name) from None
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
        hint = did_you_mean(missing[0], headers) if missing else ""
        raise InputError(
            f"missing required column {', '.join(repr(m) for m in missing)} (found: {', '.join(headers) or 'none'})"
            f"{hint}; map another header to it as Header={missing[0]}",
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
    _refuse_extra_fields(name, header[0], kept)
    return Table(path=name, columns=sorted(present), lines=[line for _c, line in kept], header_line=header[1],
                 cells=[c for c, _line in kept], index=index, plain=plain_text)


def _refuse_extra_fields(name: str, header: list[Any], rows: list[tuple[list[Any], int]]) -> None:
    """A value beyond the header's last named column would be dropped silently: refuse the row instead."""
    width = max((i + 1 for i, h in enumerate(header) if h not in (None, "") and str(h).strip()), default=0)
    for cells, line in rows:
        if len(cells) > width:
            extra = [c for c in cells[width:] if c is not None and str(c).strip()]
            if extra:
                raise InputError(
                    f"the row has {len(cells) - _trailing_blanks(cells)} fields but the header names {width}"
                    f" (extra value {str(extra[0]).strip()!r})",
                    path=name, line=line,
                )


def _trailing_blanks(cells: list[Any]) -> int:
    count = 0
    for cell in reversed(cells):
        if cell is not None and str(cell).strip():
            break
        count += 1
    return count


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


