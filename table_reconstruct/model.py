"""The one data model that flows from reconstruction to result.json.

Field names here are the output contract other work builds on: add fields
freely, never rename these. Coordinates (``bbox``) are PDF points (1/72 inch)
measured from the page's top-left corner, so results do not depend on the DPI
the page was rasterized at.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import ClassVar, Optional

from pydantic import BaseModel, Field

BBox = tuple[float, float, float, float]


class DocumentStatus(str, Enum):
    """Outcome of one document: ``needs_review`` means usable but a person should look."""

    OK = "ok"
    NEEDS_REVIEW = "needs_review"
    FAILED = "failed"


class Cell(BaseModel):
    """One grid cell; a merged cell sits at its top-left position with its spans."""

    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    text: str = ""
    confidence: float = 1.0
    page: int = 1
    bbox: BBox = (0.0, 0.0, 0.0, 0.0)
    raw_text: Optional[str] = None
    corrections: list[str] = Field(default_factory=list)
    # Parsed amount (exact, serialized as a string); None for blanks, dashes and text.
    value: Optional[Decimal] = None


class Column(BaseModel):
    """A leaf column: its header path and the canonical name it maps to (or None)."""

    index: int
    header_path: list[str] = Field(default_factory=list)
    canonical: Optional[str] = None
    score: float = 0.0


class RowInfo(BaseModel):
    """What one body row means: its classification code, level and place in the hierarchy."""

    row: int
    code: Optional[str] = None
    level: Optional[str] = None  # 类 / 款 / 项, or None when the row carries no code
    name: Optional[str] = None
    parent: Optional[str] = None
    is_total: bool = False
    # Row this one adds up into (a 类 row for its 款, a unit row for its codes); None for top-level rows.
    parent_row: Optional[int] = None
    # A row holding only the wrapped rest of another row's name points at that row; its name is joined there.
    continuation_of: Optional[int] = None


class CellRef(BaseModel):
    """A cell anywhere in the document: the table's index in ``DocumentResult.tables`` and its grid position."""

    table: int
    row: int
    col: int


class Finding(BaseModel):
    """One arithmetic check that did not hold; values are never changed because of it.

    ``severity`` is ``error`` when the difference exceeds the unit's rounding
    tolerance (尾差) and ``rounding`` when it is within it: a rounding finding
    is shown but does not make the document needs_review.
    """

    rule: str
    cells: list[tuple[int, int]] = Field(default_factory=list)
    expected: Optional[Decimal] = None
    found: Optional[Decimal] = None
    difference: Optional[Decimal] = None
    message: str = ""
    # Cross-table rules: every cell involved, in any table of the document.
    refs: list[CellRef] = Field(default_factory=list)
    severity: str = "error"


class ReviewReason(BaseModel):
    """Why a document is ``needs_review``: one kind of trouble in one table (None: the document), with how much."""

    # failed_check, doubtful_cells, unmapped_amount_columns or broken_page
    kind: str
    table: Optional[int] = None
    count: int = 1
    # Short evidence: the rules that failed, the unmapped headers, the page's error.
    detail: str = ""


class ReviewCell(BaseModel):
    """A cell a person should check, with why (e.g. low OCR confidence)."""

    table: int
    row: int
    col: int
    page: int
    text: str
    confidence: float
    reason: str


class Table(BaseModel):
    """A reconstructed table; ``row``/``col`` index its grid from 0, header rows included."""

    title: Optional[str] = None
    unit: Optional[str] = None
    department: Optional[str] = None
    pages: list[int] = Field(default_factory=list)
    n_rows: int = 0
    n_cols: int = 0
    header_rows: int = 0
    cells: list[Cell] = Field(default_factory=list)
    columns: list[Column] = Field(default_factory=list)
    bbox: Optional[BBox] = None
    # Standard form this table is (stable identifier) or "unknown", with the classifier's score.
    form: str = "unknown"
    form_score: float = 0.0
    rows: list[RowInfo] = Field(default_factory=list)
    validation: list[Finding] = Field(default_factory=list)
    # How many arithmetic checks ran on this table (passed = checks_run - len(validation)); 0 = not checked.
    checks_run: int = 0
    # One bbox per page when the table continues across pages (same order as ``pages``).
    page_bboxes: list[BBox] = Field(default_factory=list)
    # "statutory" for a table of figures; "other" for a ruled region that is not one (目录, a boxed paragraph,
    # a cover border): kept for the record, never checked, never a reason for review.
    kind: str = "statutory"

    def cell_at(self, row: int, col: int) -> Optional[Cell]:
        """The cell whose span covers (row, col), if any."""
        for cell in self.cells:
            if cell.row <= row < cell.row + cell.rowspan and cell.col <= col < cell.col + cell.colspan:
                return cell
        return None

    def body_rows(self) -> list[list[str]]:
        """Body rows as text, one entry per leaf column (merged text repeated only at its origin)."""
        grid = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for cell in self.cells:
            grid[cell.row][cell.col] = cell.text
        return grid[self.header_rows :]


class PageNote(BaseModel):
    """What happened to one page, so skipped work is visible in result.json."""

    page: int
    tables: int = 0
    skipped: Optional[str] = None
    seconds: float = 0.0
    # Where the page's text came from ("ocr" or "text_layer") and why that path was chosen.
    text_source: Optional[str] = None
    text_source_reason: Optional[str] = None
    # Page geometry applied before line detection: rotation (0/90/180/270) and deskew angle in degrees.
    rotation: int = 0
    skew_degrees: float = 0.0
    # Page size in PDF points as the tables' bboxes see it (0 when the page was never read).
    width: float = 0.0
    height: float = 0.0
    # Red seals taken out of the page's colour before it was read (scans only).
    seals: int = 0


class DocumentInfo(BaseModel):
    source: str
    sha256: str
    pages: int = 0
    status: DocumentStatus = DocumentStatus.OK
    error: Optional[str] = None
    error_kind: Optional[str] = None
    stage: Optional[str] = None
    page_notes: list[PageNote] = Field(default_factory=list)
    settings: dict = Field(default_factory=dict)
    pipeline_version: Optional[str] = None
    # Why the status is needs_review (empty when ok or failed).
    review_reasons: list[ReviewReason] = Field(default_factory=list)


class IdentityField(BaseModel):
    """One identity field: its value, where it was read (page, text), how sure, and who set it.

    ``set_by`` is ``document`` (read from the document itself) or ``user:<how>``
    (a ``batch``/``reprocess`` option or a sidecar file), so a corrected value never passes for a reading.
    """

    value: Optional[str] = None
    page: Optional[int] = None
    text: Optional[str] = None
    confidence: float = 0.0
    set_by: str = "document"


class DocumentIdentity(BaseModel):
    """Who published the document, for which fiscal year, and what kind it is; None where it does not say."""

    department: Optional[IdentityField] = None
    region: Optional[IdentityField] = None
    # 省 / 市 / 区县: the tier of government of ``region``.
    level: Optional[IdentityField] = None
    year: Optional[IdentityField] = None
    # 部门预算, 单位预算, 部门决算, 单位决算, 整体绩效 …
    kind: Optional[IdentityField] = None

    FIELDS: ClassVar[tuple[str, ...]] = ("department", "region", "level", "year", "kind")

    def value(self, name: str) -> Optional[str]:
        found = getattr(self, name)
        return found.value if found is not None else None

    def fiscal_year(self) -> Optional[int]:
        year = self.value("year")
        return int(year) if year and year.isdigit() else None


class DocumentResult(BaseModel):
    """Everything one run learned about one document: the content of result.json."""

    document: DocumentInfo
    tables: list[Table] = Field(default_factory=list)
    # Findings of rules that compare different tables of the document.
    validation: list[Finding] = Field(default_factory=list)
    # How many cross-table checks ran (passed = checks_run - len(validation)); 0 = not checked.
    checks_run: int = 0
    # Cells below the review threshold (or otherwise doubtful), so a reviewer sees exactly which to check.
    review_cells: list[ReviewCell] = Field(default_factory=list)
    # Publisher, region, fiscal year and kind, as read from the document (or set by a user).
    identity: DocumentIdentity = Field(default_factory=DocumentIdentity)
