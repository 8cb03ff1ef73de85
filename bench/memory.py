"""Peak memory per phase of the bench, and a heartbeat so that a long phase is never silent.

The peak is the process's peak resident set (``VmHWM`` in ``/proc/self/status``), reset at the
start of each phase by writing ``5`` to ``/proc/self/clear_refs`` (Linux): what the phase
really held in RAM, C allocations included (psycopg2's result buffers, WeasyPrint's
libraries), at no cost to the timings. Not ``tracemalloc``: it sees only Python's own
allocations and slows every allocation down, which would distort the very times measured.
Not ``resource.getrusage``: its ``ru_maxrss`` cannot be reset, so after the first big phase
every later phase would report the same figure. Where the reset is not possible (another OS)
the figure is the peak so far, and says so.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")
HEARTBEAT_SECONDS = 15.0


def _status_kb(field: str) -> int | None:
    try:
        lines = STATUS.read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return None


def resident_mb() -> float:
    return round((_status_kb("VmRSS") or 0) / 1024, 1)


def reset_peak() -> bool:
    """Start a new peak from the memory held now; False where the OS does not allow it."""
    try:
        CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def peak_mb() -> float:
    """The peak resident memory since the last :func:`reset_peak` (or the process's start)."""
    peak = _status_kb("VmHWM")
    if peak is None:  # no /proc: the peak of the whole process, in kB on Linux and BSD
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / 1024, 1)


@contextmanager
def heartbeat(name: str, every: float = HEARTBEAT_SECONDS) -> Iterator[None]:
    """Print ``name``, the seconds spent and the memory held every ``every`` seconds until the
    block ends."""
    done = threading.Event()
    started = time.perf_counter()

    def beat() -> None:
        while not done.wait(every):
            print(
                f"   … {name}: {time.perf_counter() - started:.0f} s, {resident_mb()} MB resident",
                flush=True,
            )

    thread = threading.Thread(target=beat, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
