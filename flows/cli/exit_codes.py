"""The command line's exit codes, one meaning each, so a scheduler can tell what to do next.

==== =========================================================================
code meaning
==== =========================================================================
0    done: every document ok or needs_review (``failed`` lists those)
1    done, but some documents failed (each recorded with its kind and reason)
2    bad usage: an unknown option or value, a mistyped document id, an
     ``--out`` that holds no results store
69   infrastructure unavailable: the results store (database) or the Prefect
     API cannot be reached; nothing was processed or recorded
70   internal error: a bug; the message says where (``DISCLOSURE_OCR_TRACEBACK=1``
     prints the traceback)
130  interrupted (Ctrl-C)
==== =========================================================================

In the manner of OCRmyPDF's table; 69 and 70 are sysexits' EX_UNAVAILABLE and EX_SOFTWARE.
"""

from __future__ import annotations

OK = 0
DOCUMENTS_FAILED = 1
USAGE = 2
UNAVAILABLE = 69
INTERNAL_ERROR = 70
INTERRUPTED = 130


class Unavailable(RuntimeError):
    """Something the command needs outside this process (store, Prefect API) does not answer."""


def first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def classify(exc: BaseException) -> tuple[int, str]:
    """The exit code and one-line message for an exception no command handled itself."""
    from sqlalchemy import exc as sa

    if isinstance(exc, Unavailable):
        return UNAVAILABLE, str(exc)
    if isinstance(exc, (sa.OperationalError, sa.InterfaceError)):
        reason = first_line(exc.orig) if exc.orig is not None else first_line(exc)
        return UNAVAILABLE, f"the results store cannot be reached: {reason}"
    if isinstance(exc, (sa.ArgumentError, sa.NoSuchModuleError)):
        return USAGE, f"not a usable --store URL: {first_line(exc)}"
    return INTERNAL_ERROR, f"internal error: {type(exc).__name__}: {first_line(exc)}"
