"""A main module that notes every import of itself, for ``tests/test_document_worker.py``.

Run as ``python -m tests.worker_main_probe PDF OUT`` (as a work-pool flow run is ``python -m
prefect.engine``), it reads the PDF in an OCR child and prints the outcome.
"""

import os
import sys

_LOG = os.environ.get("WORKER_MAIN_PROBE_LOG")
if _LOG:
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {__name__}\n")

if __name__ == "__main__":
    from flows.core.settings import Settings
    from flows.workers.worker import DocumentWorker

    worker = DocumentWorker()
    try:
        outcome = worker.run(sys.argv[1], sys.argv[2], Settings(threads=1), "probe-run", 300)
    finally:
        worker.stop()
    print(outcome.kind, sys.modules["__main__"].__spec__.name)
