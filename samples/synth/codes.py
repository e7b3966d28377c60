"""Curated classification codes and row labels taken from real 红旗区 disclosures.

Bundled here (not read from shared/) so generation never depends on files
outside the repo. Sources: shared/classification/observed_function_codes.csv
and shared/reference/*.txt.
"""

from __future__ import annotations

from typing import Literal

Profile = Literal["basic", "project", "wages", "family"]

# 类 code -> (类 name, {款 code -> (款 name, {项 code -> 项 name})})
FUNCTION_TREE: dict[str, tuple[str, dict[str, tuple[str, dict[str, str]]]]] = {
    "201": ("一般公共服务支出", {
        "20103": ("政府办公厅（室）及相关机构事务", {
            "2010301": "行政运行",
            "2010302": "一般行政管理事务",
            "2010350": "事业运行",
            "2010399": "其他政府办公厅（室）及相关机构事务支出",
        }),
        "20106": ("财政事务", {
            "2010601": "行政运行",
            "2010602": "一般行政管理事务",
            "2010607": "信息化建设",
            "2010608": "财政委托业务支出",
        }),
        "20113": ("商贸事务", {
            "2011301": "行政运行",
            "2011302": "一般行政管理事务",
            "2011350": "事业运行",
            "2011399": "其他商贸事务支出",
        }),
    }),
    "208": ("社会保障和就业支出", {
        "20805": ("行政事业单位养老支出", {
            "2080501": "行政单位离退休",
            "2080502": "事业单位离退休",
            "2080505": "机关事业单位基本养老保险缴费支出",
            "2080506": "机关事业单位职业年金缴费支出",
        }),
    }),
    "210": ("卫生健康支出", {
        "21011": ("行政事业单位医疗", {
            "2101101": "行政单位医疗",
            "2101102": "事业单位医疗",
        }),
    }),
    "221": ("住房保障支出", {
        "22102": ("住房改革支出", {
            "2210201": "住房公积金",
            "2210203": "购房补贴",
        }),
    }),
}

# Which kind of money a 项 usually carries, by its name.
PROFILE_BY_NAME: dict[str, Profile] = {
    "行政运行": "basic",
    "事业运行": "basic",
    "行政单位离退休": "family",
    "事业单位离退休": "family",
    "机关事业单位基本养老保险缴费支出": "wages",
    "机关事业单位职业年金缴费支出": "wages",
    "行政单位医疗": "wages",
    "事业单位医疗": "wages",
    "住房公积金": "wages",
    "购房补贴": "wages",
}


def profile_of(name: str) -> Profile:
    """Spending profile of a 项; unknown names (事务, 其他…支出) are project money."""
    return PROFILE_BY_NAME.get(name, "project")


# 部门收支总体情况表, income side, in the order of the 2026 template.
INCOME_ITEMS: list[str] = [
    "一、一般公共预算",
    "其中：财政拨款",
    "二、政府性基金预算拨款收入",
    "三、国有资本经营预算拨款收入",
    "四、财政专户管理资金收入",
    "五、事业收入",
    "六、事业单位经营收入",
    "七、上级补助收入",
    "八、附属单位上缴收入",
    "九、其他收入",
]

# 部门收支总体情况表, expenditure side: 类 code -> label (template numbering skips 十八).
EXPENSE_ITEMS: list[tuple[str, str]] = [
    ("201", "一、一般公共服务"),
    ("202", "二、外交"),
    ("203", "三、国防"),
    ("204", "四、公共安全"),
    ("205", "五、教育"),
    ("206", "六、科学技术"),
    ("207", "七、文化旅游体育与传媒"),
    ("208", "八、社会保障和就业"),
    ("209", "九、社会保险基金支出"),
    ("210", "十、卫生健康"),
    ("211", "十一、节能环保"),
    ("212", "十二、城乡社区事务"),
    ("213", "十三、农林水事务"),
    ("214", "十四、交通运输"),
    ("215", "十五、资源勘探信息等"),
    ("216", "十六、商业服务业等"),
    ("217", "十七、金融支出"),
    ("219", "十九、援助其他地区支出"),
    ("220", "二十、自然资源海洋气象等支出"),
    ("221", "二十一、住房保障支出"),
]

DEPT_NAMES: list[str] = [
    "新乡市红旗区某某局",
    "新乡市红旗区工业和信息化局",
    "新乡市红旗区人民政府办公室",
    "新乡市红旗区财政局",
    "新乡市红旗区商务局",
]
