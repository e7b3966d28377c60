"""Hostile inputs, tried as a user and as an attacker would: every case ends in a recorded, clear
outcome, nothing is lost, the other documents of the run or batch complete, and what comes out is
safe to open and to share.

Every input is generated here (born-digital tables drawn with reportlab, text layers rewritten with
pypdf, images drawn with PIL); nothing binary is committed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from tests.test_text_layer import draw_table

pytestmark = pytest.mark.slow

RARE_CELL, RARE_TITLE = "工资𠮷利支出", "2024年部门支出总体情𝐀表"
SCRIPT = "<script>alert(1)</script>"


def cli(*args: str, home: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """``disclosure-ocr ARGS`` as a user runs it: a subprocess with its own Prefect home."""
    env = dict(os.environ, PREFECT_HOME=str(home / "prefect-home"), COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True, env=env,
                          timeout=timeout)  # fmt: skip


def remap_text_layer(source: Path, target: Path, mapping: dict[str, str]) -> Path:
    """The same drawing, its text layer saying ``mapping[c]`` where it said ``c`` (a ToUnicode rewrite):
    how a PDF whose font has 𠮷 looks to pdfium, without needing such a TrueType font here."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/ToUnicode" not in font:
                continue
            cmap = font["/ToUnicode"].get_object()
            data = cmap.get_data()
            for old, new in mapping.items():
                data = data.replace(b"<%04X>" % ord(old), b"<%s>" % new.encode("utf-16-be").hex().upper().encode())
            cmap.set_data(data)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def rare_characters_pdf(folder: Path) -> Path:
    """A born-digital table whose text layer has 𠮷 (U+20BB7) in a cell and 𝐀 (U+1D400) in its title."""
    plain = draw_table(folder / "plain_for_rare.pdf.tmp")
    rare = remap_text_layer(plain, folder / "rare_characters.pdf", {"福": "𠮷", "况": "𝐀"})
    plain.unlink()
    return rare


def results_by_name(out: Path) -> dict[str, dict]:
    found = {}
    for path in out.glob("*/result.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        found[Path(data["document"]["source"]).name] = data
    return found


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.fixture(scope="module")
def hostile_set(tmp_path_factory) -> Path:
    """The hostile inputs, in one folder."""
    folder = tmp_path_factory.mktemp("hostile") / "in"
    folder.mkdir()
    rare_characters_pdf(folder)
    draw_table(folder / "blocked.pdf")
    (folder / "notes.pdf").write_text("this is a text file with a .pdf name", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def cli_run(hostile_set, tmp_path_factory):
    """One ``run`` over the hostile set; ``blocked.pdf``'s output folder is taken by a file, so
    writing its result fails (a failure no document should pass on to the others)."""
    from flows.identify import doc_id_for, sha256_of

    work = tmp_path_factory.mktemp("run")
    out = work / "out"
    out.mkdir()
    (out / doc_id_for(sha256_of(hostile_set / "blocked.pdf"))).write_text("in the way", encoding="utf-8")
    order = ["blocked.pdf", "rare_characters.pdf", "notes.pdf"]
    completed = cli("run", *(str(hostile_set / name) for name in order), "--out", str(out), home=work)
    return completed, out


def test_rare_characters_beyond_the_bmp_come_through_whole(cli_run):
    completed, out = cli_run
    result = results_by_name(out).get("rare_characters.pdf")
    assert result is not None, completed.stderr[-3000:]
    assert result["document"]["status"] != "failed", result["document"]
    table = result["tables"][0]
    assert table["title"] == RARE_TITLE
    assert RARE_CELL in [cell["text"] for cell in table["cells"]]
    doc_dir = next(out.glob("*/result.json")).parent.parent / result["document"]["sha256"][:16]
    assert any(RARE_CELL in row for path in (doc_dir / "tables").glob("*.csv") for row in csv_rows(path))


def test_one_documents_failure_never_stops_the_others_of_a_run(cli_run):
    completed, out = cli_run
    results = results_by_name(out)
    assert {"rare_characters.pdf", "notes.pdf"} <= set(results), completed.stderr[-3000:]
    assert results["notes.pdf"]["document"]["error_kind"] == "bad_input"
    assert "blocked.pdf" in completed.stdout and "internal_error" in completed.stdout, completed.stdout
    assert completed.returncode == 1
    assert "Traceback" not in completed.stdout
