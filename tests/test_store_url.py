"""The results store's URL: from the option, the environment or the output folder; never a visible
flow parameter; and a SQLite file is refused for workers on other machines."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flows.store import default_store_url
from flows.store.url import STORE_URL_VARIABLE, is_sqlite, redacted, store_url_for


def test_option_then_environment_then_the_output_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(STORE_URL_VARIABLE, raising=False)
    assert store_url_for(tmp_path) == default_store_url(tmp_path)
    monkeypatch.setenv(STORE_URL_VARIABLE, "postgresql+psycopg://ocr:s3cret@db/results")
    assert store_url_for(tmp_path) == "postgresql+psycopg://ocr:s3cret@db/results"
    assert store_url_for(tmp_path, "sqlite:///x.sqlite") == "sqlite:///x.sqlite"


def test_passwords_are_masked_and_sqlite_is_told_apart():
    assert redacted("postgresql+psycopg://ocr:s3cret@db/results") == "postgresql+psycopg://ocr:***@db/results"
    assert is_sqlite("sqlite:////data/out/results.sqlite") and not is_sqlite("postgresql+psycopg://ocr@db/results")


def test_a_remote_dask_cluster_with_a_sqlite_store_is_refused_before_anything_starts(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != STORE_URL_VARIABLE}
    command = [sys.executable, "-m", "flows.cli.app", "batch", str(tmp_path), "--out", str(tmp_path / "out"),
               "--runner", "dask", "--dask-address", "tcp://127.0.0.1:1"]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, env=dict(env, COLUMNS="300"), timeout=120)
    assert completed.returncode == 2
    message = " ".join(completed.stderr.split())
    assert "SQLite is a file on this machine" in message and "postgresql+psycopg" in message
    assert not (Path(tmp_path) / "out").exists()  # refused before any output was made
