"""``process_exit.leave``: a finished command's process ends with its exit handlers run and its output
flushed, whether or not the interpreter's teardown is skipped."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent("""
    import atexit, sys, threading, time
    from pathlib import Path
    from flows.cli.process_exit import leave

    mode, marker = sys.argv[1], Path(sys.argv[2])
    atexit.register(marker.write_text, "handlers ran")
    sys.stdout.write("buffered summary")  # a pipe: block-buffered, still unwritten when leave() is called
    if mode == "thread":  # a non-daemon thread still working: the normal exit waits for it
        threading.Thread(target=lambda: (time.sleep(0.5), marker.with_suffix(".thread").write_text("done"))).start()
    leave({"code": 3, "none": None, "message": "gone wrong", "thread": 4}[mode])
""")


def run_script(tmp_path, mode: str) -> tuple[subprocess.CompletedProcess, object]:
    marker = tmp_path / f"{mode}.txt"
    completed = subprocess.run([sys.executable, "-c", SCRIPT, mode, str(marker)], capture_output=True, text=True, timeout=60)
    return completed, marker


@pytest.mark.parametrize("mode, code", [("code", 3), ("none", 0), ("thread", 4)])
def test_exit_code_output_and_handlers_survive(tmp_path, mode, code):
    completed, marker = run_script(tmp_path, mode)
    assert completed.returncode == code, completed.stderr
    assert completed.stdout == "buffered summary"
    assert marker.read_text() == "handlers ran"
    if mode == "thread":
        assert marker.with_suffix(".thread").read_text() == "done"  # the thread was not cut short


def test_a_message_exits_as_python_does(tmp_path):
    completed, marker = run_script(tmp_path, "message")
    assert completed.returncode == 1 and completed.stderr.strip().endswith("gone wrong")
    assert completed.stdout == "buffered summary" and marker.read_text() == "handlers ran"
