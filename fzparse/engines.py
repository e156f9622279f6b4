"""Where the per-input work runs: in this process (`-j 1`), in worker processes (`-j N`, the
default), or on dask.distributed (`--engine dask`). Every engine takes an iterator of tasks and
yields one result per task as they finish; the caller never holds more than a window of tasks.

The per-document time limit is kept twice: inside the work (SIGALRM on a main thread, an
asynchronous exception on a dask worker thread), and from the parent, which kills and replaces a
worker still busy `grace(seconds)` after it started — SIGALRM cannot interrupt C code (a PDF
library, a regex), a kill can.
"""
from __future__ import annotations

import ctypes
import gc
import logging
import math
import multiprocessing as mp
import os
import select
import signal
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import wait as wait_ready
from typing import Any, Callable, Iterable, Iterator

from . import limits as limits_mod

log = logging.getLogger("fzparse")


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def grace(seconds: float) -> float:
    """How long past its limit a task may run before the parent kills its worker."""
    return seconds + max(1.0, 0.1 * seconds)


# ----------------------------------------------------------------------------- in-work time limit

class _AsyncDeadline(BaseException):
    """Injected into a worker thread whose time is up (BaseException: `except Exception` won't eat it)."""


@contextmanager
def deadline(seconds: float | None):
    """TimeoutError after `seconds`: SIGALRM on the main thread, else an asynchronous exception
    delivered to this thread (Python code only; the parent's kill covers C code)."""
    if not seconds:
        yield
        return
    if threading.current_thread() is threading.main_thread():
        with limits_mod.time_limit(seconds):
            yield
        return
    tid = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    stop = threading.Event()
    state = {"done": False}

    def fire():
        # again every 0.2 s: an exception delivered inside a gc callback or a __del__ is swallowed
        if stop.wait(seconds):
            return
        while True:
            with lock:
                if state["done"]:
                    return
                ctypes.pythonapi.PyThreadState_SetAsyncExc(tid, ctypes.py_object(_AsyncDeadline))
            if stop.wait(0.2):
                return

    timer = threading.Thread(target=fire, name="fzparse-deadline", daemon=True)
    timer.start()
    try:
        try:
            yield
        finally:
            with lock:
                state["done"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(tid, None)     # drop one not yet delivered
            stop.set()
    except _AsyncDeadline:
        raise TimeoutError(f"took longer than {seconds:g} s") from None


# ----------------------------------------------------------------------------- engines

@dataclass
class Killed:
    """What an engine yields for a task whose worker had to be killed or died."""
    task: Any
    reason: str          # 'timeout' | 'died'
    detail: str
    seconds: float
    worker: str = ""


Work = Callable[[Any], Any]


class InProcess:
    name = "in-process"
    reads_members = True              # the work may open an archive and read its members itself

    def __init__(self, work: Work):
        self.work = work

    def run(self, tasks: Iterable[Any], seconds_of: Callable[[Any], float | None] = lambda t: None) -> Iterator[Any]:
        for task in tasks:
            yield self.work(task)

    def close(self) -> None:
        pass


class _HeapTrim:
    """Keeps a worker's resident size within `slack` of where it settled. A PDF's working set
    (pdfium's pages and the fonts a PDF embeds) is freed after each document and kept in
    malloc's heap for the next one, which is what makes the next one fast; but the free space
    fragments, the heap then takes another working set now and then, and a worker drifted from
    66 to 85 MB (the peak memory of a run growing with its length). When the resident size
    passes the level after the first task, or after the last trim, by `slack`, glibc's
    malloc_trim returns the free pages (~1 ms; the resident size is read from /proc, ~2 µs).
    Elsewhere than Linux with glibc it does nothing."""

    def __init__(self, slack: int = 24 << 20):
        self.slack = slack
        self.limit: int | None = None     # set after the first task: a forked worker's resident size starts low
        try:
            self.trim = ctypes.CDLL(None).malloc_trim
            self.statm = os.open("/proc/self/statm", os.O_RDONLY)
        except (OSError, AttributeError):
            self.trim = None
            return
        self.page = os.sysconf("SC_PAGE_SIZE")

    def resident(self) -> int:
        return int(os.pread(self.statm, 64, 0).split()[1]) * self.page

    def __call__(self) -> None:
        if self.trim is None:
            return
        now = self.resident()
        if self.limit is None:
            self.limit = now + self.slack
        elif now > self.limit:
            self.trim(0)
            self.limit = self.resident() + self.slack


def _worker_main(conn, work: Work) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)          # Ctrl-C is the parent's to handle
    trim = _HeapTrim()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            result = work(task)
        except BaseException as err:  # work() reports its own failures; this is a last resort
            result = Killed(task, "died", f"worker error: {type(err).__name__}: {err}", 0.0)
        try:
            conn.send(result)
        except (OSError, EOFError):
            return
        trim()                          # after the send: the parent does not wait for it


class _Worker:
    def __init__(self, ctx, work: Work, number: int):
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_worker_main, args=(child, work), name=f"fzparse-worker-{number}",
                                   daemon=True)
        self.process.start()
        child.close()
        self.queue: deque = deque()       # tasks sent, in order; the first is the one running
        self.started = 0.0                # when the first in the queue started (about)
        self.done = 0
        self.retiring = False
        self.broken = False
        self.name = f"worker-{number}"
        self.waited: tuple | None = None  # what _Waiter watches while the worker has tasks
        self.poll_one = None

    def kill(self) -> None:
        try:
            self.process.kill()
        except (OSError, ValueError):
            pass
        self.process.join(5)
        self.conn.close()


# A worker holds up to PREFETCH tasks: the one it runs and the next ones, so that it does not wait
# while the parent is late — on a machine with as many cores as workers the parent waits for a
# core itself, a few milliseconds, longer than a text notice takes. The tasks queued behind the
# running one stay within PREFETCH_BYTES, well inside a socket's buffer (~90 KB of small messages
# here): sending to a busy worker must never block the parent.
PREFETCH = 3
PREFETCH_BYTES = 64 * 1024

# A worker is replaced after this many tasks, to bound any slow growth in it (malloc's heap is kept
# in bounds by _HeapTrim; the caches of the parse are bounded). Not much more often: a new worker
# starts cold — its caches empty, the parent's pages copied again as it touches them — which cost
# a text notice ~8% more CPU when workers were replaced every 200.
RECYCLE_AFTER = 1000


def _bytes(task: Any) -> int:
    data = getattr(task, "data", None)
    return 0 if data is None else len(data)


class _Waiter:
    """Waits for the busy workers: a result to read, or the process gone. One poll object kept
    across the run, a worker's two descriptors registered while it has tasks, instead of
    multiprocessing.connection.wait, which builds and fills a selector on every call (twice per
    result, with Connection.poll) — a few thousand times in a run of small documents. Without
    select.poll (Windows), that wait over the same objects."""

    def __init__(self):
        self.poll = select.poll() if hasattr(select, "poll") else None
        self.conns: dict[Any, _Worker] = {}       # descriptor (or Connection) of a busy worker's pipe
        self.sentinels: dict[Any, _Worker] = {}

    def add(self, w: _Worker) -> None:
        c, s = (w.conn, w.process.sentinel) if self.poll is None else (w.conn.fileno(), w.process.sentinel)
        self.conns[c], self.sentinels[s] = w, w
        if self.poll is not None:
            self.poll.register(c, select.POLLIN)
            self.poll.register(s, select.POLLIN)
        w.waited = (c, s)

    def remove(self, w: _Worker) -> None:
        if w.waited is None:
            return
        c, s = w.waited
        w.waited = None
        self.conns.pop(c, None)
        self.sentinels.pop(s, None)
        if self.poll is not None:
            for fd in (c, s):
                try:
                    self.poll.unregister(fd)
                except (KeyError, ValueError, OSError):
                    pass

    def wait(self, timeout: float | None) -> set[_Worker]:
        """The busy workers whose pipe has something to read (after up to `timeout` seconds; a
        worker's process ending only ends the wait)."""
        if self.poll is None:
            ready = wait_ready([*self.conns, *self.sentinels], timeout)
            return {self.conns[c] for c in ready if c in self.conns}
        events = self.poll.poll(None if timeout is None else math.ceil(timeout * 1000))
        return {self.conns[fd] for fd, _ in events if fd in self.conns}

    @staticmethod
    def readable(w: _Worker) -> bool:
        """More from this worker's pipe at once (what Connection.poll() says, without a selector)."""
        if w.waited is None or not hasattr(select, "poll"):
            return w.conn.poll()
        if w.poll_one is None:
            w.poll_one = select.poll()
            w.poll_one.register(w.waited[0], select.POLLIN)
        return bool(w.poll_one.poll(0))


class Processes:
    """N worker processes. Each holds a few tasks — the one it runs and the next ones, so it does
    not wait for the parent — and the parent knows which one runs since when; a worker that
    overruns the time limit or dies is killed and replaced, and the tasks queued behind the one
    it was running go to other workers."""
    name = "processes"
    reads_members = True

    def __init__(self, work: Work, jobs: int, recycle_after: int = RECYCLE_AFTER, warm_up: Callable[[], None] | None = None):
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        self.ctx = mp.get_context(method)
        if warm_up is not None and method == "fork":
            warm_up()                      # once here: every forked worker starts warm
        # What the parent holds now, every worker inherits: frozen, a worker's garbage collections
        # do not walk it (and copy every page it sits on; the CPython recipe for fork without exec)
        self.frozen = method == "fork"
        if self.frozen:
            gc.freeze()
        self.work = work
        self.jobs = max(1, jobs)
        self.recycle_after = recycle_after
        self._spawned = 0
        self.workers: list[_Worker] = []
        self._waiter = _Waiter()

    def run(self, tasks: Iterable[Any], seconds_of: Callable[[Any], float | None] = lambda t: None) -> Iterator[Any]:
        it = iter(tasks)
        retry: deque = deque()
        held: list[Any] = []              # a task drawn that no worker could take yet
        exhausted = False
        waiter = self._waiter

        def draw():
            nonlocal exhausted
            if held:
                return held.pop()
            if retry:
                return retry.popleft()
            if exhausted:
                return _END
            task = next(it, _END)
            if task is _END:
                exhausted = True
            return task

        try:
            while True:
                # hand out work: idle workers first, then more to busy ones, within PREFETCH_BYTES
                while len(self.workers) < self.jobs and (held or retry or not exhausted):
                    self.workers.append(self._spawn())
                for depth in range(1, PREFETCH + 1):
                    for w in self.workers:
                        if w.retiring or w.broken or len(w.queue) >= depth:
                            continue
                        task = draw()
                        if task is _END:
                            break
                        if depth > 1 and sum(map(_bytes, islice(w.queue, 1, None))) + _bytes(task) > PREFETCH_BYTES:
                            held.append(task)
                            break
                        try:
                            w.conn.send(task)
                        except (OSError, EOFError):
                            retry.appendleft(task)
                            w.broken = True           # dealt with below
                            continue
                        if not w.queue:
                            w.started = time.monotonic()
                            waiter.add(w)
                        w.queue.append(task)
                for w in [w for w in self.workers if w.broken and not w.queue]:
                    self._replace(w, retry)
                busy = [w for w in self.workers if w.queue]
                if not busy:
                    if exhausted and not retry and not held:
                        return
                    continue
                now = time.monotonic()
                waits = [grace(s) - (now - w.started) for w in busy if (s := seconds_of(w.queue[0]))]
                timeout = max(0.0, min(waits)) if waits else None
                ready = waiter.wait(timeout)
                for w in busy:
                    now = time.monotonic()
                    limit = seconds_of(w.queue[0])
                    overdue = bool(limit) and now - w.started >= grace(limit)
                    # What a worker sent comes first, also from one that has died or overrun since
                    # the wait: the wait may have returned for another worker just before this
                    # one's last result arrived, and that task is done, not lost with the worker.
                    got = self._receive(w) if w in ready or overdue or not w.process.is_alive() else []
                    for result in got:
                        w.queue.popleft()
                        w.done += 1
                        w.started = now
                        yield result
                    if not w.queue:
                        waiter.remove(w)
                    if got:
                        if w.done >= self.recycle_after:  # see RECYCLE_AFTER
                            w.retiring = True
                        if w.retiring and not w.queue:
                            self._retire(w)
                        continue
                    if not w.queue:
                        continue
                    if not w.process.is_alive():
                        code = w.process.exitcode
                        how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
                        yield Killed(w.queue.popleft(), "died", f"the worker process died ({how})",
                                     now - w.started, w.name)
                        self._replace(w, retry)
                        continue
                    if overdue:
                        log.debug("killing %s: %s overran its time limit", w.name,
                                  getattr(w.queue[0], "input", w.queue[0]))
                        yield Killed(w.queue.popleft(), "timeout", f"took longer than {limit:g} s (worker killed)",
                                     now - w.started, w.name)
                        self._replace(w, retry)
        finally:
            self.close()

    def _receive(self, w: _Worker) -> list:
        """The results waiting in a worker's pipe, in order (a closed pipe: the worker is going)."""
        got = []
        try:
            while self._waiter.readable(w):
                got.append(w.conn.recv())
        except (EOFError, OSError):
            w.process.join(1)
        return got

    def _spawn(self) -> _Worker:
        self._spawned += 1
        return _Worker(self.ctx, self.work, self._spawned)

    def _retire(self, w: _Worker) -> None:
        self._waiter.remove(w)
        try:
            w.conn.send(None)
        except (OSError, EOFError):
            pass
        w.process.join(2)
        if w.process.is_alive():
            w.kill()
        self.workers.remove(w)

    def _replace(self, w: _Worker, retry: deque) -> None:
        retry.extendleft(reversed(w.queue))       # queued behind the lost task: not started, run elsewhere
        w.queue.clear()
        self._waiter.remove(w)                     # before its descriptors close
        w.kill()
        if w in self.workers:
            self.workers.remove(w)

    def close(self) -> None:
        for w in self.workers:
            self._waiter.remove(w)
            try:
                w.conn.send(None)
            except (OSError, EOFError):
                pass
        for w in self.workers:
            w.process.join(2)
            if w.process.is_alive():
                w.kill()
        self.workers = []
        if self.frozen:
            gc.unfreeze()               # collectable again in the caller
            self.frozen = False


_END = object()


class Dask:
    """The same tasks on dask.distributed: a LocalCluster of `jobs` single-threaded worker
    processes, or the scheduler at `address`. Workers must see the input files and OUTDIR (a
    shared file system); archive members travel inside the task."""
    name = "dask"
    reads_members = False             # archive members travel inside the task: workers need not see the archive

    def __init__(self, work: Work, jobs: int, address: str | None = None, processes: bool = True,
                 warm_up: Callable[[], None] | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError as err:  # pragma: no cover - depends on the install
            raise RuntimeError("--engine dask needs dask.distributed: pip install 'dask[distributed]'") from err
        self.work = work
        self.cluster = None
        if address:
            self.client = Client(address, timeout="30s")
        else:
            self.cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=processes,
                                        dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        self.processes = processes or bool(address)
        if warm_up is not None:
            self._warm(warm_up)

    def _warm(self, warm_up: Callable[[], None]) -> None:
        """Warm every worker, and every worker that joins or replaces one later (a plugin)."""
        try:
            from distributed.diagnostics.plugin import WorkerPlugin

            class WarmUp(WorkerPlugin):
                name = "fzparse-warm-up"

                def setup(self, worker):
                    warm_up()
            self.client.register_plugin(WarmUp())
        except Exception as err:  # older distributed: warm the workers there are
            log.debug("warm-up plugin not registered (%s); warming the current workers", err)
            self.client.run(warm_up)

    def run(self, tasks: Iterable[Any], seconds_of: Callable[[Any], float | None] = lambda t: None) -> Iterator[Any]:
        from distributed import wait as dwait
        client = self.client
        window = max(1, sum(client.nthreads().values()))
        it = iter(tasks)
        exhausted = False
        inflight: dict[Any, tuple[Any, float]] = {}
        n = 0
        while True:
            while not exhausted and len(inflight) < window:
                task = next(it, _END)
                if task is _END:
                    exhausted = True
                    break
                n += 1
                fut = client.submit(self.work, task, pure=False, key=f"fzparse-{n}-{os.getpid()}-{time.time_ns()}")
                inflight[fut] = (task, time.monotonic())
            if not inflight:
                return
            now = time.monotonic()
            waits = [grace(s) - (now - t0) for task, t0 in inflight.values() if (s := seconds_of(task))]
            timeout = max(0.05, min(waits)) if waits else 5.0
            try:
                done = dwait(list(inflight), timeout=timeout, return_when="FIRST_COMPLETED").done
            except TimeoutError:
                done = set()
            except Exception as err:  # distributed raises its own TimeoutError subclasses across versions
                if "timeout" not in type(err).__name__.lower() and "Timeout" not in str(type(err)):
                    raise
                done = set()
            for fut in done:
                task, t0 = inflight.pop(fut)
                try:
                    yield fut.result()
                except Exception as err:
                    yield Killed(task, "died", f"dask task failed: {type(err).__name__}: {err}",
                                 time.monotonic() - t0)
            now = time.monotonic()
            for fut, (task, t0) in list(inflight.items()):
                s = seconds_of(task)
                if s and now - t0 >= grace(s) and not fut.done():
                    inflight.pop(fut)
                    worker = self._worker_of(fut.key)
                    fut.cancel()
                    if worker and self.processes:
                        try:
                            client.restart_workers([worker], timeout=60)
                        except Exception as err:  # the task is reported either way
                            log.debug("could not restart %s: %s", worker, err)
                    yield Killed(task, "timeout", f"took longer than {s:g} s (dask worker restarted)",
                                 now - t0, worker or "")

    def _worker_of(self, key) -> str | None:
        try:
            for worker, keys in self.client.processing().items():
                if key in keys:
                    return worker
        except Exception:
            return None
        return None

    def close(self) -> None:
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()
