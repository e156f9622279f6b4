"""The PDF reader's line and paragraph helpers on hand-made characters: the runs of a page
come top to bottom in the content stream (the common case, no sort) or in any other order
(sorted), and both give the same lines; no space is put between two lines; sizes and indents
are rounded as round(x, 1) would round them."""
from __future__ import annotations

import math
import random

from fzparse.read import pdf as pdf_reader
from support import pdf_chars as _chars


def _described(lines):
    return [(ln.text, ln.x0, ln.x1, ln.y0, ln.y1, ln.size, ln.first_unit) for ln in lines]


ROWS = [
    ("第一条　为了规范管理", 72, 700, 12, 14, 12),
    ("工作，制定本办法。", 72, 680, 12, 14, 12),
    ("GB 12523-2011 and more", 72, 660, 7, 14, 12),
    ("（一）总体要求", 96, 640, 12, 14, 12),
    ("附件", 72, 600, 16, 18, 16),
]


def test_runs_in_stream_order_and_shuffled_give_the_same_lines():
    in_order = pdf_reader._group_lines(_chars(ROWS), 1)
    assert [ln.text for ln in in_order] == ["第一条 为了规范管理", "工作，制定本办法。", "GB 12523-2011 and more",
                                            "（一）总体要求", "附件"]
    for seed in range(5):
        rows = ROWS[:]
        random.Random(seed).shuffle(rows)
        if rows == ROWS:
            continue
        assert _described(pdf_reader._group_lines(_chars(rows), 1)) == _described(in_order)
    bottom_up = pdf_reader._group_lines(_chars(ROWS[::-1]), 1)
    assert _described(bottom_up) == _described(in_order)


def test_no_space_between_lines_after_a_trailing_space():
    # the first line ends with a space character of its own: the next line does not start
    # with a space, and the first one does not end with one
    lines = pdf_reader._group_lines(_chars([("ab ", 72, 700, 6, 14, 12), ("cd", 72, 680, 6, 14, 12)]), 1)
    assert [ln.text for ln in lines] == ["ab", "cd"]
    # a gap as wide as the page between the last character of one line and the first of the
    # next is no space either
    lines = pdf_reader._group_lines(_chars([("ab", 72, 700, 6, 14, 12), ("cd", 400, 680, 6, 14, 12)]), 1)
    assert [ln.text for ln in lines] == ["ab", "cd"]


def test_pen_moving_back_within_one_run_is_sorted_left_to_right():
    # a run written right to left on one baseline (each character left of the one before by
    # less than half its height: still one run)
    rows = [(ch, 100 - 5 * k, 700, 5, 14, 12) for k, ch in enumerate("cba")]
    lines = pdf_reader._group_lines(_chars(rows), 1)
    assert [ln.text for ln in lines] == ["abc"]
    assert (lines[0].x0, lines[0].x1) == (90.0, 105.0)


def test_round1_is_round_to_one_digit():
    values = [0.05, 0.15, 0.25, 0.35, 2.675, 10.45, 12.0, 15.96, -0.04, -0.05, -1.25, 1e-9, 3.0000001]
    values += [random.Random(1).uniform(-40, 40) for _ in range(2000)]
    for _ in range(2):      # the second time from memory
        for x in values:
            got = pdf_reader._round1(x)
            assert got == round(x, 1) and type(got) is float, x
            assert math.copysign(1.0, got) == math.copysign(1.0, round(x, 1)), x


def test_round1_keeps_the_sign_of_zero():
    assert math.copysign(1.0, pdf_reader._round1(0.0)) == 1.0
    assert math.copysign(1.0, pdf_reader._round1(-0.0)) == -1.0
    assert math.copysign(1.0, pdf_reader._round1(0.0)) == 1.0
    # a small negative indent rounds to -0.0, and is remembered apart from 0.0
    assert math.copysign(1.0, pdf_reader._round1(-0.01)) == -1.0
    assert math.copysign(1.0, pdf_reader._round1(0.01)) == 1.0


def test_frame_margins_and_pitch():
    lines = []
    for k in range(10):
        # full lines from 72 to 523 (mirrored on a 595 pt page), the first one indented
        lines.append(pdf_reader.Line(page=1, text="这是正文的一行文字" * 3, x0=96.0 if k == 0 else 72.0,
                                     x1=523.0, y0=700.0 - 28 * k, y1=714.0 - 28 * k, size=16.0))
    lines.append(pdf_reader.Line(page=1, text="短的最后一行文字", x0=72.0, x1=200.0, y0=400.0, y1=414.0, size=16.0))
    frame = pdf_reader._frame(lines, width=595.0)
    assert (frame.left, frame.right, frame.size) == (72.0, 523.0, 16.0)
    assert frame.pitch == 28.0
    assert pdf_reader._frame(lines[:3], width=595.0) is None      # too few lines to go on


def test_smaller_run_below_joins_the_line_in_stream_order():
    # the runs come top to bottom (no sort), but the second, a subscript, overlaps the first
    # line's band and joins it
    lines = pdf_reader._group_lines(_chars([("HO", 72, 700, 10, 14, 12), ("2", 92, 697, 5, 8, 6),
                                            ("next", 72, 660, 7, 14, 12)]), 1)
    assert [ln.text for ln in lines] == ["HO2", "next"]
    assert (lines[0].y0, lines[0].y1) == (697.0, 714.0)
