"""Time limits as printed (2021年底前, 2022年6月底前, 2023年第一季度, 长期坚持) → a date where the
text names one; None where it is no date (长期坚持, 持续推进) — the printed text is always kept."""
from __future__ import annotations

import calendar

import regex as re

QUARTER_END = {"一": 3, "1": 3, "二": 6, "2": 6, "三": 9, "3": 9, "四": 12, "4": 12}

DEADLINE_FORMS = (
    (re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"), "ymd"),
    (re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月(?:底|末|份)?"), "ym"),
    (re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?:第\s*)?(?P<q>[一二三四1-4])\s*季度"), "q"),
    (re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*上半年"), "h1"),
    (re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?:下半年|底|年底|末|年末|内|前)?"), "y"),
)


def normalise_deadline(text: str | None) -> str | None:
    """The latest date a printed time limit allows, as YYYY-MM-DD; None when it names none."""
    if not text:
        return None
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
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
