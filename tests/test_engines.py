"""Worker-process details the batch tests do not see: a worker gives freed memory back only when it
has grown past where it settled, and queues tasks only within what a socket holds."""
from __future__ import annotations

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
