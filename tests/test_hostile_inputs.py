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
import signal
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from tests.test_text_layer import draw_table

pytestmark = pytest.mark.slow

RARE_CELL, RARE_TITLE = "工资𠮷利支出", "2024年部门支出总体情𝐀表"
SCRIPT = "<script>alert(1)</script>"
MARKUP_CELL = "<i>合计</i>"
SHARED_UMASK = 0o002  # a team's shared results folder: group-writable


def cli(*args: str, home: Path, timeout: float = 600, path: str | None = None) -> subprocess.CompletedProcess:
    """``disclosure-ocr ARGS`` as a user of a shared results folder runs it: a subprocess with its own
    Prefect home, PATH as given, and umask 002."""
    env = dict(os.environ, PREFECT_HOME=str(home / "prefect-home"), COLUMNS="200", PATH=path or os.environ["PATH"])
    command = [sys.executable, "-m", "flows.cli.app", *args]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                          start_new_session=True, umask=SHARED_UMASK) as process:  # fmt: skip
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its workers, Prefect server and poppler too
            raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


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


HYPERLINK = '=HYPERLINK("http://x.y","z")'
# Printed text of draw_table's table -> what a hostile document prints there instead.
INJECTED = {"项目": "=SUM(1,2)", "科目编码": "+1+2", "基本支出": HYPERLINK, "工资福利支出": "=cmd|'/C calc'!A0",
            "商品和服务支出": "@SUM(1,2)", "52.00": "-12.50", "2024年部门支出总体情况表": "2024年" + SCRIPT,
            "合计": MARKUP_CELL}  # fmt: skip
XSS_NAME = "<img src=x onerror=alert(1)>.pdf"
TRAVERSAL_NAME = "%2E%2E%2F%2E%2E%2Fescaped.pdf"  # batch skips dotfiles by design: not "..%2F"


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` × ``height`` pixels and holds none (a decompression bomb's header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def ruled_grid_png(path: Path, size: tuple[int, int], step: int = 200) -> Path:
    """A white page with a ruled grid, as a scanned form with nothing filled in looks."""
    from PIL import Image, ImageDraw

    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    for x in range(step, size[0] - step + 1, step):
        draw.line([(x, step), (x, size[1] - step)], fill=0, width=3)
    for y in range(step, size[1] - step + 1, step):
        draw.line([(step, y), (size[0] - step, y)], fill=0, width=3)
    image.save(path, compress_level=1)
    return path


def encrypted_copy(source: Path, target: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt("secret", algorithm="AES-256")
    with target.open("wb") as handle:
        writer.write(handle)
    return target


@pytest.fixture(scope="module")
def hostile_set(tmp_path_factory) -> Path:
    """The hostile inputs, in one folder: tables with rare characters, formulas and markup, and
    files that are empty, cut short, random, encrypted, or images that claim 60000² pixels."""
    folder = tmp_path_factory.mktemp("hostile") / "in"
    folder.mkdir()
    rare_characters_pdf(folder)
    draw_table(folder / "blocked.pdf")
    draw_table(folder / "injection.pdf", transform=lambda text: INJECTED.get(text, text))
    draw_table(folder / XSS_NAME, transform=lambda text: text.replace("2024年部门", "../../2024年部门"))
    whole = (folder / "blocked.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(whole[: len(whole) // 2])
    (folder / TRAVERSAL_NAME).write_bytes(b"%PDF-1.7\n" + random.Random(18).randbytes(4000))
    (folder / "empty.pdf").write_bytes(b"")
    encrypted_copy(folder / "blocked.pdf", folder / "encrypted.pdf")
    (folder / "notes.pdf").write_text("this is a text file with a .pdf name", encoding="utf-8")
    (folder / "huge_header.png").write_bytes(png_header(60000, 60000))
    grid = ruled_grid_png(folder.parent / "grid.png", (800, 600)).read_bytes()
    (folder / "truncated.png").write_bytes(grid[: len(grid) // 2])
    return folder


@pytest.fixture(scope="module")
def cli_run(hostile_set, tmp_path_factory):
    """One ``run`` over the hostile set; ``blocked.pdf``'s output folder is taken by a file, so
    writing its result fails (a failure no document should pass on to the others)."""
    from flows.core.identify import doc_id_for, sha256_of

    work = tmp_path_factory.mktemp("run")
    out = work / "out"
    out.mkdir()
    (out / doc_id_for(sha256_of(hostile_set / "blocked.pdf"))).write_text("in the way", encoding="utf-8")
    others = sorted(path for path in hostile_set.iterdir() if path.name != "blocked.pdf")
    completed = cli("run", str(hostile_set / "blocked.pdf"), *map(str, others), "--out", str(out), home=work)
    return completed, out


def test_rare_characters_beyond_the_bmp_come_through_whole(cli_run):
    completed, out = cli_run
    result = results_by_name(out).get("rare_characters.pdf")
    assert result is not None, completed.stderr[-3000:]
    assert result["document"]["status"] != "failed", result["document"]
    table = result["tables"][0]
    assert table["title"] == RARE_TITLE
    assert RARE_CELL in [cell["text"] for cell in table["cells"]]
    doc_dir = out / result["document"]["sha256"][:16]
    assert any(RARE_CELL in row for path in (doc_dir / "tables").glob("*.csv") for row in csv_rows(path))


def test_one_documents_failure_never_stops_the_others_of_a_run(cli_run, hostile_set):
    completed, out = cli_run
    results = results_by_name(out)
    assert set(results) == {path.name for path in hostile_set.iterdir()} - {"blocked.pdf"}, completed.stderr[-3000:]
    assert results["notes.pdf"]["document"]["error_kind"] == "bad_input"
    assert "blocked.pdf" in completed.stdout and "internal_error" in completed.stdout, completed.stdout
    assert completed.returncode == 1
    assert "Traceback" not in completed.stdout


def test_table_csvs_write_formula_text_inert_and_keep_numbers(cli_run):
    _, out = cli_run
    result = results_by_name(out)["injection.pdf"]
    assert result["tables"], result["document"]
    doc_dir = out / result["document"]["sha256"][:16]
    rows = [row for path in sorted((doc_dir / "tables").glob("*.csv")) for row in csv_rows(path)]
    cells = [cell for row in rows for cell in row]
    assert "'" + HYPERLINK in cells and "'=cmd|'/C calc'!A0" in cells and "'@SUM(1,2)" in cells
    assert "'=SUM(1,2)" in rows[0] and "'+1+2" in rows[0], rows[0]  # the header row too
    assert "-12.50" in cells  # a negative amount stays a number
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@")]


def test_workbook_holds_text_never_formulas(cli_run):
    from openpyxl import load_workbook

    _, out = cli_run
    result = results_by_name(out)["injection.pdf"]
    workbook = load_workbook(out / result["document"]["sha256"][:16] / "tables.xlsx")
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    assert {HYPERLINK, "=cmd|'/C calc'!A0", "=SUM(1,2)", "+1+2"} <= texts
    columns = {cell.value for row in workbook["columns"].iter_rows(min_row=2) for cell in row if cell.data_type == "s"}
    assert any("=SUM(1,2)" in text for text in columns), columns
    assert -12.5 in {cell.value for cell in cells if cell.data_type == "n"}


@pytest.fixture(scope="module")
def cli_batch(hostile_set, tmp_path_factory):
    """One ``batch`` over the hostile set, then ``export`` of its store as CSV."""
    work = tmp_path_factory.mktemp("batch")
    out = work / "out"
    completed = cli("batch", str(hostile_set), "--out", str(out), "--workers", "2", "--timeout", "300", home=work)
    exported = cli("export", "--out", str(out), "--format", "csv", home=work)
    return completed, exported, out


def test_export_writes_formula_text_inert(cli_batch):
    completed, exported, out = cli_batch
    assert exported.returncode == 0, exported.stderr[-3000:]
    rows = csv_rows(out / "values.csv")
    header, body = rows[0], rows[1:]
    names = [row[header.index("row_name")] for row in body]
    assert "'" + HYPERLINK in names and "'@SUM(1,2)" in names, (names, completed.stderr[-2000:])
    assert "-12.50" in [row[header.index("printed_value")] for row in body]
    assert not [cell for row in body for cell in row if cell[:1] in ("=", "+", "@")]


@pytest.mark.parametrize("name", ["q?mode=ro", "x%2F..%2F..%2Fescaped", "a b#c&d"])
def test_the_store_lands_in_the_output_folder_whatever_its_name(tmp_path, name):
    from flows.store import default_store_url, open_store

    out = tmp_path / "work" / name
    store = open_store(default_store_url(out))
    assert store.current_runs() == []
    assert sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*.sqlite")) == \
        [f"work/{name}/results.sqlite"]
    assert not (tmp_path / "work" / "q").exists() and not (tmp_path / "escaped").exists()


def test_review_accepts_document_ids_only(cli_run, tmp_path):
    _, out = cli_run
    doc_id = results_by_name(out)["notes.pdf"]["document"]["sha256"][:16]
    elsewhere = tmp_path / "other" / "out" / doc_id
    elsewhere.mkdir(parents=True)
    (elsewhere / "result.json").write_bytes((out / doc_id / "result.json").read_bytes())
    escape = os.path.relpath(elsewhere, out)
    refused = cli("review", escape, "--out", str(out), home=tmp_path)
    assert refused.returncode == 2 and "16 hex digits" in refused.stderr, refused.stderr[-2000:]
    assert not (elsewhere / "review.html").exists()
    accepted = cli("review", doc_id, "--out", str(out), home=tmp_path)
    assert accepted.returncode == 0 and Path(accepted.stdout.strip()) == out / doc_id / "review.html"


def test_outputs_keep_the_umasks_mode(cli_run):
    _, out = cli_run
    files = [path for path in out.rglob("*") if path.is_file() and path.suffix]  # not the test's own blocker
    kinds = {path.suffix for path in files}
    assert {".json", ".csv", ".xlsx", ".html"} <= kinds, kinds
    modes = {path.relative_to(out).as_posix(): oct(path.stat().st_mode & 0o777) for path in files}
    assert {name: mode for name, mode in modes.items() if mode != oct(0o666 & ~SHARED_UMASK)} == {}


def test_a_truncated_image_is_bad_input_not_a_page_without_tables(cli_run):
    _, out = cli_run
    document = results_by_name(out)["truncated.png"]["document"]
    assert (document["status"], document["error_kind"], document["stage"]) == ("failed", "bad_input", "rasterize")
    assert "truncated or unreadable" in document["error"]
    review = (out / document["sha256"][:16] / "review.html").read_text(encoding="utf-8")
    assert "--dpi 300" not in review


def test_bad_files_each_end_in_a_recorded_clear_reason(cli_run):
    _, out = cli_run
    results = results_by_name(out)
    reasons = {name: (results[name]["document"]["error_kind"], results[name]["document"]["error"]) for name in
               ("empty.pdf", "truncated.pdf", TRAVERSAL_NAME, "encrypted.pdf", "notes.pdf", "huge_header.png")}
    assert {kind for kind, _ in reasons.values()} == {"bad_input"}, reasons
    assert "empty" in reasons["empty.pdf"][1] and "password-protected" in reasons["encrypted.pdf"][1]
    assert "too large" in reasons["huge_header.png"][1]
    assert not [name for name, (_, message) in reasons.items() if "Traceback" in message or "\n" in message]


def test_an_image_over_the_pixel_cap_is_shrunk_with_a_page_note(tmp_path):
    from ocr.pages.rasterize import MAX_PAGE_SIDE_PX, iter_pages

    big = ruled_grid_png(tmp_path / "big_grid.png", (16000, 16000), step=400)
    assert big.stat().st_size < 2_000_000  # small on disk, 256 Mpx once decoded
    page = next(iter_pages(big, dpi=200))
    assert page.image.shape == (MAX_PAGE_SIDE_PX, MAX_PAGE_SIDE_PX)
    assert page.dpi == pytest.approx(200 * MAX_PAGE_SIDE_PX / 16000)
    assert "16000×16000" in page.note and f"{MAX_PAGE_SIDE_PX}px" in page.note
    assert page.image[MAX_PAGE_SIDE_PX // 2, :].min() < 128  # the rules survive the shrink


def test_a_local_dask_cluster_listens_on_this_machine_only():
    import psutil

    from flows.orchestration.runners import make_task_runner

    with make_task_runner("dask", 1) as runner:
        assert runner.client.dashboard_link.startswith("http://127.0.0.1:")
        processes = [psutil.Process(), *psutil.Process().children(recursive=True)]
        listening = {(conn.laddr.ip, conn.laddr.port) for process in processes
                     for conn in process.net_connections(kind="inet") if conn.status == psutil.CONN_LISTEN}  # fmt: skip
    assert listening and {ip for ip, _ in listening} <= {"127.0.0.1", "::1"}, listening


def hung_poppler(folder: Path) -> Path:
    """A bin folder whose pdfinfo and pdftoppm never answer (and note that they were asked)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("pdfinfo", "pdftoppm"):
        tool = folder / name
        tool.write_text(f"#!/bin/sh\necho {name} >> {folder / 'calls.log'}\nexec sleep 3600\n", encoding="utf-8")
        tool.chmod(0o755)
    return folder


def test_a_hung_pdfinfo_is_given_up_on(tmp_path, monkeypatch):
    from ocr.pages import rasterize
    from ocr.errors import BadInputError

    bin_dir = hung_poppler(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    monkeypatch.setattr(rasterize, "PDFINFO_TIMEOUT_S", 1)
    with pytest.raises(BadInputError, match="pdfinfo gave no answer"):
        rasterize.count_pages(draw_table(tmp_path / "table.pdf"))
    assert (bin_dir / "calls.log").read_text(encoding="utf-8").split() == ["pdfinfo"]


def test_a_hung_poppler_does_not_hang_the_batch_and_its_review_page_has_pictures(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    draw_table(archive / "table.pdf")  # read from its text layer; needs review (unmapped columns)
    bin_dir = hung_poppler(tmp_path / "bin")
    out = tmp_path / "out"
    completed = cli("batch", str(archive), "--out", str(out), "--workers", "1", "--timeout", "60", home=tmp_path,
                    path=f"{bin_dir}:{os.environ['PATH']}", timeout=240)  # fmt: skip
    result = results_by_name(out)["table.pdf"]["document"]
    assert result["status"] == "needs_review", (result, completed.stderr[-2000:])
    review = (out / result["sha256"][:16] / "review.html").read_text(encoding="utf-8")
    assert "data:image/jpeg;base64," in review
    assert not (bin_dir / "calls.log").exists()


def test_version_and_the_exit_code_table_are_documented(tmp_path):
    version = cli("--version", home=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("disclosure-ocr "), version.stderr
    helped = cli("--help", home=tmp_path)
    assert "69" in helped.stdout and "70" in helped.stdout


@pytest.mark.parametrize("command", ["failed", "export", "reprocess"])
def test_commands_that_read_a_store_refuse_a_folder_without_one(tmp_path, command):
    mistyped = tmp_path / "resluts"
    extra = ["--all-failed"] if command == "reprocess" else []
    completed = cli(command, "--out", str(mistyped), *extra, home=tmp_path)
    assert completed.returncode == 2 and "holds no results store" in completed.stderr, completed.stderr[-2000:]
    assert not mistyped.exists()


def test_a_refused_database_is_one_clear_line_and_its_own_exit_code(tmp_path):
    completed = cli("failed", "--store", "postgresql+psycopg://nobody:x@127.0.0.1:9/results", home=tmp_path)
    assert completed.returncode == 69, completed.stderr[-3000:]
    assert completed.stderr.count("\n") <= 2 and "Traceback" not in completed.stderr
    assert "results store cannot be reached" in completed.stderr and "Connection refused" in completed.stderr


def test_run_records_its_results_so_export_and_failed_work_after_it(cli_run, tmp_path):
    _, out = cli_run
    exported = cli("export", "--out", str(out), "--to", str(tmp_path / "values.csv"), home=tmp_path)
    assert exported.returncode == 0, exported.stderr[-2000:]
    rows = csv_rows(tmp_path / "values.csv")[1:]
    assert len(rows) > 10 and "wrote 0 values" not in exported.stderr
    listed = cli("failed", "--out", str(out), home=tmp_path)
    assert listed.returncode == 0 and "notes.pdf" in listed.stdout and "truncated.png" in listed.stdout


def test_a_cell_past_excels_limit_is_cut_and_says_so(cli_run, tmp_path):
    from openpyxl import load_workbook

    from flows.outputs.result_files import write_outputs
    from table_reconstruct.model import DocumentResult

    _, out = cli_run
    result = DocumentResult.model_validate(results_by_name(out)["injection.pdf"])
    cell = next(cell for cell in result.tables[0].cells if cell.row == result.tables[0].header_rows)
    cell.text = "很长的说明" * 8000  # 40,000 characters
    doc_dir = write_outputs(result, tmp_path)
    sheet = load_workbook(doc_dir / "tables.xlsx").worksheets[0]
    written = sheet.cell(row=cell.row + 1, column=cell.col + 1)
    assert len(written.value) == 32_767 and "32,767" in written.comment.text
    saved = json.loads((doc_dir / "result.json").read_text(encoding="utf-8"))
    cut = [item for item in saved["review_cells"] if "32,767" in item["reason"]]
    assert [(item["table"], item["row"], item["col"]) for item in cut] == [(0, cell.row, cell.col)]
    assert len(saved["tables"][0]["cells"][result.tables[0].cells.index(cell)]["text"]) == 40_000
    assert any(cell.text in row for path in (doc_dir / "tables").glob("*.csv") for row in csv_rows(path))


def test_batch_records_every_hostile_file_with_a_clear_outcome(cli_batch, hostile_set):
    from flows.store import default_store_url, open_store

    completed, _, out = cli_batch
    assert completed.returncode == 1, completed.stderr[-3000:]  # some documents failed, each recorded
    runs = {Path(run["source"]).name: run for run in open_store(default_store_url(out)).current_runs()}
    assert set(runs) == {path.name for path in hostile_set.iterdir()}  # nothing lost
    rare = runs["rare_characters.pdf"]
    assert (rare["status"], rare["attempts"]) == ("needs_review", 1), rare  # not an internal_error retried
    failed = {name: run for name, run in runs.items() if run["status"] == "failed"}
    assert {run["error_kind"] for run in failed.values()} == {"bad_input"}, failed
    assert set(failed) == {"truncated.pdf", TRAVERSAL_NAME, "empty.pdf", "encrypted.pdf", "notes.pdf",
                           "huge_header.png", "truncated.png"}  # fmt: skip
    assert not [run["error_message"] for run in failed.values() if "Traceback" in run["error_message"]]


def test_markup_and_traversal_in_names_and_titles_stay_inert(cli_run, cli_batch):
    for out in (cli_run[1], cli_batch[2]):
        pages = [out / "index.html", *out.glob("*/review.html")]
        assert len(pages) > 1
        for page in pages:
            html = page.read_text(encoding="utf-8")
            assert "<img src=x" not in html and "<script>alert" not in html and MARKUP_CELL not in html, page
        injection = results_by_name(out)["injection.pdf"]["document"]["sha256"][:16]
        assert "&lt;i&gt;合计&lt;/i&gt;" in (out / injection / "review.html").read_text(encoding="utf-8")
        written = [path.relative_to(out.parent) for path in out.parent.rglob("*") if "escaped" in path.name]
        assert written == []
    titles = [table["title"] for result in results_by_name(cli_run[1]).values() for table in result["tables"]]
    assert any("../../" in (title or "") for title in titles), titles  # read as printed, used as text only


def test_a_workers_crash_is_recorded_in_one_line():
    from flows.workers.worker import crash_message

    try:
        json.loads("{" * 3)
    except ValueError as exc:
        message = crash_message(exc)
    assert "\n" not in message and message.startswith("JSONDecodeError: ") and "decoder.py:" in message
