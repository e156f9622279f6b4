"""Limits on what one input may cost, with defaults a user can change (CLI flags or
`fzparse.parse(path, limits=Limits(...))`). Readers consult `current()`."""
from __future__ import annotations

import contextvars
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * MB              # size of one input file
    max_pages: int = 2000                 # PDF pages
    max_unzipped_bytes: int = 200 * MB    # DOCX / zip members, unpacked
    max_zip_ratio: float = 100.0          # unpacked / packed, above 1 MB unpacked
    max_depth: int = 256                  # HTML element nesting (libxml2's own limit; above it, huge-tree mode to 2048)
    seconds: float | None = 120.0         # wall time for one document (main thread only)


_current: contextvars.ContextVar[Limits] = contextvars.ContextVar("fzparse_limits", default=Limits())  # noqa: B039 (frozen)


def current() -> Limits:
    return _current.get()


@contextmanager
def using(limits: Limits | None):
    if limits is None:
        yield current()
        return
    token = _current.set(limits)
    try:
        yield limits
    finally:
        _current.reset(token)


class _Deadline(BaseException):
    """Raised inside the parse when its time is up (BaseException: no `except Exception` eats it)."""


@contextmanager
def time_limit(seconds: float | None):
    """Stop the work inside after `seconds` with TimeoutError. SIGALRM-based: on threads other
    than the main one (or without SIGALRM) it does nothing, and the caller's own limit applies."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    stopped = False

    def on_alarm(signum, frame):
        if not stopped:
            raise _Deadline()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    # again every 0.2 s until cleared: a _Deadline raised inside a __del__ or a gc callback is
    # swallowed ("Exception ignored in …"), and the work would run on past its limit
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.2)
    try:
        try:
            yield
        finally:
            while True:                 # an alarm during the clean-up must not cut it short
                try:
                    stopped = True
                    signal.setitimer(signal.ITIMER_REAL, 0)
                    signal.signal(signal.SIGALRM, previous)
                    break
                except _Deadline:
                    continue
    except _Deadline:
        raise TimeoutError(f"took longer than {seconds:g} s") from None
