"""Real services started as operators start them: `prefect server start`, `prefect worker start`, a
PostgreSQL schema of one's own, and distinct copies of a document to feed them.

Shared by the scale-out tests (``tests/test_work_pool.py``, ``tests/test_serve.py``) and the
scale-out benchmark (``samples.bench.scale_out``), so both exercise the same setup.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

PREFECT = [sys.executable, "-m", "prefect"]
FINISHED_STATES = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate: Callable[[], object], timeout_s: float, what: str, poll_s: float = 1.0):
    """``predicate``'s first true value, polled every ``poll_s``; AssertionError naming ``what`` on timeout."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(poll_s)
    raise AssertionError(f"timed out waiting for {what}")


def healthy(api_url: str) -> bool:
    import httpx

    try:
        return httpx.get(f"{api_url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def flow_runs(api_url: str) -> list[dict]:
    """The server's flow runs; none while a busy server is slow to answer (the caller polls again)."""
    import httpx

    try:
        return httpx.post(f"{api_url}/flow_runs/filter", json={}, timeout=30).json()
    except httpx.TimeoutException:
        return []


def clean_environment(prefect_home: Path, **extra: str) -> dict[str, str]:
    """This process's environment without a Prefect API or results store of its own, Prefect's state in ``prefect_home``."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "DISCLOSURE_OCR_STORE_URL")}
    env.update(PREFECT_HOME=str(prefect_home), PREFECT_SERVER_ANALYTICS_ENABLED="false", COLUMNS="250", **extra)
    return env


class Processes:
    """Long-running commands (server, workers), each in a session of its own, all stopped on exit."""

    def __init__(self, logs: Path) -> None:
        self.logs, self.started = logs, []

    def start(self, command: list[str], log: str, env: dict[str, str]) -> subprocess.Popen:
        self.logs.mkdir(parents=True, exist_ok=True)
        with (self.logs / log).open("wb") as sink:
            process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
        self.started.append(process)
        return process

    def log_tail(self, log: str, chars: int = 2000) -> str:
        return (self.logs / log).read_text(errors="replace")[-chars:]

    def __enter__(self) -> "Processes":
        return self

    def __exit__(self, *exc_info) -> None:
        for process in reversed(self.started):
            os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(self.started):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        time.sleep(1)


def start_prefect_server(processes: Processes, env: dict[str, str], timeout_s: float = 180) -> str:
    """`prefect server start` on a free port; returns its API URL, also set as PREFECT_API_URL in ``env``."""
    port = free_port()
    processes.start([*PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)], "server.log", env)
    api_url = env["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"
    try:
        wait_for(lambda: healthy(api_url), timeout_s, "the Prefect server")
    except AssertionError:
        raise AssertionError("the Prefect server did not start:\n" + processes.log_tail("server.log")) from None
    return api_url


def start_workers(processes: Processes, pool: str, count: int, env: dict[str, str], store_url: str, **extra: str) -> None:
    """``count`` `prefect worker start` processes on ``pool``, one flow run at a time each, recording into ``store_url``."""
    for n in range(1, count + 1):
        processes.start([*PREFECT, "worker", "start", "--pool", pool, "--limit", "1"], f"worker-{pool}-{n}.log",
                        {**env, "DISCLOSURE_OCR_STORE_URL": store_url, **extra})  # fmt: skip


@contextmanager
def postgresql_schema(base_url: str) -> Iterator[str]:
    """``base_url`` with a schema of its own as search path, created now and dropped afterwards."""
    from sqlalchemy import create_engine, make_url, text

    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def distinct_copy(source: Path, target: Path, tag: str) -> Path:
    """The same pages under a different sha256 (its metadata differs), i.e. another document."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.add_metadata({"/Title": tag})
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        writer.write(handle)
    return target
