"""What every measurement returns, how it is timed and how it is shown against its limit."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

Metric = dict[str, object]


def timed(action: Callable[[], object], repeat: int = 3) -> float:
    """Median wall time of ``repeat`` runs, in seconds."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def within_limit(metric: Metric) -> bool:
    """Most limits are maxima; a metric marked ``at_least`` must reach its limit instead."""
    if metric.get("at_least"):
        return metric["value"] >= metric["limit"]
    return metric["value"] <= metric["limit"]


def print_table(metrics: dict[str, Metric]) -> None:
    print(f"{'metric':<32} {'value':>10} {'unit':<7} {'limit':>6}  ok")
    for name, metric in metrics.items():
        limit = metric["limit"]
        ok = "" if limit is None else ("yes" if within_limit(metric) else "NO")
        shown = "" if limit is None else f"{'≥ ' if metric.get('at_least') else ''}{limit}"
        note = f"  ({metric['measured']})" if metric.get("measured") else ""
        print(f"{name:<32} {metric['value']:>10} {metric['unit']:<7} {shown:>6}  {ok}{note}")
