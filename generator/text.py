"""How the site writes things: dates, money, percentages, lists, numbers in words, and text compared."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import phonenumbers

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve"]
# typographic quotes and apostrophes, and their plain equivalents: text that differs only in these is the same
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00a0": " "})


def long_date(date: dt.date) -> str:
    """'1 November 2021'."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def money(amount: int | None) -> str:
    """Whole pounds as published: thousands separators, credits with a minus sign."""
    if amount is None:
        return ""
    return f"-{abs(amount):,}" if amount < 0 else f"{amount:,}"


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}%"


def join_and(items: list[str], separator: str = ", ") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if not items:
        return ""
    return items[0] if len(items) == 1 else separator.join(items[:-1]) + " and " + items[-1]


def words(number: int) -> str:
    """Small numbers as the documents print them: 'five places'."""
    return NUMBER_WORDS[number] if 0 <= number < len(NUMBER_WORDS) else str(number)


def letter(index: int) -> str:
    """The letter of a lettered list item, from 0: a, b, c."""
    return "abcdefghijklmnopqrstuvwxyz"[index]


def inline(text: str) -> str:
    """Data text on one line, so it cannot break the Markdown block it is placed in."""
    return re.sub(r"\s+", " ", str(text)).strip()


def sentence(text: str) -> str:
    """Text on one line that ends as a sentence does: 'A typing error' becomes 'A typing error.'."""
    text = inline(text)
    return text if not text or re.search(r"[.!?…][\"'”’)\]]*$", text) else text + "."


def clip(text: str, limit: int = 40) -> str:
    """Text quoted in a message: at most `limit` characters, cut with '...'."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


def normalise(text: str) -> str:
    """Text as a comparison sees it: a link's words not its address, Markdown escapes dropped,
    typographic quotes and apostrophes made plain, white space folded."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("\\*", "*").translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip()


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 change', '2 changes'."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def phone_numbers(printed: str) -> list[tuple[str, str]] | None:
    """A phone number as printed, as (shown, tel: address) pairs, each shown in one form (UK national
    format, '01908 253169', or '999'); None if it is not a UK number.

    '01908 253169/70' is two numbers sharing their start, as the documents print them:
    ('01908 253169', '+441908253169') and ('01908 253170', '+441908253170')."""
    first, _, other = printed.partition("/")
    if first.strip() in EMERGENCY and not other:
        return [(first.strip(), first.strip())]
    try:
        number = phonenumbers.parse(first, "GB")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number) or re.search(r"[^\d\s()+-]", first):
        return None
    found = [_shown(number)]
    if other:
        digits = str(number.national_number)
        if not other.strip().isdigit() or len(other.strip()) >= len(digits):
            return None
        alternative = phonenumbers.parse("0" + digits[: -len(other.strip())] + other.strip(), "GB")
        if not phonenumbers.is_valid_number(alternative):
            return None
        found.append(_shown(alternative))
    return found


EMERGENCY = ("999", "112")
_EMERGENCY = re.compile(r"(?<![\w.,/-])(999|112)(?![\w/-]|[.,]\d)")


def _shown(number: phonenumbers.PhoneNumber) -> tuple[str, str]:
    return (phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def phone_links(text: str) -> str:
    """Running text (Markdown) with every UK phone number in it, 999 included, made its own tel: link."""
    spans = [(m.start, m.end, _shown(m.number)) for m in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.VALID)]
    spans += [(m.start(), m.end(), (m.group(), m.group())) for m in _EMERGENCY.finditer(text)]
    for start, end, (shown, tel) in sorted(spans, reverse=True):
        text = f"{text[:start]}[{shown}](tel:{tel}){text[end:]}"
    return text


def edits(a: str, b: str) -> int:
    """How many letters to add, remove, change or swap with their neighbour to make one word the
    other (optimal string alignment)."""
    previous, row = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            cost = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (x != y))
            if previous is not None and i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, previous[j - 2] + 1)
            current.append(cost)
        previous, row = row, current
    return row[-1]


def near_spelling(name: str, known: Iterable[str]) -> str | None:
    """The one known name that `name` is a slip of the keyboard away from ('polce' for 'police',
    'riks' for 'risk'), or None: another word that merely looks alike is no suggestion."""
    allowed = max(1, min(3, len(name) // 5))
    scored = sorted((edits(name, k), k) for k in known if abs(len(k) - len(name)) <= allowed)
    return scored[0][1] if scored and scored[0][0] <= allowed else None


def is_abbreviation(term: str) -> bool:
    """AAFDA, CSPRs, eCDOP, MK ACT, DSM-5: every word has two capitals or is a number. Not 'Ofsted'."""
    return all(sum(c.isupper() for c in word) >= 2 or word.isdigit() for word in term.split())
