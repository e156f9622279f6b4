"""Worker-process details the batch tests do not see: a worker gives freed memory back only when it
has grown past where it settled, and queues tasks only within what a socket holds."""
from __future__ import annotations

import os

import pytest

from fzparse import engines


def test_heap_trim_only_past_the_level_the_worker_settled_at():
    trim = engines._HeapTrim(slack=10)
    if trim.trim is None:
        pytest.skip("no glibc malloc_trim here")
    calls = []
    trim.trim = calls.append
    sizes = iter([100, 105, 110, 111, 90, 95, 100])
    trim.resident = lambda: next(sizes)
    trim()                      # 100 after the first task: the limit is 110
    trim()                      # 105
    trim()                      # 110
    assert calls == []
    trim()                      # 111: trimmed, back to 90, the limit is 100
    assert calls == [0]
    trim()                      # 95
    trim()                      # 100
    assert calls == [0]


def test_prefetch_stays_within_a_socket_buffer():
    import multiprocessing as mp
    import os
    a, b = mp.Pipe(duplex=True)
    os.set_blocking(a.fileno(), False)
    try:                        # what may wait in a busy worker's socket never blocks the sender
        for _ in range(engines.PREFETCH - 1):
            a.send_bytes(b"x" * (engines.PREFETCH_BYTES // (engines.PREFETCH - 1) + 2048))
    finally:
        a.close()
        b.close()


def _square(n):
    if n == 13:
        os._exit(3)                 # a worker dying mid-run
    return n * n


def test_processes_give_one_result_per_task_and_let_go_of_the_workers():
    """The parent waits on a poll object it keeps for the run: every result arrives once, the one
    whose worker died is reported, and no worker is left registered."""
    runner = engines.Processes(_square, 2, recycle_after=7)       # workers replaced along the way too
    got = list(runner.run(iter(range(40))))
    killed = [r for r in got if isinstance(r, engines.Killed)]
    assert [k.task for k in killed] == [13] and "exit status 3" in killed[0].detail
    assert sorted(r for r in got if not isinstance(r, engines.Killed)) == [n * n for n in range(40) if n != 13]
    assert runner.workers == [] and runner._waiter.conns == {} and runner._waiter.sentinels == {}


def test_the_waiter_without_poll_waits_as_multiprocessing_does(monkeypatch):
    monkeypatch.delattr(engines.select, "poll", raising=False)
    runner = engines.Processes(_square, 2)
    assert runner._waiter.poll is None
    assert sorted(runner.run(iter(range(12)))) == [n * n for n in range(12)]
