"""`run` and `reprocess` are Prefect flow runs only when a Prefect API is configured or --track is
given; otherwise they run the same steps without starting Prefect's ephemeral API (about 15 s a call)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from flows.core.identify import doc_id_for, sha256_of
from flows.orchestration.tracking import tracked

ROOT = Path(__file__).resolve().parents[1]
BORN_DIGITAL = ROOT / "samples" / "corpus" / "smoke" / "doc02.born-digital.pdf"


@pytest.fixture
def no_prefect_config(tmp_path, monkeypatch):
    for name in ("PREFECT_API_URL", "PREFECT_PROFILES_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    return tmp_path / "prefect-home"


def test_untracked_unless_an_api_is_configured_or_asked_for(no_prefect_config, monkeypatch):
    assert tracked(None) is False and tracked(True) is True
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert tracked(None) is True and tracked(False) is False


def test_an_api_url_in_the_active_prefect_profile_counts(no_prefect_config):
    no_prefect_config.mkdir()
    (no_prefect_config / "profiles.toml").write_text(
        'active = "team"\n[profiles.team]\nPREFECT_API_URL = "http://10.0.0.5:4200/api"\n', encoding="utf-8"
    )
    assert tracked(None) is True


def flow_runs(prefect_home: Path) -> list[tuple[str, str]]:
    """(flow name, state) of every flow run in the ephemeral API's database, if it was ever started."""
    database = prefect_home / "prefect.db"
    if not database.exists():
        return []
    with sqlite3.connect(database) as connection:
        query = "SELECT flow.name, flow_run.state_type FROM flow_run JOIN flow ON flow.id = flow_run.flow_id"
        return sorted(connection.execute(query).fetchall())


def cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home), COLUMNS="250")
    return subprocess.run([sys.executable, "-m", "flows.cli.app", *args], capture_output=True, text=True, env=env, timeout=600)


@pytest.mark.slow
def test_run_and_reprocess_start_prefect_only_when_tracked(tmp_path):
    home, out = tmp_path / "prefect-home", tmp_path / "out"
    plain = cli(home, "run", str(BORN_DIGITAL), "--out", str(out))
    assert plain.returncode == 0, plain.stderr[-2000:]
    doc_id = doc_id_for(sha256_of(BORN_DIGITAL))
    assert (out / doc_id / "result.json").is_file()
    assert flow_runs(home) == []  # Prefect never started

    followed = cli(home, "run", str(BORN_DIGITAL), "--out", str(out), "--track")
    assert followed.returncode == 0, followed.stderr[-2000:]
    assert flow_runs(home) == [("process-document", "COMPLETED")]

    batch = cli(home, "batch", str(BORN_DIGITAL), "--out", str(out), "--workers", "1")
    assert batch.returncode == 0, batch.stderr[-2000:]
    before = flow_runs(home)
    redo = cli(home, "reprocess", doc_id, "--out", str(out))
    assert redo.returncode == 0, redo.stderr[-2000:]
    assert flow_runs(home) == before  # untracked: the reprocess was recorded in the store, not in Prefect
    redo_tracked = cli(home, "reprocess", doc_id, "--out", str(out), "--track")
    assert redo_tracked.returncode == 0, redo_tracked.stderr[-2000:]
    assert ("reprocess-document", "COMPLETED") in flow_runs(home)
