"""What a benchmark reading cost the machine beside its wall time: CPU used, and time the VM lost.

A wall-clock figure on a shared virtual machine carries the host's load: in
``/proc/stat`` the *steal* column counts the time a virtual CPU was ready to run
and the hypervisor ran something else. One one-page ``run`` measured 2.2-3.1 s
wall with the same 2.3 CPU-s while the two virtual CPUs lost 2.3 s of 7.5 s to
steal. Each reading therefore also reports its CPU seconds (what the code
costs) and the steal over it (how much of the wall was the host's), so readings
taken on a busy host can be told apart from slow code.
"""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path

PROC_STAT = Path("/proc/stat")
# /proc/stat's aggregate "cpu" line: user nice system idle iowait irq softirq steal ...
BUSY_FIELDS, STEAL_FIELD = (0, 1, 2, 5, 6), 7


def machine_cpu_s() -> tuple[float, float]:
    """(busy, steal) CPU seconds of every CPU since boot, from ``/proc/stat``; (0, 0) where it is missing."""
    try:
        first = PROC_STAT.read_text().splitlines()[0].split()
    except OSError:
        return 0.0, 0.0
    ticks, hertz = [int(value) for value in first[1:]], os.sysconf("SC_CLK_TCK")
    return sum(ticks[i] for i in BUSY_FIELDS) / hertz, (ticks[STEAL_FIELD] if len(ticks) > STEAL_FIELD else 0) / hertz


def children_cpu_s() -> float:
    """User and system CPU seconds of this process's waited-for children (and theirs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Clock:
    """Wall, machine-wide busy and stolen CPU seconds, and the children's CPU seconds, from start to stop."""

    wall_s: float = 0.0
    machine_busy_s: float = 0.0
    steal_s: float = 0.0
    children_cpu_s: float = 0.0

    def __enter__(self) -> "Clock":
        self._wall, (self._busy, self._steal), self._children = time.perf_counter(), machine_cpu_s(), children_cpu_s()
        return self

    def __exit__(self, *exc) -> None:
        busy, steal = machine_cpu_s()
        self.wall_s = time.perf_counter() - self._wall
        self.machine_busy_s, self.steal_s = busy - self._busy, steal - self._steal
        self.children_cpu_s = children_cpu_s() - self._children


def steal_share(clocks: list[Clock]) -> float:
    """The stolen share of the machine's CPU time over the readings together (0 to 1)."""
    available = sum(clock.wall_s for clock in clocks) * (os.cpu_count() or 1)
    return sum(clock.steal_s for clock in clocks) / available if available > 0 else 0.0
