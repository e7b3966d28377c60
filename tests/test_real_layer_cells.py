"""A real born-digital 绩效目标 table whose painted-out text used to leave a rule behind.

北京-09 page 16: below a project's merged cells, the anti-aliased bottoms of the
project code's glyphs survive painting out as a dotted stroke a few pixels
above a row rule; the sliver between them merged 20 rows × 11 columns into
one cell holding the whole block's text and numbers. (Painting wider boxes
instead erases rules that text touches elsewhere: 广州-27 p8 merged two amounts.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core.pipeline import process_file
from flows.core.settings import Settings

BEIJING = Path(__file__).resolve().parents[2] / "shared" / "real" / "cities" / "北京-09.pdf"

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not BEIJING.is_file(), reason="needs ../shared/real/cities")]


def test_no_cell_swallows_a_block_of_rows_and_columns():
    result = process_file(BEIJING, Settings(pages="16"))
    assert result.document.page_notes[0].text_source == "text_layer"
    (table,) = result.tables
    assert table.n_cols == 11
    assert not any(c.rowspan > 3 and c.colspan > 3 for c in table.cells)
    texts = [c.text for c in table.cells]
    assert "核查社会审计机构出具的审计报告专家费" in texts and "0.8" in texts and "12000" in texts
    assert not any(len(t) > 60 and "指标" in t and any(ch.isdigit() for ch in t) for t in texts)
