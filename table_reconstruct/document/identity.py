"""Who published a document, for which fiscal year, and what kind it is, read from its own text.

Pure functions over the page text the pipeline already has (text-layer
lines, an OCR'd cover, table titles and 部门/单位 captions). The publisher,
year and kind are read from *title phrases*: an organisation name next to a
"20xx年(度)" and a 预算/决算 word ("2026年广州市信访局部门预算",
"杭州市公安局 / 2026年度部门预算"), or from a caption ("预算单位：…",
"部门名称 …"). A year in running text ("2019年以来…") is no title phrase
and never votes. Phrases on the cover weigh most. Nothing is read from the
file name: where the document does not say, the field stays empty.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

from table_reconstruct.model import DocumentIdentity, IdentityField, Table

DOCUMENT = "document"
_CJK = "\u4e00-\u9fff"
# An organisation name: Chinese characters and the full-width brackets of "（本级）" or "办公厅（室）".
_ORG = rf"[{_CJK}（）]"
_YEAR = r"((?:19|20)\d{2})年度?"
_KIND = r"(部门|单位)?(预算|决算|整体绩效|绩效自评|绩效评价)"
# "北京市生态环境局2026年度部门预算" (name, year, kind) and "2026年深圳市信访局部门预算" (year, name, kind).
_NAME_YEAR_KIND = re.compile(rf"({_ORG}{{2,40}}){_YEAR}{_KIND}")
_YEAR_NAME_KIND = re.compile(rf"{_YEAR}({_ORG}{{2,40}}?){_KIND}")
_YEAR_KIND = re.compile(rf"{_YEAR}{_KIND}")
# Captions naming the publisher: "预算单位：…", "部门：…", "部门名称：…", "编制单位：…" (a colon or a cell gap).
_CAPTION = re.compile(rf"(部门名称|单位名称|预算单位|编制单位|编报单位|部门|单位)[:：]\s*({_ORG}{{4,40}})")
_CELL_CAPTION = re.compile(rf"^(部门名称|单位名称|预算单位名称)\s*({_ORG}{{4,40}})$")
_CELL_LABEL = re.compile(r"^(部门名称|单位名称|预算单位名称|预算部门)[:：]?$")
_KIND_WORD = re.compile(r"(部门|单位)(预算|决算)")
# A region named before the year ("上海市2026年市级单位预算").
_REGION_YEAR = re.compile(rf"([{_CJK}]{{2,12}}){_YEAR}")
_WHAT = re.compile(r"(预算|决算)")
# How an organisation's name ends (局, 委员会, 办公厅, 人民法院, 学院, 中心 …).
_ORG_END = re.compile(r"(局|委员会|委|厅|办公室|办|院|部|中心|会|所|站|馆|队|校|学院|大学|室|处|社|台|团|政府|公司|署|基地|集团|协会|联合会|党校)$")
_PARTY = re.compile(r"^(中国共产党|中共)")
_SCOPE = re.compile(r"（本级）$")
_REPEATED_FRONT = re.compile(r"^(.)\1{2,}")
_PROVINCE = re.compile(rf"^([{_CJK}]{{2,7}}?(?:省|自治区))")
_MUNICIPALITY = re.compile(r"^(北京市|上海市|天津市|重庆市)")
_CITY = re.compile(rf"^([{_CJK}]{{2,5}}?(?:市|自治州|地区|盟))")
# Tried in this order: 区/县 first, so 红旗区 is not cut at its 旗.
_COUNTIES = tuple(re.compile(rf"^([{_CJK}]{{1,6}}?{suffix})") for suffix in ("(?:区|县)", "旗", "市"))
# Words that make a "…区/…市" the inside of an organisation's name, not a county (城市管理局, 社区, 园区).
_COUNTY_WORDS = re.compile(r"(管理|规划|城市|城乡|市场|社区|地区|园区)")
# Weight of a phrase by where it stands: the cover outweighs a running header, which outweighs the body.
COVER_WEIGHT, FRONT_WEIGHT, BODY_WEIGHT, TITLE_WEIGHT = 4.0, 2.0, 1.0, 0.5
FRONT_PAGES = 3
# A phrase spread over wrapped lines ("2026年深圳市医疗保障局（本级）部" + "门预算") is read joined.
JOINED_LINES = 3


@dataclass(frozen=True)
class PageText:
    """The text lines of one page, top to bottom, as the pipeline read them."""

    page: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Clue:
    """One reading of a field, with where it was read and how much its place counts."""

    field: str
    value: str
    page: int
    text: str
    weight: float


def normalize(text: str) -> str:
    """NFKC (full-width digits and colons become ASCII), whitespace dropped, brackets full-width."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def clean_org(name: str) -> str | None:
    """The organisation as printed, without a trailing 部门/单位 word or "（本级）"; None when it is no name.

    A character repeated three times or more in a row ("公公公公江苏省…", a seal or an ornament
    read by OCR) is no part of a name and is dropped from its front.
    """
    name = _REPEATED_FRONT.sub("", _SCOPE.sub("", name))
    name = re.sub(r"(部门|单位)$", "", name)
    name = re.sub(r"^(附件|关于|公开|编制)", "", name)
    if len(name) < 3 or not _ORG_END.search(name) or is_region_only(name):
        return None
    if re.search(r"(第[一二三四五六七八九十]+部分|目录|情况|说明|关于|纳入|本部门|本单位|预算)", name):
        return None
    return name


def is_region_only(name: str) -> bool:
    region, _ = region_of(name)
    return bool(region) and region == name


def region_of(name: str) -> tuple[str | None, str | None]:
    """(region, level) at the start of an organisation's name: 上海市普陀区 → (上海市普陀区, 区县).

    Level is the tier of government: 省 (a province, autonomous region or
    municipality such as 上海市), 市, or 区县.
    """
    rest = _PARTY.sub("", name)
    region, level = "", None
    province = _PROVINCE.match(rest) or _MUNICIPALITY.match(rest)
    if province:
        region, level, rest = province.group(1), "省", rest[province.end():]
    if not _MUNICIPALITY.match(region or "-"):
        city = _CITY.match(rest)
        if city and not _COUNTY_WORDS.search(city.group(1)):
            region, level, rest = region + city.group(1), "市", rest[city.end():]
    if level is not None:
        county = next((m for m in (pattern.match(rest) for pattern in _COUNTIES) if m), None)
        after = rest[len(county.group(1)):] if county else ""
        if county and not _COUNTY_WORDS.search(county.group(1)) and after and not after.startswith(("镇", "乡", "街道")):
            region, level = region + county.group(1), "区县"
    return (region or None), level


def kind_of(unit_word: str | None, what: str) -> str | None:
    """部门预算, 单位决算 …; a bare 预算/决算 ("XX预算公开") is not enough to say which."""
    if what in ("整体绩效", "绩效自评", "绩效评价"):
        return f"{unit_word or '部门'}{what}" if what != "整体绩效" else "整体绩效"
    return f"{unit_word}{what}" if unit_word else None


def phrase_clues(text: str, page: int, weight: float) -> list[Clue]:
    """Clues from one (joined) line: title phrases and captions."""
    clues: list[Clue] = []
    for pattern, org_group, year_group, unit_group in ((_NAME_YEAR_KIND, 1, 2, 3), (_YEAR_NAME_KIND, 2, 1, 3)):
        for match in pattern.finditer(text):
            org = clean_org(match.group(org_group))
            kind = kind_of(match.group(unit_group), match.group(unit_group + 1))
            clues.append(Clue("year", match.group(year_group), page, match.group(0), weight))
            if org:
                clues.append(Clue("department", org, page, match.group(0), weight))
            if kind:
                clues.append(Clue("kind", kind, page, match.group(0), weight))
            elif match.group(unit_group + 1) in ("预算", "决算"):
                clues.append(Clue("what", match.group(unit_group + 1), page, match.group(0), weight))
            region = match.group(org_group)
            if is_region_only(region):
                clues.append(Clue("region", region, page, match.group(0), weight))
    if not clues:
        for match in _YEAR_KIND.finditer(text):
            clues.append(Clue("year", match.group(1), page, match.group(0), weight / 2))
            kind = kind_of(match.group(2), match.group(3))
            if kind:
                clues.append(Clue("kind", kind, page, match.group(0), weight / 2))
    for match in _REGION_YEAR.finditer(text):
        if is_region_only(match.group(1)):
            clues.append(Clue("region", match.group(1), page, match.group(0), weight))
    for pattern in (_CAPTION, _CELL_CAPTION):
        for match in pattern.finditer(text):
            org = clean_org(match.group(2))
            if org:
                clues.append(Clue("caption", org, page, match.group(0), weight))
                # 部门名称 / 部门： speaks for a department, 单位名称 / 预算单位： for a unit.
                label = "单位" if match.group(1).startswith(("单位", "预算单位")) else "部门"
                clues.append(Clue("label", label, page, match.group(0), weight))
    return clues


def page_clues(page: PageText, cover_page: int) -> list[Clue]:
    """Clues of a page, reading each line alone and joined with the next lines (wrapped titles)."""
    lines = [normalize(line) for line in page.lines]
    lines = [line for line in lines if line]
    if page.page == cover_page:
        weight = COVER_WEIGHT
    elif page.page < cover_page + FRONT_PAGES:
        weight = FRONT_WEIGHT
    else:
        weight = BODY_WEIGHT
    seen: set[tuple[str, str, str]] = set()
    clues: list[Clue] = []
    for start in range(len(lines)):
        for size in range(1, min(JOINED_LINES, len(lines) - start) + 1):
            for clue in phrase_clues("".join(lines[start:start + size]), page.page, weight):
                # The same phrase read again inside a longer window of lines counts once.
                if (clue.field, clue.value, clue.text) not in seen:
                    seen.add((clue.field, clue.value, clue.text))
                    clues.append(clue)
    return clues


def table_clues(tables: Sequence[Table]) -> list[Clue]:
    """Titles ("2026年部门收支总体情况表") and 部门/单位 captions of the tables."""
    clues: list[Clue] = []
    for table in tables:
        page = table.pages[0] if table.pages else 0
        if table.title:
            clues += phrase_clues(normalize(table.title), page, TITLE_WEIGHT)
            what = _WHAT.search(normalize(table.title))
            if what:
                clues.append(Clue("title_what", what.group(1), page, table.title, TITLE_WEIGHT))
            year = re.search(_YEAR, normalize(table.title))
            if year and not any(c.field == "year" and c.text in normalize(table.title) for c in clues):
                clues.append(Clue("year", year.group(1), page, table.title, TITLE_WEIGHT / 2))
        clues += cell_caption_clues(table, page)
        if table.department:
            org = clean_org(normalize(table.department))
            if org:
                clues.append(Clue("caption", org, page, table.department, TITLE_WEIGHT))
    return clues


def cell_caption_clues(table: Table, page: int) -> list[Clue]:
    """A "部门名称 | 北京市审计局" pair of cells (performance tables print the publisher so)."""
    texts: dict[int, dict[int, str]] = defaultdict(dict)
    for cell in table.cells:
        texts[cell.row][cell.col] = normalize(cell.text)
    clues = []
    for row in texts.values():
        cols = sorted(c for c in row if row[c])
        for left, right in zip(cols, cols[1:]):
            match = _CELL_LABEL.match(row[left])
            org = clean_org(row[right]) if match else None
            if org:
                label = "单位" if match.group(1).startswith("单位") else "部门"
                clues.append(Clue("caption", org, page, f"{row[left]} {row[right]}", TITLE_WEIGHT))
                clues.append(Clue("label", label, page, f"{row[left]} {row[right]}", TITLE_WEIGHT))
    return clues


def best(clues: Iterable[Clue], field: str) -> IdentityField | None:
    """The value with the most weight; its strongest clue says where it was read."""
    totals: dict[str, float] = defaultdict(float)
    strongest: dict[str, Clue] = {}
    for clue in clues:
        if clue.field != field:
            continue
        totals[clue.value] += clue.weight
        if clue.value not in strongest or clue.weight > strongest[clue.value].weight:
            strongest[clue.value] = clue
    if not totals:
        return None
    value = max(totals, key=lambda v: (totals[v], strongest[v].weight, -strongest[v].page))
    share = totals[value] / sum(totals.values())
    clue = strongest[value]
    confidence = round(min(1.0, 0.5 + 0.5 * share) * (1.0 if clue.weight >= FRONT_WEIGHT else 0.8), 3)
    return IdentityField(value=value, page=clue.page or None, text=clue.text, confidence=confidence, set_by=DOCUMENT)


def cover_page_of(pages: Sequence[PageText]) -> int:
    """The first page with any text (a blank front page or a bare page number is no cover)."""
    for page in pages:
        if sum(len(normalize(line)) for line in page.lines) >= 4:
            return page.page
    return pages[0].page if pages else 1


def read_identity(pages: Sequence[PageText], tables: Sequence[Table] = ()) -> DocumentIdentity:
    """The document's identity from its page text and tables; fields the document does not state stay None."""
    cover = cover_page_of(pages)
    clues = [clue for page in pages for clue in page_clues(page, cover)] + table_clues(tables)
    department = best(clues, "department")
    caption = best(clues, "caption")
    # A cover that names only a region ("上海市2026年市级单位预算") leaves the publisher to its caption.
    if department is None or (caption is not None and caption.page == cover and department.page != cover):
        department = caption
    kind = best(clues, "kind") or _kind_from_mentions(pages, cover, clues) or _kind_from_captions(clues)
    region = level = None
    if department is not None:
        name, level_value = region_of(department.value)
        if name:
            region = department.model_copy(update={"value": name})
            level = department.model_copy(update={"value": level_value})
    if region is None:
        region = best(clues, "region")
        if region is not None:
            level = region.model_copy(update={"value": region_of(region.value)[1]})
    return DocumentIdentity(department=department, region=region, level=level, year=best(clues, "year"), kind=kind)


def _kind_from_mentions(pages: Sequence[PageText], cover: int, clues: list[Clue]) -> IdentityField | None:
    """A title saying only "预算公开": which kind the front pages speak of (部门预算表, 部门概况 …)."""
    what = best(clues, "what")
    if what is None:
        return None
    mentions = [
        Clue("kind", m.group(1) + m.group(2), page.page, m.group(0), 1.0)
        for page in pages
        if page.page < cover + FRONT_PAGES
        for line in page.lines
        for m in _KIND_WORD.finditer(normalize(line))
        if m.group(2) == what.value
    ]
    found = best(mentions, "kind")
    if found is not None:
        found.confidence = round(found.confidence * 0.8, 3)
    return found


def _kind_from_captions(clues: list[Clue]) -> IdentityField | None:
    """Tables-only documents: 部门：/单位名称 captions say whose, the titles (收支预算总表) say 预算 or 决算."""
    label, what = best(clues, "label"), best(clues, "title_what")
    if label is None or what is None:
        return None
    return IdentityField(value=label.value + what.value, page=label.page, text=f"{label.text} | {what.text}",
                         confidence=round(0.6 * min(label.confidence, what.confidence), 3), set_by=DOCUMENT)


def apply_overrides(identity: DocumentIdentity, values: dict, set_by: str) -> DocumentIdentity:
    """``identity`` with the fields in ``values`` set by a user (``set_by`` says how); empty values are ignored.

    Setting ``department`` without ``region`` re-derives region and level from the new name,
    unless those were themselves set by a user.
    """
    unknown = set(values) - set(DocumentIdentity.FIELDS)
    if unknown:
        raise ValueError(f"unknown identity field(s) {', '.join(sorted(unknown))}: use {', '.join(DocumentIdentity.FIELDS)}")
    updated = identity.model_copy(deep=True)
    for name, value in values.items():
        text = str(value).strip() if value is not None else ""
        if not text:
            continue
        if name == "year" and not re.fullmatch(r"(19|20)\d{2}", text):
            raise ValueError(f"year must be a four-digit year, not {text!r}")
        setattr(updated, name, IdentityField(value=text, confidence=1.0, set_by=set_by))
    department = values.get("department")
    if department and not values.get("region"):
        region, level = region_of(str(department).strip())
        for name, found in (("region", region), ("level", level)):
            current = getattr(updated, name)
            if current is None or current.set_by == DOCUMENT:
                setattr(updated, name, IdentityField(value=found, confidence=1.0, set_by=set_by) if found else None)
    return updated
