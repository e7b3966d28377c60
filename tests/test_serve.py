"""`serve` as a user runs it (real CLI subprocesses): without a Prefect server it refuses with a message
that says what to do; with one, its deployment runs the batch."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from flows.store import default_store_url, open_store
from samples.bench.services import Processes, clean_environment, flow_runs, start_prefect_server, wait_for


def serve(tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    environment.update(PREFECT_HOME=str(tmp_path / "prefect-home"), COLUMNS="300", **env)
    command = [sys.executable, "-m", "flows.cli.app", "serve", "--archive", str(tmp_path), "--cron", "0 2 * * *", "--out", str(tmp_path / "out")]
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
        [sys.executable, "-m", "flows.cli.app", "serve", "--archive", str(tmp_path), "--cron", cron],
        capture_output=True, text=True, env=dict(os.environ, COLUMNS="300"), timeout=300,
    )  # fmt: skip
    assert completed.returncode == 2 and "not a valid cron schedule" in completed.stderr


@pytest.mark.slow
def test_the_schedule_alone_fires_the_batch_on_a_real_prefect_server(tmp_path):
    """`prefect server start`, then `serve --cron "* * * * *"`: with no manual trigger, the server's
    scheduler creates a run within the next minute and the batch records its result in the store.

    This is the path a nightly schedule takes; `prefect deployment run` would bypass the scheduler
    (it passed while SQLAlchemy 2.1 broke every scheduled insert)."""
    # The server's scheduler service looks for due schedules every 60 s by default; a shorter
    # loop only makes the test quicker, the insert it exercises is the same.
    env = clean_environment(tmp_path / "prefect-home", PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="5")
    archive, out = tmp_path / "archive", tmp_path / "out"
    archive.mkdir()
    (archive / "empty.pdf").write_bytes(b"")
    with Processes(tmp_path) as processes:
        api_url = start_prefect_server(processes, env)
        served = processes.start([sys.executable, "-m", "flows.cli.app", "serve", "--archive", str(archive), "--cron", "* * * * *",
                                  "--out", str(out), "--name", "every-minute"], "serve.log", env)  # fmt: skip
        try:
            wait_for(lambda: recorded(out), 240, "a run created by the schedule to record its batch")
        except AssertionError:
            raise AssertionError("no scheduled run recorded; server log tail:\n" + processes.log_tail("server.log", 3000)) from None
        (run,) = open_store(default_store_url(out)).current_runs()
        assert (run["error_kind"], run["trigger"]) == ("bad_input", "batch")
        runs = flow_runs(api_url)
        assert runs and all(flow_run["auto_scheduled"] for flow_run in runs)  # the scheduler made them, nobody else
        assert served.poll() is None  # still serving, waiting for the next minute


def recorded(out) -> bool:
    return (out / "results.sqlite").is_file() and bool(open_store(default_store_url(out)).current_runs())


def test_scheduled_and_deployed_batches_read_with_the_settings_given(tmp_path):
    """serve and deploy take batch's reading options; Prefect rebuilds them into the flow's Settings."""
    import json

    from flows.orchestration.archive_flow import process_archive
    from flows.cli.ops import archive_parameters
    from flows.core.settings import Settings

    given = Settings(dpi=300, force_ocr=True, rasterizer="pdf2image")
    stored = json.loads(json.dumps(archive_parameters(str(tmp_path), tmp_path / "out", 2, 60.0, given)))
    assert process_archive.validate_parameters(stored)["settings"] == given
    for command in ("serve", "deploy"):
        where = ["--cron", "0 2 * * *"] if command == "serve" else ["--pool", "p"]
        refused = subprocess.run([sys.executable, "-m", "flows.cli.app", command, "--archive", str(tmp_path), *where,
                                  "--rasterizer", "nope"], capture_output=True, text=True, env=dict(os.environ, COLUMNS="300"),
                                 timeout=300)  # fmt: skip
        assert refused.returncode == 2 and "--rasterizer" in refused.stderr, refused.stderr[-1000:]
