"""`serve` without a Prefect server: a real CLI subprocess must refuse with a message that says what to do."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def serve(tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    environment.update(PREFECT_HOME=str(tmp_path / "prefect-home"), COLUMNS="300", **env)
    command = [sys.executable, "-m", "flows.cli", "serve", "--archive", str(tmp_path), "--cron", "0 2 * * *", "--out", str(tmp_path / "out")]
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=300)


def test_serve_without_prefect_api_url_says_how_to_start_a_server(tmp_path):
    completed = serve(tmp_path)
    assert completed.returncode == 2
    message = " ".join(completed.stderr.split())
    assert "PREFECT_API_URL is not set" in message and "prefect server start" in message


def test_serve_with_an_unreachable_server_says_so(tmp_path):
    completed = serve(tmp_path, PREFECT_API_URL="http://127.0.0.1:9/api")
    assert completed.returncode == 2
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
