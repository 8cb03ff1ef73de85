"""Latency under concurrent load: gunicorn with 2 workers on loopback, a bounded generator.

The generator is a pool of threads, each sending one request after another for a fixed time
(a closed loop: at most ``concurrency`` requests in flight, so the server is never flooded
beyond what it can answer). It reports the median and the 95th percentile of the latencies.
The same run measures the page and a bare view that runs one query (the baseline), so their
ratio does not depend on how fast this machine is.
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Latency:
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


Address = tuple[str, int]


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2) -> Iterator[Address]:
    """Serve the project (with the bench URLs) on a free loopback port; yield its address."""
    port = free_port()
    address = ("127.0.0.1", port)
    server = subprocess.Popen(  # noqa: S603 -- our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cmetrack.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _ = get(address, "/bench/baseline/", {})
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer /bench/baseline/ within 30 s")
        yield address
    finally:
        server.terminate()
        server.wait(timeout=10)


def get(address: Address, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """One GET on a new connection (as a browser's first request; no keep-alive)."""
    host, port = address
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": host, **headers})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def load(
    address: Address, path: str, headers: dict[str, str], *, seconds: float, concurrency: int = 4
) -> Latency:
    """Send ``path`` for ``seconds`` from ``concurrency`` clients; the latencies of the answers."""
    stop = time.monotonic() + seconds

    def client() -> tuple[list[float], int]:
        samples, errors = [], 0
        while time.monotonic() < stop:
            started = time.perf_counter()
            status, _ = get(address, path, headers)
            samples.append(time.perf_counter() - started)
            errors += status != 200
        return samples, errors

    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda _: client(), range(concurrency)))
    samples = sorted(sample for samples, _ in results for sample in samples)
    if not samples:
        raise RuntimeError(f"no answer from {path}")
    return Latency(
        requests=len(samples),
        errors=sum(errors for _, errors in results),
        p50_ms=round(statistics.median(samples) * 1000, 2),
        p95_ms=round(samples[min(len(samples) - 1, int(len(samples) * 0.95))] * 1000, 2),
    )
