"""The benchmark's clock: a child's CPU seconds and the machine's time, read from the kernel."""

from __future__ import annotations

import subprocess
import sys

from samples.bench.machine_clock import Clock, machine_cpu_s, steal_share

BURN = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass"


def test_a_busy_child_is_counted_and_a_sleeping_one_is_not():
    with Clock() as busy:
        subprocess.run([sys.executable, "-c", BURN], check=True)
    with Clock() as sleeping:
        subprocess.run([sys.executable, "-c", "import time; time.sleep(0.4)"], check=True)
    assert busy.children_cpu_s >= 0.4 and busy.wall_s >= 0.4
    assert sleeping.children_cpu_s < 0.3 <= sleeping.wall_s
    assert busy.machine_busy_s >= 0.3  # the kernel's count of busy time over every CPU saw the child's
    assert 0.0 <= steal_share([busy, sleeping]) <= 1.0 and busy.steal_s >= 0.0


def test_machine_counters_only_grow():
    first, then = machine_cpu_s(), machine_cpu_s()
    assert then[0] >= first[0] > 0 and then[1] >= first[1] >= 0
