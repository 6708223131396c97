"""The PII guard masks generated identity numbers in every written form and leaves phone, org and account numbers, dates and times alone."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.no import fodselsnummer, kontonr

from support.pii import MASK, contains_identity_number, mask_identity_numbers

TODAY = datetime.date.today()


def with_check_digits(first_nine: str) -> str | None:
    """The 11-digit number, or None when a check digit would be 10 (no such number is issued)."""
    k1 = fodselsnummer.calc_check_digit1(first_nine)
    if len(k1) > 1:
        return None
    k2 = fodselsnummer.calc_check_digit2(first_nine + k1)
    return None if len(k2) > 1 else first_nine + k1 + k2


def individual_numbers(year: int) -> st.SearchStrategy[int]:
    """Individual numbers that fit the birth year's century, as stdnum reads them."""
    if year < 1900:
        return st.integers(500, 749)
    if year < 2000:
        return st.integers(0, 499) | (st.integers(900, 999) if year >= 1940 else st.nothing())
    return st.integers(500, 999)


@st.composite
def identity_numbers(draw: st.DrawFn, kinds: tuple[str, ...] = ("fnr", "d", "h", "fh")) -> tuple[str, str]:
    """(kind, 11 digits) of a valid fødselsnummer, D-, H- or FH-number."""
    kind = draw(st.sampled_from(kinds))
    if kind == "fh":
        first_nine = draw(st.sampled_from("89")) + draw(st.text("0123456789", min_size=8, max_size=8))
    else:
        born = draw(st.dates(min_value=datetime.date(1854, 1, 1), max_value=TODAY))
        individual = draw(individual_numbers(born.year))
        day = born.day + (40 if kind == "d" else 0)
        month = born.month + (40 if kind == "h" else 0)
        first_nine = f"{day:02d}{month:02d}{born.year % 100:02d}{individual:03d}"
    number = with_check_digits(first_nine)
    if number is None:
        return draw(identity_numbers(kinds))
    return kind, number


separators = st.sampled_from([" ", ".", "-", "  ", " - ", ". ", "/", ":", "\u00a0", "\u2013", "\t"])


@st.composite
def written(draw: st.DrawFn, number: str) -> str:
    """The number as a person might type it."""
    d, m, y, n = number[:2], number[2:4], number[4:6], number[6:]
    a, b = draw(separators), draw(separators)
    forms = [
        number,
        f"{d}{m}{y}{a}{n}",
        f"{d}{a}{m}{a}{y}{b}{n}",
        f"{d}{m}{y}{a}{n[:3]}{b}{n[3:]}",
        f"{d}{a}{m}{a}{y}{b}{n[:3]}{b}{n[3:]}",
        f"{number[:4]}.{number[4:6]}.{number[6:]}",  # the bank-account layout
    ]
    return draw(st.sampled_from(forms))


SCRIPTS = {"ascii": "0", "arabic-indic": "\u0660", "persian": "\u06f0", "fullwidth": "\uff10", "devanagari": "\u0966"}


def in_script(text: str, script: str) -> str:
    zero = ord(SCRIPTS[script])
    return "".join(chr(zero + int(c)) if c.isascii() and c.isdigit() else c for c in text)


# Text around a number: letters, Norwegian letters and punctuation, never digits.
surrounding = st.text(alphabet="abcæøå ABCÆØÅ:;,()!?\n\"'", max_size=30)


@settings(max_examples=400)
@given(data=st.data())
def test_a_valid_number_in_any_written_form_is_masked_and_its_digits_are_gone(data: st.DataObject) -> None:
    _, number = data.draw(identity_numbers())
    form = data.draw(written(number))
    script = data.draw(st.sampled_from(sorted(SCRIPTS)))
    before, after = data.draw(surrounding), data.draw(surrounding)
    text = before + in_script(form, script) + after
    masked, count = mask_identity_numbers(text)
    assert (masked, count) == (before + MASK + after, 1)
    assert contains_identity_number(text)
    assert not contains_identity_number(masked)


@settings(max_examples=200)
@given(data=st.data())
def test_a_four_digit_year_is_masked_too(data: st.DataObject) -> None:
    _, number = data.draw(identity_numbers(kinds=("fnr",)))
    birth_year = fodselsnummer.get_birth_date(number).year
    sep = data.draw(separators)
    text = f"f. {number[:2]}.{number[2:4]}.{birth_year}{sep}{number[6:]} ok"
    assert mask_identity_numbers(text) == (f"f. {MASK} ok", 1)


def test_a_four_digit_year_from_the_wrong_century_is_not_an_identity_number() -> None:
    assert fodselsnummer.get_birth_date("15108695088").year == 1986
    assert mask_identity_numbers("15.10.1886 95088") == ("15.10.1886 95088", 0)


@settings(max_examples=200)
@given(numbers=st.lists(identity_numbers(), min_size=2, max_size=6), joiner=st.sampled_from([" ", " og ", ", ", "\n", "; "]), data=st.data())
def test_every_number_in_a_text_is_masked_and_counted(numbers: list[tuple[str, str]], joiner: str, data: st.DataObject) -> None:
    forms = [data.draw(written(n)) for _, n in numbers]
    masked, count = mask_identity_numbers("Gjelder " + joiner.join(forms) + ".")
    assert count == len(numbers)
    assert masked == "Gjelder " + joiner.join([MASK] * len(numbers)) + "."


@settings(max_examples=300)
@given(number=identity_numbers(), position=st.integers(0, 10), data=st.data())
def test_a_wrong_check_digit_is_not_an_identity_number(number: tuple[str, str], position: int, data: st.DataObject) -> None:
    _, digits = number
    wrong = data.draw(st.sampled_from([c for c in "0123456789" if c != digits[position]]))
    changed = digits[:position] + wrong + digits[position + 1 :]
    if fodselsnummer.is_valid(changed) or (changed[0] in "89" and with_check_digits(changed[:9]) == changed):
        return  # a changed birth digit can, rarely, land on another valid number
    text = f"fnr: {changed} og {changed[:6]} {changed[6:]}"
    assert mask_identity_numbers(text) == (text, 0)


phones = st.integers(40000000, 99999999).map(str)


@settings(max_examples=300)
@given(phone=phones, data=st.data())
def test_phone_numbers_are_kept(phone: str, data: st.DataObject) -> None:
    form = data.draw(
        st.sampled_from(
            [phone, f"+47 {phone}", f"+47{phone}", f"0047 {phone}", f"{phone[:3]} {phone[3:5]} {phone[5:]}",
             f"+47 {phone[:3]} {phone[3:5]} {phone[5:]}", f"{phone[:2]} {phone[2:4]} {phone[4:6]} {phone[6:]}"]
        )
    )
    text = f"Ring meg på {form}."
    assert mask_identity_numbers(text) == (text, 0)


@pytest.mark.parametrize(
    "text",
    [
        "Ring +47 912 34 567 eller 91234567, evt. 73 55 00 00.",
        "Org.nr. 923 609 016 (NO 923609016 MVA)",
        "Skjedde 09.05.2022 kl. 07:00:00, igjen 2022-05-09T07:15 og 10.05.22 12:30.",
        "Sak 2022/12345, versjon 10.4.2.11, port 8443.",
        "Kontonummer 1234.56.78903",  # valid account number, not a valid fødselsnummer
        "Strekkode 7038010001234 på etiketten",  # 13 digits: EAN, not an identity number
        "1215108695088",  # a valid fødselsnummer inside a 13-digit run is not one
        "0101701234 5 og 01 01701 2345",  # digit groups outside the layouts
        "151086 ... 95088 og 15 10 86       95088",  # gaps too wide to be one number
        "",
    ],
)
def test_other_numbers_are_kept(text: str) -> None:
    assert kontonr.is_valid("12345678903") and not fodselsnummer.is_valid("12345678903")
    assert mask_identity_numbers(text) == (text, 0)
    assert not contains_identity_number(text)


def test_an_account_number_that_is_also_a_valid_fodselsnummer_is_masked() -> None:
    # Safety first: a number that passes the fødselsnummer check is masked whatever else it may be.
    number = "09481918895"
    assert kontonr.is_valid(number) and fodselsnummer.is_valid(number)
    assert mask_identity_numbers(f"Konto {kontonr.format(number)} og {number}") == (f"Konto {MASK} og {MASK}", 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fnr:15108695088.", f"fnr:{MASK}."),
        ("(fnr 151086-95088)", f"(fnr {MASK})"),
        ("pasient15108695088x", f"pasient{MASK}x"),
        ("Se 12 15108695088", f"Se 12 {MASK}"),  # a separator-bounded group beside another number
        ("91234567 15108695088 923609016", f"91234567 {MASK} 923609016"),
        ("15.10.86 95088, 15.10.86", f"{MASK}, 15.10.86"),
        ("151086\u200b95088", MASK),  # a zero-width space is no disguise
        ("1510869\u00ad5088", MASK),  # nor is a soft hyphen inside the number
        ("１５１０８６ ９５０８８", MASK),  # fullwidth digits
        ("¹⁵¹⁰⁸⁶⁹⁵⁰⁸⁸", MASK),  # superscripts
        ("\u0661\u0665\u0661\u0660\u0668\u0666\u0669\u0665\u0660\u0668\u0668 ok", f"{MASK} ok"),  # Arabic-Indic
    ],
)
def test_neighbours_and_disguises(text: str, expected: str) -> None:
    assert mask_identity_numbers(text) == (expected, 1)


def test_h_and_fh_numbers_are_masked() -> None:
    h = with_check_digits("155086950")  # month 10 + 40
    fh = next(n for n in (with_check_digits(f"8{i:08d}") for i in range(100)) if n)
    assert h and fodselsnummer.is_valid(h)
    assert not fodselsnummer.is_valid(fh)  # stdnum refuses FH-numbers; the guard masks them anyway
    assert mask_identity_numbers(f"{h} {fh}") == (f"{MASK} {MASK}", 2)


@settings(max_examples=300)
@given(text=st.text(alphabet=st.sampled_from("0123456789 .-/:\n") | st.characters(), max_size=200))
def test_masking_is_total_and_leaves_nothing_to_find(text: str) -> None:
    masked, count = mask_identity_numbers(text)
    assert contains_identity_number(text) == (count > 0)
    assert mask_identity_numbers(masked) == (masked, 0)
    assert (masked == text) == (count == 0)


def test_hostile_long_text_is_fast_and_correct() -> None:
    noise = "1 2.3-4/5:6 " * 100_000 + "1" * 100_000 + "٣" * 10_000
    text = noise + " 15108695088 " + noise
    started = time.perf_counter()
    masked, count = mask_identity_numbers(text)
    assert time.perf_counter() - started < 10
    assert count == 1 and "15108695088" not in masked
    assert len(masked) == len(text) - 11 + len(MASK)


def test_no_digits_survive_in_a_realistic_ticket() -> None:
    text = (
        "Hei, pasient med fnr 151086 95088 får ikke opp timeboka. Ring meg på +47 912 34 567.\n"
        "Gjelder også D-nr 55108694016? Sjekket 09.05.2022 kl. 07:00."
    )
    masked, count = mask_identity_numbers(text)
    digits_left = re.sub(r"\D", "", masked)
    assert "15108695088" not in digits_left and "95088" not in masked
    assert "+47 912 34 567" in masked and "09.05.2022 kl. 07:00" in masked
    assert count == 2 and "55108694016" not in digits_left
