"""Heading numbers are read without cn2an when they are one of 一 … 九十九, as cn2an reads them."""
from __future__ import annotations

import subprocess
import sys

import cn2an
import pytest

from fzparse import numerals
from fzparse.outline import numeral_value


@pytest.mark.parametrize("n", range(1, 100))
def test_the_usual_numbers_read_as_cn2an_reads_them(n):
    text = cn2an.an2cn(n)
    assert numerals.small(text) == n == cn2an.cn2an(text, "strict")


@pytest.mark.parametrize("text", ["", "零", "〇", "十十", "二十十", "一百", "两", "二三", "十一二", "a", "十a"])
def test_other_forms_are_left_to_cn2an(text):
    assert numerals.small(text) is None


@pytest.mark.parametrize("text, expected", [("一百零一", 101), ("一十", 10), ("两", None), ("〇", None), ("二三", None)])
def test_numeral_value_falls_back_to_cn2an(text, expected):
    assert numeral_value(text) == expected


def test_parsing_an_ordinary_notice_does_not_import_cn2an(tmp_path):
    notice = tmp_path / "n.txt"
    notice.write_text("澜州市人民政府关于做好工作的通知\n澜府发〔2024〕1号\n各区县人民政府：\n"
                      + "".join(f"{cn2an.an2cn(i)}、事项{i}。\n" for i in range(1, 25))
                      + "澜州市人民政府\n2024年3月5日\n", "utf-8")
    code = ("import sys, fzparse; doc = fzparse.parse(sys.argv[1]); "
            "n = len(list(doc.nodes())); assert n >= 24, n; print('cn2an' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(notice)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
