"""A document worker's log lines, shown where its supervising task logs: the Prefect UI.

Each document is read in a child process (see ``worker``) that has no Prefect run
context, so its records would only reach a terminal nobody watches. In the child,
``forward_logs`` sends the project's records (INFO and up; other libraries' from
WARNING) over the worker's pipe as ``LogLine`` messages;
``relay`` re-emits each in the supervising thread, through Prefect's run logger when
it runs in a flow or task run (the run's log in the UI), else through the standard
logger of the same name.
"""

from __future__ import annotations

import logging
import sys
from typing import Callable

from flows.workers.worker_messages import LogLine

PROJECT_LOGGERS = ("flows", "ocr", "table_reconstruct")

log = logging.getLogger(__name__)


class PipeHandler(logging.Handler):
    """Sends each record to the supervisor as one message."""

    def __init__(self, send: Callable[[LogLine], None]) -> None:
        super().__init__(logging.INFO)
        self.send = send
        self.setFormatter(logging.Formatter("%(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.send(LogLine(record.levelno, record.name, self.format(record)))
        except Exception:  # a closed pipe must not break the document
            self.handleError(record)


def forward_logs(send: Callable[[LogLine], None]) -> None:
    """Child side: this process's records to the supervisor, the project's from INFO."""
    logging.getLogger().addHandler(PipeHandler(send))
    for name in PROJECT_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)


def log_document(result, seconds: float) -> None:
    """Child side: one line per document read, for the run's log."""
    info = result.document
    log.info("%s: %s, %d pages, %d tables in %.1f s", info.source, info.status.value, len(info.page_notes),
             len(result.tables), seconds)  # fmt: skip


def relay(line: LogLine) -> None:
    """Supervisor side: a child's record, logged here as the child logged it."""
    (_run_logger() or logging.getLogger(line.logger)).log(line.level, "%s", line.text)


def _run_logger() -> logging.Logger | logging.LoggerAdapter | None:
    """Prefect's logger of the current flow or task run; None outside one (Prefect is not imported for it)."""
    if "prefect" not in sys.modules:
        return None
    from prefect.exceptions import MissingContextError
    from prefect.logging import get_run_logger

    try:
        return get_run_logger()
    except MissingContextError:
        return None
