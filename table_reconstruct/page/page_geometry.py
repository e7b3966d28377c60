"""Page geometry before line detection: turn the page upright, then straighten it.

Line detection assumes rules run along the pixel axes; a page stored
sideways or fed in a few degrees askew breaks that and the grid collapses.
``correct_page`` undoes both and keeps the transform, so boxes found on the
corrected page can be mapped back onto the page as stored:
``table_to_original`` turns every bbox of a table into the axis-aligned
envelope of where that box lies on the original page (the same convention
the benchmark's truth uses for skewed scans), so result bboxes always refer
to the stored page, whatever was done to read it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

from ocr.engines.base import OcrEngine

from table_reconstruct.page.deskew import MIN_SKEW_DEGREES, estimate_skew
from table_reconstruct.grid.lines import binarize
from table_reconstruct.model import BBox, Table
from table_reconstruct.page.orientation import detect_rotation, shrink

_QUARTER_TURNS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


@dataclass(frozen=True)
class PageGeometry:
    """What was done to a page: clockwise quarter turn, measured skew, and the pixel transform.

    ``matrix`` (3×3) maps a point of the stored page (pixels, origin top-left)
    to the corrected page; ``skew_degrees`` is the skew the page had after
    the quarter turn (counter-clockwise positive as seen on screen), which
    was undone by rotating the opposite way.
    """

    rotation: int = 0
    skew_degrees: float = 0.0
    matrix: np.ndarray = field(default_factory=lambda: np.eye(3))

    @property
    def is_identity(self) -> bool:
        return self.rotation == 0 and self.skew_degrees == 0.0

    def bbox_to_original(self, bbox: BBox, points_per_pixel: float) -> BBox:
        """Envelope, on the stored page, of a bbox (PDF points) of the corrected page."""
        if self.is_identity:
            return bbox
        inverse = np.linalg.inv(self.matrix)
        x0, y0, x1, y1 = (v / points_per_pixel for v in bbox)
        corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64)
        xs, ys, _ = inverse @ corners.T
        s = points_per_pixel
        return tuple(round(float(v) * s, 2) for v in (xs.min(), ys.min(), xs.max(), ys.max()))  # type: ignore[return-value]


def quarter_turn_matrix(rotation: int, width: int, height: int) -> np.ndarray:
    """Point transform of ``cv2.rotate`` by ``rotation`` clockwise degrees on a ``width``×``height`` image."""
    if rotation == 90:
        return np.array([[0, -1, height], [1, 0, 0], [0, 0, 1]], dtype=np.float64)
    if rotation == 180:
        return np.array([[-1, 0, width], [0, -1, height], [0, 0, 1]], dtype=np.float64)
    if rotation == 270:
        return np.array([[0, 1, 0], [-1, 0, width], [0, 0, 1]], dtype=np.float64)
    return np.eye(3)


def straighten_matrix(skew_degrees: float, width: int, height: int) -> tuple[np.ndarray, int, int]:
    """Rotation by ``-skew_degrees`` about the centre onto a canvas that holds the whole turned page."""
    a = math.radians(skew_degrees)
    new_w = int(math.ceil(abs(width * math.cos(a)) + abs(height * math.sin(a))))
    new_h = int(math.ceil(abs(width * math.sin(a)) + abs(height * math.cos(a))))
    matrix = np.vstack([cv2.getRotationMatrix2D((width / 2, height / 2), -skew_degrees, 1.0), [0, 0, 1]])
    matrix[0, 2] += (new_w - width) / 2
    matrix[1, 2] += (new_h - height) / 2
    return matrix, new_w, new_h


def correct_page(gray: np.ndarray, dpi: float, engine: OcrEngine) -> tuple[np.ndarray, PageGeometry]:
    """The page turned upright and straightened (paper-toned where the canvas grew), and what was done."""
    rotation = detect_rotation(gray, dpi, engine)
    height, width = gray.shape[:2]
    matrix = quarter_turn_matrix(rotation, width, height)
    if rotation:
        gray = cv2.rotate(gray, _QUARTER_TURNS[rotation])
    small, scale = shrink(gray, dpi)
    skew = estimate_skew(binarize(small, dpi * scale), dpi * scale)
    if abs(skew) < MIN_SKEW_DEGREES:
        return gray, PageGeometry(rotation=rotation, matrix=matrix)
    height, width = gray.shape[:2]
    turn, new_w, new_h = straighten_matrix(skew, width, height)
    # The grown canvas is filled with the paper's own tone: a white fill next to gray paper
    # would draw the page's edge as a dark frame for the line detector.
    paper = int(np.median(small))
    gray = cv2.warpAffine(gray, turn[:2], (new_w, new_h), flags=cv2.INTER_LINEAR, borderValue=paper)
    return gray, PageGeometry(rotation=rotation, skew_degrees=skew, matrix=turn @ matrix)


def table_to_original(table: Table, geometry: PageGeometry, points_per_pixel: float) -> Table:
    """The table with every bbox mapped from the corrected page back onto the stored page."""
    if geometry.is_identity:
        return table

    def back(bbox: BBox) -> BBox:
        return geometry.bbox_to_original(bbox, points_per_pixel)

    cells = [cell.model_copy(update={"bbox": back(cell.bbox)}) for cell in table.cells]
    update: dict = {"cells": cells, "page_bboxes": [back(b) for b in table.page_bboxes]}
    if table.bbox is not None:
        update["bbox"] = back(table.bbox)
    return table.model_copy(update=update)
