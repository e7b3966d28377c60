"""Is a ruled region a statutory table of figures, or something else drawn with rules?

Pages of a budget also rule their 目录, boxed paragraphs ("…详细情况见下表",
"本年支出预算合计…万元，其中："), charts and cover borders. Those are kept in the
result (nothing read is lost) with ``kind="other"``: they are not checked and
never make a document needs_review. The test is by content, not by region: a
目录 title, or a region no form recognises, with no column of amounts and
hardly any text (an empty frame around a paragraph read as its caption).
A 绩效 table of words only is still a statutory table.
"""

from __future__ import annotations

from table_reconstruct.semantics.column_roles import amount_columns
from table_reconstruct.semantics.forms import UNKNOWN
from table_reconstruct.model import Table

STATUTORY, OTHER = "statutory", "other"
# Fewer filled cells than this, no amounts and no form: a frame (cover border, boxed paragraph), not a table.
FEW = 4


def region_kind(table: Table) -> str:
    title = (table.title or "").replace(" ", "")
    if title.startswith("目录") or title.endswith("目录"):
        return OTHER
    if table.form == UNKNOWN and not amount_columns(table) and sum(bool(c.text.strip()) for c in table.cells) < FEW:
        return OTHER
    return STATUTORY
