"""Property tests: for any text, parse returns or raises FzparseError, and what it returns keeps
its invariants (units and references found in their node's text, consistent numbering, schema-
valid and byte-identical JSON). `make fuzz` runs the same checks with many more examples."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from properties import any_text, check, notice_text

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(notice_text)
def test_notice_like_text(text):
    check(text)


@FAST
@given(any_text)
def test_any_text(text):
    check(text)
