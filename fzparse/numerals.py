"""Chinese numerals: the heading and list numbers (一 … 九十九) read here, anything else by cn2an.

cn2an is imported on first need only: importing it compiles a few dozen regexes, ~0.1-0.2 s —
on every start of the CLI, and in a bulk run on the one process the workers wait for — while
nearly every number a notice's outline needs is one of the 99 below."""
from __future__ import annotations

from functools import lru_cache

DIGITS = "一二三四五六七八九"
TEN = "十"


def small(text: str) -> int | None:
    """一 … 九十九 written the usual way (十, 十二, 二十, 二十三); None for anything else."""
    n = len(text)
    if n == 1:
        return 10 if text == TEN else (DIGITS.find(text) + 1) or None
    if n == 2 and text[0] == TEN:
        return 10 + (DIGITS.find(text[1]) + 1) if text[1] in DIGITS else None
    if n in (2, 3) and text[1] == TEN and text[0] in DIGITS:
        tens = 10 * (DIGITS.find(text[0]) + 1)
        if n == 2:
            return tens
        return tens + DIGITS.find(text[2]) + 1 if text[2] in DIGITS else None
    return None


@lru_cache(maxsize=1)
def _cn2an():
    import cn2an
    return cn2an


def cn2an_value(text: str, mode: str) -> float:
    """cn2an.cn2an(text, mode); raises what it raises."""
    return _cn2an().cn2an(text, mode)
