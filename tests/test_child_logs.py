"""The OCR worker's log lines reach the batch's flow run log (what the Prefect UI shows), not only a terminal."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.conftest import distinct_copy

pytestmark = pytest.mark.slow
BORN_DIGITAL = Path(__file__).resolve().parents[1] / "samples" / "corpus" / "smoke" / "doc02.born-digital.pdf"


def test_the_worker_childs_lines_are_in_the_batchs_flow_run_log(prefect_harness, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogHandler

    from flows.orchestration.archive_flow import process_archive

    archive, out = tmp_path / "archive", tmp_path / "out"
    source = distinct_copy(BORN_DIGITAL, archive / "budget.pdf", tag="child-logs")
    prefect_logger = logging.getLogger("prefect")
    level = prefect_logger.level
    prefect_logger.setLevel(logging.INFO)  # what `batch` and `serve` set (PREFECT_LOGGING_LEVEL=INFO)
    try:
        state = process_archive(str(archive), str(out), workers=1, store_url=f"sqlite:///{out / 'results.sqlite'}",
                                return_state=True)  # fmt: skip
        APILogHandler().flush()  # the logs queued for the API sent now
    finally:
        prefect_logger.setLevel(level)
    assert state.is_completed()
    with get_client(sync_client=True) as client:
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[state.state_details.flow_run_id])))
    from_child = [entry for entry in logs if entry.message.startswith(f"{source}: ")]
    assert len(from_child) == 1, [entry.message for entry in logs]
    assert " pages, " in from_child[0].message and from_child[0].level == logging.INFO
    assert from_child[0].task_run_id is not None  # logged as the document's task, where the UI shows it
