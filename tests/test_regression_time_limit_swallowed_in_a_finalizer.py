"""Regression: a time limit that fired inside a __del__ was lost.

SIGALRM's handler raises wherever Python is; inside a finaliser the exception is printed and
dropped ("Exception ignored in …"), and the parse ran on past its limit (a batch test that
sets a 0.05 s limit passed most of the time and failed now and then). The alarm now comes
again every 0.2 s until the limit is lifted, as the thread version's does."""
from __future__ import annotations

import signal
import time

import pytest

from fzparse.limits import time_limit

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="SIGALRM only")


class _SlowToDie:
    def __del__(self):
        t = time.monotonic()
        while time.monotonic() - t < 0.3:      # the first alarm (at 0.05 s) lands here
            pass


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")      # the lost alarm, printed
def test_the_limit_still_stops_work_after_an_alarm_lost_in_a_finaliser():
    start = time.monotonic()
    with pytest.raises(TimeoutError):
        with time_limit(0.05):
            _SlowToDie()                       # dropped at once: its __del__ runs now
            while time.monotonic() - start < 3:
                pass
    assert time.monotonic() - start < 1.0
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)       # and nothing left armed


def test_work_within_its_limit_leaves_no_alarm_behind():
    previous = signal.getsignal(signal.SIGALRM)
    with time_limit(0.05):
        pass
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is previous
