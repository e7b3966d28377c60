"""Run one document in its own process, so a hang can be killed and a crash hurts nobody else.

The child rasterizes, OCRs and writes the outputs itself; only small
messages (page progress, the result file's path) come back over a pipe, so
page images never cross a process or Prefect boundary.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Callable

# 'spawn': a clean interpreter per document, no forked ONNX Runtime or Prefect threads.
_CONTEXT = multiprocessing.get_context("spawn")
_POLL_S = 0.2


@dataclass(frozen=True)
class Outcome:
    """How the child ended: ``done`` (with the run's result file), ``timeout`` or ``crashed``."""

    kind: str
    result_path: str | None = None
    message: str | None = None


def exit_with_parent(parent_pid: int) -> None:
    """Die when the supervising process dies (e.g. a batch killed with SIGKILL): no orphan OCR runs on."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(_POLL_S * 5)
        os._exit(70)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def document_child(conn: Connection, source: str, out_dir: str, settings: dict, run_id: str) -> None:
    """Child entry point: the pipeline over one file, outputs written, result path sent back."""
    exit_with_parent(multiprocessing.parent_process().pid)
    try:
        from pathlib import Path

        from .outputs import write_outputs, write_run_copy
        from .pipeline import process_file
        from .settings import Settings

        result = process_file(
            Path(source), Settings(**settings), on_page=lambda done, total: conn.send(("page", done, total))
        )
        write_outputs(result, Path(out_dir))
        conn.send(("done", str(write_run_copy(result, Path(out_dir), run_id))))
    except BaseException as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"))
        raise


def run_supervised(
    target: Callable[..., None],
    args: tuple[Any, ...],
    timeout_s: float,
    on_page: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Run ``target(conn, *args)`` in a fresh process; kill it at ``timeout_s``."""
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=target, args=(sender, *args), daemon=True)
    process.start()
    sender.close()
    deadline = time.monotonic() + timeout_s
    result_path = error = None
    try:
        while True:
            if receiver.poll(_POLL_S):
                try:
                    message = receiver.recv()
                except EOFError:  # child gone; its exit code tells how
                    process.join()
                    break
                if message[0] == "page" and on_page:
                    on_page(message[1], message[2])
                elif message[0] == "done":
                    result_path = message[1]
                elif message[0] == "error":
                    error = message[1]
            elif not process.is_alive():
                process.join()
                break
            if time.monotonic() > deadline and process.is_alive():
                process.kill()
                process.join()
                return Outcome("timeout", message=f"no result after {timeout_s:g} s; the worker was killed")
    finally:
        receiver.close()
    if result_path and process.exitcode == 0:
        return Outcome("done", result_path=result_path)
    return Outcome("crashed", message=error or f"worker exited with code {process.exitcode} and no result")
