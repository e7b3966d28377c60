"""Documents run in a long-lived child process, so a hang can be killed and a crash hurts nobody else.

The child loads the OCR models once and then reads document after document
(starting a process and loading models costs more than reading a born-digital
document). It rasterizes, OCRs and writes the outputs itself; only small
messages (accepted, page progress, the result file's path) come back over a
pipe, so page images never cross a process or Prefect boundary.

A child that times out is killed, one that crashes is gone, and either way the
next document gets a fresh one. A child that has read ``MAX_DOCUMENTS`` is
retired (whatever a native library leaks goes with it), and an idle child
exits by itself after ``IDLE_EXIT_S``, so none outlives a batch for long on
machines where nobody stops it (a remote Dask worker).

The child starts without the supervisor's ``NOT_INHERITED`` variables: a Dask worker
runs with ``MALLOC_TRIM_THRESHOLD_=65536`` (distributed's ``nanny.pre-spawn-environ``),
and in an OCR child that makes glibc trim on every free and stop adapting its mmap
threshold, so each page-sized buffer is mapped and faulted in afresh: a 3-page
scanned document took 8.5 s instead of 6.5 s. The child trims its heap itself
(``heap.trim_if_grown``).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
import traceback
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Callable

from flows.workers.child_logs import forward_logs, log_document, relay
from flows.core.settings import Settings
from flows.workers.worker_messages import Accepted, LogLine, PageRead, ReadFailed, ReadRequest, ResultWritten, Stop

# 'spawn': a clean interpreter, no forked ONNX Runtime or Prefect threads.
_CONTEXT = multiprocessing.get_context("spawn")
_POLL_S = 0.2
MAX_DOCUMENTS = int(os.environ.get("DISCLOSURE_OCR_MAX_DOCS_PER_WORKER", "500"))  # 0: never retire
IDLE_EXIT_S = float(os.environ.get("DISCLOSURE_OCR_WORKER_IDLE_S", "300"))
NOT_INHERITED = ("MALLOC_TRIM_THRESHOLD_",)
_environ_lock = threading.Lock()

OnPage = Callable[[int, int], None]


@dataclass(frozen=True)
class Outcome:
    """How a document ended: ``done`` (with the run's result file), ``timeout`` or ``crashed``."""

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


def limit_native_threads(threads: int | None) -> None:
    """OpenCV's pool to the worker's share of the cores, as ONNX Runtime's is (idle threads only add CPU)."""
    if threads:
        import cv2

        cv2.setNumThreads(threads)


def serve_documents(conn: Connection, idle_exit_s: float) -> None:
    """Child entry point: documents one after another until told to stop, or idle for ``idle_exit_s``.

    A child told to stop, or idle, ends without the interpreter's teardown (about 0.3 s freeing ONNX
    Runtime's sessions, OpenCV and the pipeline), which the supervisor would wait for at the end of every
    ``reprocess`` and batch; it holds nothing that needs closing (the supervisor records the runs).
    """
    exit_with_parent(multiprocessing.parent_process().pid)
    forward_logs(conn.send)
    from flows.cli.process_exit import end_process
    from flows.core.document_runner import import_reader, read_document
    from flows.core.engine_cache import start_loading_engine
    from flows.core.heap import trim_if_grown

    import_reader()  # a child started early (reprocess) imports while its supervisor opens the store
    first = True
    while conn.poll(idle_exit_s):
        request = conn.recv()
        if not isinstance(request, ReadRequest):
            break
        conn.send(Accepted())
        try:
            limit_native_threads(request.settings.threads)
            if first:  # the recognizer's session builds while the first page is opened and its grid found
                start_loading_engine(Path(request.source), request.settings)
                first = False
            started = time.perf_counter()
            result, path = read_document(request.source, request.out_dir, request.settings, request.run_id,
                                         on_page=lambda done, total: conn.send(PageRead(done, total)))
            log_document(result, time.perf_counter() - started)
            conn.send(ResultWritten(str(path) if path else None))
            del result
            trim_if_grown()
        except BaseException as exc:
            conn.send(ReadFailed(crash_message(exc)))  # one line for the store: the traceback goes to stderr
            raise  # a child in an unknown state is not given another document (its traceback is printed)
    end_process(0)


def crash_message(exc: BaseException) -> str:
    """One line for the run's error message: what was raised and where, no traceback."""
    from flows.cli.exit_codes import first_line

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {first_line(exc)}{where}"


@contextmanager
def environment_without(names: tuple[str, ...]) -> Iterator[None]:
    """``names`` out of this process's environment while a child is spawned (it copies the environment
    as it starts), then back: the supervisor keeps its own settings, and children start one at a time."""
    with _environ_lock:
        saved = {name: os.environ.pop(name) for name in names if name in os.environ}
        try:
            yield
        finally:
            os.environ.update(saved)


@contextmanager
def main_module_left_behind() -> Iterator[None]:
    """A bare ``__main__`` while a child is spawned, so the child does not import this process's.

    'spawn' imports the parent's main module again in the child (as ``__mp_main__``), for targets
    defined there; the child's target lives in this module. In a work-pool flow run the main module
    is ``prefect.engine``, so every OCR child imported Prefect for nothing; under ``batch`` it imported
    the command line. Call with ``_environ_lock`` held: children start one at a time.
    """
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


class DocumentWorker:
    """One child process, reused across documents; the supervisor side of ``serve_documents``."""

    def __init__(
        self,
        target: Callable[[Connection, float], None] = serve_documents,
        max_documents: int = MAX_DOCUMENTS,
        idle_exit_s: float = IDLE_EXIT_S,
    ) -> None:
        self._target, self.max_documents, self.idle_exit_s = target, max_documents, idle_exit_s
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self.documents = 0  # read by the current child

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None and self._process.is_alive() else None

    def start(self) -> None:
        """Start the child now, if none is alive: its imports then overlap the caller's work, and the next
        ``run`` sends it the document."""
        if self.pid is None:
            self._start()

    def run(self, source: str, out_dir: str, settings: Settings, run_id: str, timeout_s: float, on_page: OnPage | None = None) -> Outcome:
        """Read one document in the child, within ``timeout_s`` (a fresh child's start and model load included)."""
        deadline = time.monotonic() + timeout_s
        job = ReadRequest(source, out_dir, settings, run_id)
        reused = self.pid is not None
        if not (reused and self._send(job)):
            reused = False
            self._start()
            self._send(job)
        outcome, accepted = self._follow(deadline, timeout_s, on_page)
        if outcome.kind == "crashed" and reused and not accepted:
            # An idle child that died (or exited idle) just as the document was sent: not the document's doing.
            self._start()
            self._send(job)
            outcome, _ = self._follow(deadline, timeout_s, on_page)
        self.documents += 1
        if outcome.kind == "done" and self.max_documents and self.documents >= self.max_documents:
            self.stop()
        return outcome

    def stop(self, grace_s: float = 5.0) -> None:
        """Ask the child to exit, and kill it if it does not within ``grace_s``."""
        if self._process is None:
            return
        if self._process.is_alive():
            self._send(Stop())
            self._process.join(grace_s)
        self._discard()

    def _start(self) -> None:
        self._discard()
        parent_end, child_end = _CONTEXT.Pipe(duplex=True)
        self._process = _CONTEXT.Process(target=self._target, args=(child_end, self.idle_exit_s), daemon=True)
        with environment_without(NOT_INHERITED), main_module_left_behind():
            self._process.start()
        child_end.close()
        self._conn, self.documents = parent_end, 0

    def _send(self, message: ReadRequest | Stop) -> bool:
        try:
            self._conn.send(message)
            return True
        except (OSError, ValueError):  # the child's end is closed: it is gone
            return False

    def _follow(self, deadline: float, timeout_s: float, on_page: OnPage | None) -> tuple[Outcome, bool]:
        """Relay the child's messages until its result, its death or the deadline; also: did it take the job?"""
        accepted, error = False, None
        while True:
            if self._conn.poll(_POLL_S):
                try:
                    message = self._conn.recv()
                except (EOFError, OSError):  # child gone; its exit code tells how
                    break
                if isinstance(message, Accepted):
                    accepted = True
                elif isinstance(message, PageRead) and on_page:
                    on_page(message.done, message.total)
                elif isinstance(message, ResultWritten):
                    return Outcome("done", result_path=message.result_path), True
                elif isinstance(message, ReadFailed):
                    error = message.message
                elif isinstance(message, LogLine):
                    relay(message)
            elif not self._process.is_alive():
                break
            if time.monotonic() > deadline:
                self._discard()
                return Outcome("timeout", message=f"no result after {timeout_s:g} s; the worker was killed"), accepted
        self._process.join(5.0)
        code = self._process.exitcode
        self._discard()
        return Outcome("crashed", message=error or f"worker exited with code {code} and no result"), accepted

    def _discard(self) -> None:
        """Kill the child if it still runs, and forget it."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(5.0)
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None
