"""Errors the pipeline records instead of crashing a batch.

Each carries a ``kind`` (the failure class recorded in result.json and the
results store) and the ``stage`` it happened in, so a person can tell bad
input from a bug without reading a traceback.
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base class: a failure with a recorded class and stage."""

    kind = "internal_error"

    def __init__(self, message: str, *, stage: str = "unknown") -> None:
        super().__init__(message)
        self.stage = stage


class BadInputError(PipelineError):
    """The file itself cannot be processed (corrupt, encrypted, empty, not a PDF or image)."""

    kind = "bad_input"


class OcrFailedError(PipelineError):
    """The OCR engine could not run (missing model, broken runtime)."""

    kind = "ocr_failed"


class ModelMissingError(OcrFailedError):
    """An engine's model files or package are not installed; the message says what to install."""


class NoTablesFoundError(PipelineError):
    """No ruled table was found on any processed page."""

    kind = "no_tables_found"


# Every failure class a run can be recorded with. Arithmetic that does not add up is not among them:
# it makes a document ``needs_review`` with its findings, never ``failed``. ``timeout`` and ``internal_error``
# (a worker that hung, crashed or was killed) are assigned by the supervisor.
FAILURE_KINDS = ("bad_input", "ocr_failed", "no_tables_found", "timeout", "internal_error")
