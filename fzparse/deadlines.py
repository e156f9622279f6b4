"""Time limits as printed (2021年底前, 2022年6月底前, 2023年第一季度, 长期坚持) → a date where the
text names one; None where it is no date (长期坚持, 持续推进) — the printed text is always kept."""
from __future__ import annotations

import calendar

import regex as re

from .segment import fold_digits

QUARTER_END = {"一": 3, "1": 3, "二": 6, "2": 6, "三": 9, "3": 9, "四": 12, "4": 12}

DEADLINE_FORMS = (
    (re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"), "ymd"),
    (re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月(?:底|末|份)?"), "ym"),
    (re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?:第\s*)?(?P<q>[一二三四1-4])\s*季度"), "q"),
    (re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*上半年"), "h1"),
    (re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?:下半年|底|年底|末|年末|内|前)?"), "y"),
)


# A time limit that names no year of its own (6月底前, 年底前, 第三季度): the plan's year is meant
WITHOUT_YEAR = re.compile(r"^\s*(?:\d{1,2}\s*月|年底|年内|年末|上半年|下半年|(?:第\s*)?[一二三四1-4]\s*季度)")


def normalise_deadline(text: str | None, default_year: int | None = None) -> str | None:
    """The latest date a printed time limit allows, as YYYY-MM-DD; None when it names none. A
    limit without a year (6月底前, 年底前) takes `default_year` — the year the document is for —
    and names no date when there is none."""
    if not text:
        return None
    text = fold_digits(text)
    if WITHOUT_YEAR.match(text):
        if not default_year:
            return None
        text = f"{default_year}年{text.lstrip()}"
    # a range (2021年—2023年) ends at its last date
    best = None
    for pattern, form in DEADLINE_FORMS:
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        m = matches[-1]
        y = int(m["y"])
        if form == "ymd":
            best = f"{y:04d}-{int(m['m']):02d}-{int(m['d']):02d}"
        elif form == "ym":
            mo = int(m["m"])
            if not 1 <= mo <= 12:
                continue
            best = f"{y:04d}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}"
        elif form == "q":
            mo = QUARTER_END[m["q"]]
            best = f"{y:04d}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}"
        elif form == "h1":
            best = f"{y:04d}-06-30"
        else:
            best = f"{y:04d}-12-31"
        break
    return best


# A time limit inside running text: 2021年底前, 2022年6月底前, 6月底前, 2023年第一季度前, 年内.
IN_TEXT = re.compile(
    r"(?P<text>(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?:(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日|底|末|份)?"
    r"|(?<=年)\s*(?:底|末)|(?<=年)\s*(?:第\s*)?[一二三四1-4]\s*季度(?:末)?|(?<=年)\s*上半年|(?<=年)\s*下半年)\s*(?:前|以前|之前))"
)
STANDING = re.compile(r"长期坚持|持续推进|持续开展|长期推进|常态化推进")


def deadlines_in_text(text: str, default_year: int | None) -> list[tuple[str, str | None]]:
    """Time limits printed in a task's text, as (printed, YYYY-MM-DD or None). A limit without
    a year (6月底前) takes `default_year` — the year the document itself is for — and is None
    when the document names no year."""
    text = fold_digits(text)
    out: list[tuple[str, str | None]] = []
    for m in IN_TEXT.finditer(text):
        printed = m["text"].strip()
        if m["y"]:
            out.append((printed, normalise_deadline(printed)))
        elif m["m"]:
            out.append((printed, normalise_deadline(printed, default_year)))
    for m in STANDING.finditer(text):
        out.append((m.group(0), None))
    return out
