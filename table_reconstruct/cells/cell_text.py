"""Reading cells: find the text lines inside each cell, crop them, recognize in one batch.

The grid already bounds the text, so no whole-page detection is needed for
table cells: a cell's ink (rules removed) is split into text lines by its row
profile. That keeps narrow code cells (201 | 13 | 01) apart, never lets a text
box cross a rule, and lets empty cells skip recognition altogether.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

import cv2
import numpy as np

from ocr.engines.base import FullWidthRecognizer, OcrEngine, Recognition

from table_reconstruct.grid.components import label_with_stats, select
from table_reconstruct.grid.geometry import Rect, merge_close_runs, runs, union
from table_reconstruct.grid.grid import GridCell
from table_reconstruct.grid.lines import TableRegion
from table_reconstruct.cells.numbers import repair_comma_point, repair_thousands_dots, strip_dust, strip_stray_marks
from table_reconstruct.cells.text_normalize import normalize_cell_text


# Dust versus glyphs, in inches. Ink is first grouped with everything within NEAR_INCHES
# (pieces of one broken glyph, a comma beside its digits, neighbouring characters); a group
# is text when it is at least GLYPH_INCHES long beyond that reach (a 7 pt digit is ~0.07 in
# tall), and a lone piece is a dash when at least DASH_INCHES long and DASH_ASPECT times
# longer than thick. Isolated compact blots below that are scan dust.
NEAR_INCHES = 0.02
GLYPH_INCHES = 0.06
DASH_INCHES = 0.035
DASH_ASPECT = 2.5
# A blot on a line of text, within this (inches) after its last glyph or before its first, is
# punctuation: a full-width 。、， sits in the left half of its box (“ in the right half), a little
# further from its glyph than NEAR_INCHES, and at the end of a wrapped line nothing follows it.
PUNCTUATION_INCHES = 0.06


# Unambiguous repairs of a cell's OCR text, in order; each one is noted on the cell.
REPAIRS = (strip_dust, strip_stray_marks, repair_thousands_dots, repair_comma_point)


@dataclass(frozen=True)
class CellReading:
    cell: GridCell
    text: str
    confidence: float
    lines: tuple[Rect, ...] = ()
    raw_text: str | None = None
    corrections: tuple[str, ...] = ()
    # Other readings of the cell (its doubtful lines read again alone), offered to the arithmetic's repairs.
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextPage:
    """A page prepared for reading cells: rules painted out of both gray and ink images.

    ``ink`` is text ink with isolated scan dust taken out (``remove_dust``); ``dust`` is that dust.
    """

    gray: np.ndarray
    ink: np.ndarray
    dpi: float
    dust: np.ndarray | None = None


# Ink is cleaned (specks, dust) only this far (inches) around the tables, where cells are read: a glyph
# group that reaches into a table and is cut by the window's edge keeps more than a glyph's length inside.
CLEAN_MARGIN_INCHES = 0.25


def prepare_text_page(gray: np.ndarray, ink: np.ndarray, regions: Sequence[TableRegion], dpi: float) -> TextPage:
    """Erase only the rules of detected tables: long text strokes elsewhere (titles) stay intact.

    Specks and dust are taken out of the ink around the tables only (the whole
    page when none is given): cells are read there, and the rest of the page
    costs a third of the work for nothing.
    """
    rules = np.zeros_like(ink)
    for region in regions:
        box = region.rect
        rules[box.y0 : box.y1, box.x0 : box.x1] |= cv2.bitwise_or(region.horizontal, region.vertical)
    rules = cv2.dilate(rules, np.ones((3, 3), np.uint8))
    text_ink = cv2.bitwise_and(ink, cv2.bitwise_not(rules))
    clean_ink, dust = np.zeros_like(ink), np.zeros_like(ink)
    height, width = ink.shape[:2]
    margin = int(dpi * CLEAN_MARGIN_INCHES)
    for w in cleaning_windows([r.rect.expand(margin, width, height) for r in regions], width, height):
        window = text_ink[w.y0 : w.y1, w.x0 : w.x1]
        kept = remove_dust(remove_specks(window, min_area=max(4, int((dpi / 100) ** 2 * 4))), dpi)
        clean_ink[w.y0 : w.y1, w.x0 : w.x1] = kept
        dust[w.y0 : w.y1, w.x0 : w.x1] = cv2.dilate(cv2.bitwise_and(window, cv2.bitwise_not(kept)), np.ones((3, 3), np.uint8))
    clean = gray.copy()
    clean[rules > 0] = 255
    return TextPage(gray=clean, ink=clean_ink, dpi=dpi, dust=dust)


def cleaning_windows(rects: Sequence[Rect], width: int, height: int) -> list[Rect]:
    """``rects`` with overlapping ones merged (so no ink is cleaned twice), or the whole page when empty."""
    merged: list[Rect] = []
    pending = list(rects)
    while pending:
        rect = pending.pop()
        overlapping = [m for m in merged if m.x0 < rect.x1 and rect.x0 < m.x1 and m.y0 < rect.y1 and rect.y0 < m.y1]
        if overlapping:  # the union may now reach further rects: look at it again
            merged = [m for m in merged if m not in overlapping]
            pending.append(union([rect, *overlapping]))
        else:
            merged.append(rect)
    return sorted(merged, key=lambda r: (r.y0, r.x0)) or [Rect(0, 0, width, height)]


def remove_specks(ink: np.ndarray, min_area: int) -> np.ndarray:
    """Drop connected ink blobs smaller than ``min_area`` pixels (scan speckle, not dots of text)."""
    count, labels, stats = label_with_stats(ink)
    keep = np.zeros(count, dtype=bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= min_area
    return select(labels, keep)


def remove_dust(ink: np.ndarray, dpi: float) -> np.ndarray:
    """Drop isolated blots too small to be a glyph (see ``GLYPH_INCHES``); ink near text, dashes and
    punctuation beside a line's glyphs (``PUNCTUATION_INCHES``) stay.

    Only line finding uses this mask; crops come from the gray page, so a
    decimal point or the dot of a character is still read, but dust alone
    never makes a text line, and never turns an empty cell into OCR noise.
    """
    reach = max(3, round(dpi * NEAR_INCHES))
    grown = cv2.dilate(ink, np.ones((reach, reach), np.uint8))
    _, labels, stats = label_with_stats(grown)
    long_side = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])
    text_groups = long_side >= dpi * GLYPH_INCHES + reach
    text_groups[0] = False
    keep = np.take(text_groups, labels) & (ink > 0)
    count, labels, stats = label_with_stats(ink)
    width, height = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    long_side, short_side = np.maximum(width, height), np.minimum(width, height)
    marks = (long_side >= dpi * DASH_INCHES) & (long_side >= DASH_ASPECT * short_side)  # dashes
    # Blots just after a line's last glyph or just before its first, on the line (reached along it only):
    # its closing or opening punctuation (。 、 “). A blot with glyphs on both sides is a speck inside the
    # line (一、.一般), and stays out.
    # Glyph ink a little above or below counts (a 。 sits lower than the last strokes of 作).
    along, across = max(1, round(dpi * PUNCTUATION_INCHES)) + 1, 2 * reach + 1
    text, reach_along = keep.astype(np.uint8), np.ones((across, along), np.uint8)
    after = cv2.dilate(text, reach_along, anchor=(along - 1, reach)) > 0  # glyphs within reach to the left
    before = cv2.dilate(text, reach_along, anchor=(0, reach)) > 0  # glyphs within reach to the right
    marks |= np.bincount(labels[(after != before) & (ink > 0)], minlength=count) > 0
    marks[0] = False
    keep |= np.take(marks, labels)
    return np.where(keep, 255, 0).astype(np.uint8)


def text_line_boxes(ink: np.ndarray, dpi: float) -> list[Rect]:
    """Text lines in a cell's ink crop (coordinates relative to the crop), top to bottom."""
    rows_with_ink = (ink > 0).sum(axis=1) > 0
    bands = merge_close_runs(runs(rows_with_ink.tolist()), gap=max(2, int(dpi * 0.02)))
    lines = []
    min_ink = max(6, int(dpi / 20))
    for y0, y1 in bands:
        band = ink[y0:y1]
        if int((band > 0).sum()) < min_ink:
            continue
        cols = np.flatnonzero((band > 0).any(axis=0))
        lines.append(Rect(int(cols[0]), y0, int(cols[-1]) + 1, y1))
    return lines


def read_cells(page: TextPage, cells: Sequence[GridCell], engine: OcrEngine) -> list[CellReading]:
    """Recognize every non-empty cell with one batched engine call."""
    inset = max(2, int(page.dpi / 50))
    pad = max(4, int(page.dpi / 25))
    crops, owners, cell_lines = [], [], []
    for index, cell in enumerate(cells):
        inner = cell.rect.shrink(inset)
        lines = [
            Rect(inner.x0 + r.x0, inner.y0 + r.y0, inner.x0 + r.x1, inner.y0 + r.y1)
            for r in text_line_boxes(page.ink[inner.y0 : inner.y1, inner.x0 : inner.x1], page.dpi)
        ]
        cell_lines.append(lines)
        for line in lines:
            crops.append(line_crop(page, line, pad))
            owners.append(index)
    recognitions = engine.recognize(crops)
    better = second_looks(engine, crops, recognitions)
    texts: list[list[str]] = [[] for _ in cells]
    first_texts: list[list[str]] = [[] for _ in cells]
    scores: list[list[float]] = [[] for _ in cells]
    notes: list[list[str]] = [[] for _ in cells]
    for index, (owner, recognition) in enumerate(zip(owners, recognitions)):
        if recognition.text.strip():
            first_texts[owner].append(recognition.text)
        if index in better:
            notes[owner].append(f"read again unsqueezed: {recognition.text!r} ({recognition.confidence:.2f}) -> "
                                f"{better[index].text!r} ({better[index].confidence:.2f})")
            recognition = better[index]
        if recognition.text.strip():
            texts[owner].append(recognition.text)
        scores[owner].append(recognition.confidence)
    readings = [_reading(cell, texts[i], scores[i], cell_lines[i]) for i, cell in enumerate(cells)]
    return [
        replace(r, raw_text=normalize_cell_text("".join(first_texts[i])), corrections=(*notes[i], *r.corrections))
        if notes[i] else r
        for i, r in enumerate(readings)
    ]


# A line read as an amount with less confidence than this is read again at full width (see ``second_looks``).
SECOND_LOOK_CONFIDENCE = 0.98
_AMOUNT_LIKE = re.compile(r"^-?[\d.,，:：]*\d[\d.,，:：]*$")


def second_looks(engine: OcrEngine, crops: Sequence[np.ndarray], first: Sequence[Recognition]) -> dict[int, Recognition]:
    """Doubtful amount lines read again unsqueezed: the readings the recognizer is surer of, by crop index.

    Long crops are read squeezed to three quarters of their width (``rec_batches.SQUEEZE``), and on a
    noisy 150-DPI scan (北京-11 p7) the squeezed read lost a leading digit or trailing zeros
    (12.000000 read 2,000000, 53.000000 read 3.00000, 145.000000 read 145.,00000) that the
    unsqueezed read kept, with more confidence. Only amount-like lines read with less than
    ``SECOND_LOOK_CONFIDENCE`` are read again (a few per table), and the new reading replaces the first
    only when it differs and is read with more confidence; the cell notes it and keeps the first reading.
    """
    if not isinstance(engine, FullWidthRecognizer):
        return {}
    doubtful = [i for i, r in enumerate(first)
                if r.confidence < SECOND_LOOK_CONFIDENCE and _AMOUNT_LIKE.match(r.text.strip())]
    again = engine.recognize_full_width([crops[i] for i in doubtful]) or []
    return {i: r for i, r in zip(doubtful, again)
            if r.text.strip() != first[i].text.strip() and r.confidence > first[i].confidence}


def line_crop(page: TextPage, line: Rect, pad: int) -> np.ndarray:
    """The line's gray crop with ``pad`` pixels around it, isolated dust there painted over.

    Dust beside the line (outside its glyph box) would be read as a stray
    character; dots inside the line (decimal points) and ink near its glyphs
    (commas, pieces of a broken stroke, see ``remove_dust``) stay. The crop is
    not cut at the cell edge: on a page whose grid is a little off (skew) that
    would cut the line's own glyphs, and the rules are painted out anyway.
    """
    box = line.expand(pad, page.gray.shape[1], page.gray.shape[0])
    crop = page.gray[box.y0 : box.y1, box.x0 : box.x1].copy()
    if page.dust is not None and crop.size:
        dust = page.dust[box.y0 : box.y1, box.x0 : box.x1] > 0
        dust[line.y0 - box.y0 : line.y1 - box.y0, line.x0 - box.x0 : line.x1 - box.x0] = False
        crop[dust] = int(np.percentile(crop, 90))
    return crop
def reading_from_lines(cell: GridCell, texts: list[str], scores: list[float], lines: list[Rect]) -> CellReading:
    """A cell's reading from its lines' texts, cleaned up the same way whether OCR or a text layer read them."""
    return _reading(cell, texts, scores, lines)


# A lone mark read with less confidence than this is a speck the dust filter let through, not a character:
# printed single digits and characters read at 0.9 and more; specks read as "2" or "一" at about 0.2.
LONE_MARK_CONFIDENCE = 0.35


def drop_lone_low_confidence_mark(text: str, confidence: float) -> tuple[str, str | None]:
    """An otherwise empty cell whose only reading is one doubtful character stays empty (noted)."""
    if len(text) == 1 and confidence < LONE_MARK_CONFIDENCE:
        return "", f"lone mark {text!r} read at confidence {confidence:.2f} dropped as a speck"
    return text, None


def _reading(cell: GridCell, texts: list[str], scores: list[float], lines: list[Rect]) -> CellReading:
    raw = normalize_cell_text("".join(texts))
    text, corrections = raw, []
    text, note = drop_lone_low_confidence_mark(text, min(scores) if scores else 1.0)
    if note:
        corrections.append(note)
    for repair in REPAIRS:
        text, note = repair(text)
        if note:
            corrections.append(note)
    return CellReading(
        cell=cell,
        text=text,
        confidence=round(min(scores), 4) if scores else 1.0,
        lines=tuple(lines),
        raw_text=raw if corrections else None,
        corrections=tuple(corrections),
    )
