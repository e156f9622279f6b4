"""Regression: a worker that sent a result and then died was blamed for that finished task.

The parent's wait can return for another worker just before a worker's last result arrives and
the worker dies (on its next task). The parent then saw a dead worker and reported the task at
the head of its queue — already done, its result in the pipe — as killed, and the task that
really killed the worker ran again elsewhere. Found under load (8-17 runs in 300)."""
from __future__ import annotations

import os
import time

from fzparse import engines


def _square_or_die(n):
    if n == 13:
        os._exit(3)
    return n * n


def test_a_result_sent_before_the_worker_died_is_kept(monkeypatch):
    real_wait = engines._Waiter.wait
    calls = []

    def woken_for_someone_else(self, timeout):
        # the first wait returns nothing, late: by then the worker has sent 0's result and died on 13
        calls.append(timeout)
        if len(calls) == 1:
            time.sleep(1.0)
            return set()
        return real_wait(self, timeout)

    monkeypatch.setattr(engines._Waiter, "wait", woken_for_someone_else)
    runner = engines.Processes(_square_or_die, 1)
    got = list(runner.run(iter([0, 13])))
    assert [r for r in got if not isinstance(r, engines.Killed)] == [0]
    assert [k.task for k in got if isinstance(k, engines.Killed)] == [13]
