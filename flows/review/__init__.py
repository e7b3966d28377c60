"""Review pages: ``OUT/<doc_id>/review.html`` (page pictures with the grid, findings, fix) and ``OUT/index.html``."""

from flows.review.publish import NoResult, index_quietly, publish, review_if_needed, write_index, write_review

__all__ = ["NoResult", "index_quietly", "publish", "review_if_needed", "write_index", "write_review"]
