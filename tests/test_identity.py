"""Document identity read from real cover and title text, user corrections, and the real PDFs end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core.identity_overrides import identify_document
from flows.core.settings import Settings
from table_reconstruct.document.identity import PageText, apply_overrides, read_identity, region_of
from table_reconstruct.model import Table

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"


def cover(*lines: str, page: int = 1) -> PageText:
    return PageText(page, lines)


# Cover text exactly as the real documents' text layers give it (line breaks included).
REAL_COVERS = [
    (("上海市2026年市级单位预算", "预算单位：上海市中医文献馆"), ("上海市中医文献馆", "2026", "单位预算", "上海市", "省")),
    (("- 1 -", "北京市信访办公室部门 2026 年度部门预算", "信息公开", "目 录", "第一部分 2026 年度部门预算情况说明"),
     ("北京市信访办公室", "2026", "部门预算", "北京市", "省")),
    (("2026 年深圳市医疗保障局（本级）部", "门预算"), ("深圳市医疗保障局", "2026", "部门预算", "深圳市", "市")),
    (("2026年", "中国共产党广州市委员会宣传部部门预算"), ("中国共产党广州市委员会宣传部", "2026", "部门预算", "广州市", "市")),
    (("2026 年度 ", "无锡市住房和城乡建设局（本级） ", "单位预算公开"), ("无锡市住房和城乡建设局", "2026", "单位预算", "无锡市", "市")),
    (("2025 年度无锡市信访局部门预算公开",), ("无锡市信访局", "2025", "部门预算", "无锡市", "市")),
    (("杭州市公安局", "2026 年度部门预算"), ("杭州市公安局", "2026", "部门预算", "杭州市", "市")),
    (("— 1 —", "中共重庆市委宣传部", "2026 年部门预算情况说明", "一、单位基本情况"), ("中共重庆市委宣传部", "2026", "部门预算", "重庆市", "省")),
    (("江苏省2018年度", "省级部门预算公开报表", "部 门:中共江苏省委办公厅", " 江苏省财政厅印制"),
     ("中共江苏省委办公厅", "2018", "部门预算", "江苏省", "省")),
    (("2017 年度江苏省高级人民法院部门预算公开", "目 录"), ("江苏省高级人民法院", "2017", "部门预算", "江苏省", "省")),
]


@pytest.mark.parametrize("lines, expected", REAL_COVERS, ids=[c[1][0] for c in REAL_COVERS])
def test_real_covers_give_publisher_year_kind_and_region(lines, expected):
    identity = read_identity([cover(*lines)])
    got = tuple(identity.value(name) for name in ("department", "year", "kind", "region", "level"))
    assert got == expected
    assert identity.department.page == 1 and identity.department.set_by == "document"
    assert identity.year.text and identity.year.confidence > 0.5


def test_years_in_running_text_do_not_outvote_the_cover():
    body = [cover("2019年以来，我局持续推进…", "2022年完成了…", "对2023-2024年非密纸质档案进行整理", page=n) for n in range(3, 12)]
    identity = read_identity([cover("2026年", "广州市信访局部门预算"), *body])
    assert identity.value("year") == "2026"


def test_a_document_that_does_not_say_leaves_fields_empty():
    identity = read_identity([cover("预算01表 收支总表", "金额单位：万元", "项 目 预算数")])
    assert all(identity.value(name) is None for name in ("department", "region", "level", "year", "kind"))


def test_an_image_cover_is_made_up_by_an_attachment_line_further_on():
    pages = [cover("- 1", "-"), cover("目 录", "第二部分 2019 年度部门预算表", page=2),
             cover("附件：江苏省政协办公厅 2019 年度部门预算公开表", page=18)]
    identity = read_identity(pages)
    assert (identity.value("department"), identity.value("year"), identity.value("kind")) == ("江苏省政协办公厅", "2019", "部门预算")
    assert identity.department.page == 18


def test_tables_only_documents_take_kind_from_captions_and_titles():
    tables = [Table(title="收支预算总表", department="中共江苏省委办公厅", pages=[1]),
              Table(title="2019年政府采购预算表", department="中共江苏省委办公厅", pages=[12])]
    identity = read_identity([cover("公开表一", "部门：中共江苏省委办公厅 单位：万元")], tables)
    assert (identity.value("department"), identity.value("year"), identity.value("kind")) == ("中共江苏省委办公厅", "2019", "部门预算")
    assert identity.kind.confidence < identity.department.confidence  # inferred, and says so


@pytest.mark.parametrize("name, region, level", [
    ("上海市普陀区财政局", "上海市普陀区", "区县"),
    ("江苏省人民检察院", "江苏省", "省"),
    ("苏州市自然资源和规划局", "苏州市", "市"),
    ("无锡市城市管理和综合执法局", "无锡市", "市"),
    ("南京市鼓楼区教育局", "南京市鼓楼区", "区县"),
    ("新乡市红旗区商务局", "新乡市红旗区", "区县"),
    ("西藏自治区拉萨市城关区教育局", "西藏自治区拉萨市城关区", "区县"),
    ("呼和浩特市新城区卫生健康委员会", "呼和浩特市新城区", "区县"),
    ("昆山市周市镇人民政府", "昆山市", "市"),
    ("长沙职业教育基地综合协调办公室", None, None),
])
def test_region_and_level_from_the_publisher(name, region, level):
    assert region_of(name) == (region, level)


def test_user_values_win_and_say_who_set_them():
    identity = read_identity([cover("2026年", "广州市信访局部门预算")])
    fixed = apply_overrides(identity, {"department": "上海市普陀区信访办", "year": 2025}, "user:option")
    assert (fixed.value("department"), fixed.value("year"), fixed.value("region"), fixed.value("level")) == \
        ("上海市普陀区信访办", "2025", "上海市普陀区", "区县")
    assert fixed.department.set_by == fixed.region.set_by == "user:option"
    assert fixed.kind.set_by == "document"
    with pytest.raises(ValueError, match="four-digit"):
        apply_overrides(identity, {"year": "26"}, "user:option")
    with pytest.raises(ValueError, match="unknown identity field"):
        apply_overrides(identity, {"dept": "x"}, "user:option")


def test_sidecar_and_archive_csv_in_order_of_precedence(tmp_path):
    pdf = tmp_path / "archive" / "2026" / "doc.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.4")
    (tmp_path / "archive" / "identity.csv").write_text(
        "file,department,year,kind\n2026/doc.pdf,杭州市司法局,2026,部门决算\nother.pdf,x局,2020,\n", encoding="utf-8")
    pages = [cover("2026年", "广州市信访局部门预算")]
    from_csv = identify_document(pdf, pages, [], Settings())
    assert (from_csv.value("department"), from_csv.value("kind")) == ("杭州市司法局", "部门决算")
    assert from_csv.kind.set_by.startswith("user:csv:")
    pdf.with_name("doc.pdf.identity.yaml").write_text("kind: 部门预算\nregion: 杭州市\n", encoding="utf-8")
    with_sidecar = identify_document(pdf, pages, [], Settings(identity={"year": "2027"}))
    assert (with_sidecar.value("kind"), with_sidecar.kind.set_by) == ("部门预算", "user:sidecar:doc.pdf.identity.yaml")
    assert (with_sidecar.value("year"), with_sidecar.year.set_by) == ("2027", "user:option")
    assert with_sidecar.value("department") == "杭州市司法局"


def test_a_bad_sidecar_fails_its_document_with_the_reason(tmp_path):
    from flows.core.pipeline import process_file

    from .conftest import make_pdf_page

    pdf = make_pdf_page(tmp_path / "letter.pdf")
    pdf.with_name("letter.pdf.identity.yaml").write_text("year: soon\n", encoding="utf-8")
    result = process_file(pdf)
    assert result.document.status.value == "failed"
    assert "identity: year must be a four-digit year" in result.document.error


@pytest.mark.skipif(not (REAL / "cities").is_dir(), reason="the real disclosures (../shared/real) are not here")
def test_a_real_budget_end_to_end_into_the_panel(tmp_path):
    """The born-digital path over a real city budget, its run recorded, the panel exported with its identity."""
    import csv
    import uuid
    from datetime import datetime, timezone

    from flows.outputs.panel_export import export_values
    from flows.outputs.result_files import RESULT_FILE, write_outputs
    from flows.core.pipeline import process_file
    from flows.store import RunRecord, default_store_url, open_store

    pdf = REAL / "cities" / "广州-28.pdf"
    result = process_file(pdf)
    assert (result.identity.value("department"), result.identity.value("year"), result.identity.value("kind")) == \
        ("广州市气象局", "2026", "部门预算")
    out = tmp_path / "out"
    doc_dir = write_outputs(result, out)
    now = datetime.now(timezone.utc)
    store = open_store(default_store_url(out))
    store.record_run(result, RunRecord(uuid.uuid4().hex, str(pdf), pdf.stat().st_size, Settings().fingerprint(),
                                       "batch", now, now, 1, str(doc_dir / RESULT_FILE)))
    count = export_values(store, out / "panel.csv", "csv")
    with (out / "panel.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert count == len(rows) > 100
    assert {(r["region"], r["level"], r["department"], r["year"], r["kind"]) for r in rows} == \
        {("广州市", "市", "广州市气象局", "2026", "部门预算")}
    assert {r["has_row_code"] for r in rows} == {"True", "False"}  # rows without a code are kept, and marked


# Cover lines in the shapes other regions print (决算, 单位决算, 整体绩效, counties), none of them from this repo's
# material: the patterns are general (name + year + kind), not per city.
OTHER_COVERS = [
    (("成都市武侯区财政局", "2024年部门决算"), ("成都市武侯区财政局", "2024", "部门决算", "成都市武侯区", "区县")),
    (("2023年度", "西藏自治区拉萨市城关区教育局", "单位决算公开"), ("西藏自治区拉萨市城关区教育局", "2023", "单位决算", "西藏自治区拉萨市城关区", "区县")),
    (("郑州市金水区人民政府办公室", "2022 年度部门整体绩效自评报告"), ("郑州市金水区人民政府办公室", "2022", "整体绩效", "郑州市金水区", "区县")),
    (("青岛市", "2024年度市级部门预算", "部门名称：青岛市教育局"), ("青岛市教育局", "2024", "部门预算", "青岛市", "市")),
]


@pytest.mark.parametrize("lines, expected", OTHER_COVERS, ids=[c[1][0] for c in OTHER_COVERS])
def test_covers_of_other_regions_and_kinds(lines, expected):
    identity = read_identity([cover(*lines)])
    assert tuple(identity.value(name) for name in ("department", "year", "kind", "region", "level")) == expected


@pytest.mark.skipif(not (REAL / "jiangsu").is_dir(), reason="the real disclosures (../shared/real) are not here")
def test_codes_under_a_merged_code_and_name_header_are_codes_not_amounts():
    """江苏 2019: "功能科目代码功能科目名称" spans the code and the name column; the codes (204, 20404 …) were
    read as amounts of 204 万元. They are the rows' codes, and the total row keeps its name."""
    from flows.core.pipeline import process_file
    from flows.store.tidy import tidy_rows

    result = process_file(REAL / "jiangsu" / "江苏省人民检察院__2019年度部门预算公开.pdf", Settings(pages="16"))
    table = next(t for t in result.tables if t.form == "fiscal_expenditure")
    rows = [r for r in tidy_rows(result, result.tables.index(table), 2019, {}) if r["value"] is not None]
    assert rows and all(r["column_index"] == 2 for r in rows)  # the amounts only, no code read as one
    by_code = {r["row_code"]: r["row_name"] for r in rows}
    assert by_code["204"] == "公共安全支出" and by_code["2040401"] == "行政运行"
    assert by_code[None] == "合计" and all(code is None or code.isdigit() for code in by_code)


def test_reprocess_keeps_earlier_identity_fields_and_adds_the_new(tmp_path):
    """`reprocess --kind …` after `batch --year …`: the document is redone with both, each recorded as set by the user."""
    import json
    from datetime import datetime, timezone

    from flows.orchestration.archive_flow import reprocess_job
    from flows.core.identify import doc_id_for, sha256_of
    from flows.store import RunRecord, default_store_url, open_store
    from table_reconstruct.model import DocumentInfo, DocumentResult

    from .conftest import make_pdf_page

    pdf = make_pdf_page(tmp_path / "doc.pdf")
    settings = Settings(identity={"year": "2025"})
    result = DocumentResult(document=DocumentInfo(source=str(pdf), sha256=sha256_of(pdf), settings=settings.as_dict()))
    (tmp_path / "result.json").write_text(result.model_dump_json(), encoding="utf-8")
    now = datetime.now(timezone.utc)
    url = default_store_url(tmp_path)
    open_store(url).record_run(result, RunRecord("r1", str(pdf), pdf.stat().st_size, settings.fingerprint(), "batch",
                                                 now, now, 1, str(tmp_path / "result.json")))
    job = reprocess_job(doc_id_for(sha256_of(pdf)), str(tmp_path), {"identity": {"kind": "部门决算"}, "dpi": None}, 60.0, url)
    assert job.settings.identity == {"year": "2025", "kind": "部门决算"}
    assert json.loads(json.dumps(job.settings.as_dict()))["identity"] == {"year": "2025", "kind": "部门决算"}


@pytest.mark.slow
def test_a_scanned_cover_is_ocrd_for_its_identity(tmp_path):
    """A scan (image only, no text layer) of a cover page: the real OCR reads publisher, year and kind from it."""
    from PIL import Image, ImageDraw

    from flows.core.pipeline import process_file
    from samples.synth.fonts import FontSet
    from samples.synth.pdf import write_image_pdf

    dpi, fonts = 150, FontSet()
    page = Image.new("L", (int(8.27 * dpi), int(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(page)
    for y, text, size in ((500, "成都市武侯区财政局", 64), (620, "2024年部门决算", 64), (1400, "二〇二五年六月", 36)):
        draw.text((page.width // 2, y), text, font=fonts.pil(size, True), fill=0, anchor="mm")
    pdf = tmp_path / "scan.pdf"
    write_image_pdf([page], dpi, pdf)
    result = process_file(pdf)
    assert result.document.status.value == "failed"  # a cover alone holds no table …
    identity = result.identity  # … but says whose it is
    assert (identity.value("department"), identity.value("year"), identity.value("kind")) == ("成都市武侯区财政局", "2024", "部门决算")
    assert identity.department.page == 1 and result.document.page_notes[0].text_source == "ocr"


def test_publisher_from_a_cell_pair_and_ocr_noise_before_a_name():
    from table_reconstruct.model import Cell

    table = Table(title="部门整体支出绩效目标表", pages=[17], n_rows=2, n_cols=4,
                  cells=[Cell(row=1, col=0, text="部门名称"), Cell(row=1, col=1, text="北京市审计局"), Cell(row=1, col=2, text="")])
    identity = read_identity([cover("预算01表 收支总表")], [table])
    assert (identity.value("department"), identity.department.page) == ("北京市审计局", 17)
    noisy = read_identity([cover("公公公公公公公公江苏省人民检察院", "2017 年部门预算")])
    assert noisy.value("department") == "江苏省人民检察院"
