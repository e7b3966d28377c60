"""`serve` as a user runs it (real CLI subprocesses): without a Prefect server it refuses with a message
that says what to do; with one, its deployment runs the batch."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from flows.store import default_store_url, open_store


def serve(tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    environment.update(PREFECT_HOME=str(tmp_path / "prefect-home"), COLUMNS="300", **env)
    command = [sys.executable, "-m", "flows.cli", "serve", "--archive", str(tmp_path), "--cron", "0 2 * * *", "--out", str(tmp_path / "out")]
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=300)


def test_serve_without_prefect_api_url_says_how_to_start_a_server(tmp_path):
    completed = serve(tmp_path)
    assert completed.returncode == 69  # infrastructure unavailable, not bad usage
    message = " ".join(completed.stderr.split())
    assert "PREFECT_API_URL is not set" in message and "prefect server start" in message


def test_serve_with_an_unreachable_server_says_so(tmp_path):
    completed = serve(tmp_path, PREFECT_API_URL="http://127.0.0.1:9/api")
    assert completed.returncode == 69  # infrastructure unavailable, not bad usage
    message = " ".join(completed.stderr.split())
    assert "No Prefect server answers at PREFECT_API_URL=http://127.0.0.1:9/api" in message
    assert "prefect server start" in message


@pytest.mark.parametrize("cron", ["0 2 * *", "every night"])
def test_serve_rejects_a_bad_cron_expression_before_anything_else(tmp_path, cron):
    completed = subprocess.run(
        [sys.executable, "-m", "flows.cli", "serve", "--archive", str(tmp_path), "--cron", cron],
        capture_output=True, text=True, env=dict(os.environ, COLUMNS="300"), timeout=300,
    )  # fmt: skip
    assert completed.returncode == 2 and "not a valid cron schedule" in completed.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
def test_serve_against_a_real_prefect_server_runs_the_batch(tmp_path):
    """`prefect server start`, then `serve`; a run of its deployment processes the archive into the store."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false", COLUMNS="250")
    prefect = [sys.executable, "-m", "prefect"]
    archive, out = tmp_path / "archive", tmp_path / "out"
    archive.mkdir()
    (archive / "empty.pdf").write_bytes(b"")
    started: list[subprocess.Popen] = []
    try:
        server = subprocess.Popen([*prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
        started.append(server)
        env["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"
        wait_for(lambda: healthy(env["PREFECT_API_URL"]), 180, "the Prefect server")
        served = subprocess.Popen([sys.executable, "-m", "flows.cli", "serve", "--archive", str(archive), "--cron", "0 2 * * *",
                                   "--out", str(out), "--name", "nightly"], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
        started.append(served)
        trigger = [*prefect, "deployment", "run", "process-archive/nightly"]
        wait_for(lambda: subprocess.run(trigger, env=env, capture_output=True).returncode == 0, 180, "the deployment")
        wait_for(lambda: recorded(out), 300, "the scheduled batch to record its run")
        (run,) = open_store(default_store_url(out)).current_runs()
        assert (run["error_kind"], run["trigger"]) == ("bad_input", "batch")
        assert served.poll() is None  # still serving, waiting for 02:00
    finally:
        for process in reversed(started):
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def healthy(api_url: str) -> bool:
    try:
        return httpx.get(f"{api_url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def recorded(out) -> bool:
    return (out / "results.sqlite").is_file() and bool(open_store(default_store_url(out)).current_runs())
