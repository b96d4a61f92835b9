"""The registry import template (户籍导入模板): one row per person, household columns on every row.

This module is the contract between the importer, the template writer (``jingzhun registry template``)
and the synthetic county generator (``jingzhun synth``). It is pure: no Django imports.

Rules a cadre reads in the template's 说明 sheet:

* One row per person (一人一行). Rows with the same 户编号 form one household.
* Household columns (户信息) are read from the head's row (与户主关系 = 户主); on other rows of the
  household they may be left blank, and where filled they must equal the head's row.
* Yes/no columns take 是/否. Multi-value columns separate values with 、 (or , ; ，；).
* Money columns are yuan per year, up to two decimals, never negative.
* 转移性收入 excludes the 低保/特困/救助 payments this system makes (they are not counted as income).
* A person's own income source (POLICY.md §1 ``income_source``) is derived: any of 工资性收入,
  种养殖收入, 经营性收入 or 财产性收入 above zero. The household's ``annual_income`` is the sum of all
  five income columns over its members.
* ``registered_poor`` (建档立卡) is true when 建档立卡年份 is filled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["str", "int", "decimal", "date", "bool", "enum", "multi_enum", "id_number", "region"]
Level = Literal["household", "person"]

YES_NO = {"是": True, "否": False}

AREA = {"农村": "rural", "城镇": "urban"}
# POLICY.md §8's four statuses; the old labels (识别/帮扶 → 未脱贫, 已脱贫/监测 → 已脱贫（享受政策）) are still
# read so that older templates import (监测 alone does not mark the household a 监测对象: that is the
# 「监测对象」 column). Half-width brackets are accepted too.
HOUSEHOLD_STATUS = {
    "未脱贫": "not_exited",
    "已脱贫（享受政策）": "exited_supported",
    "返贫": "returned",
    "已脱贫（不再享受政策）": "exited_closed",
}
HOUSEHOLD_STATUS_ALIASES = {
    "已脱贫(享受政策)": "exited_supported",
    "已脱贫(不再享受政策)": "exited_closed",
    "识别": "not_exited",
    "帮扶": "not_exited",
    "已脱贫": "exited_supported",
    "监测": "exited_supported",
}
POVERTY_CAUSE = {
    "因病": "illness",
    "因残": "disability",
    "因学": "schooling",
    "因灾": "disaster",
    "缺土地": "lack_land",
    "缺水": "lack_water",
    "缺技术": "lack_technology",
    "缺劳力": "lack_labour",
    "缺资金": "lack_capital",
    "交通条件落后": "transport",
    "自身发展动力不足": "own_motivation",
}
HOUSING_GRADE = {"A": "A", "B": "B", "C": "C", "D": "D"}  # 住房安全鉴定等级; C and D are 危房
DISQUALIFIED = {
    "车辆": "vehicle",
    "经营实体": "business",
    "公职人员": "civil_servant",
    "商品房": "commercial_housing",
    "大额存款": "large_deposit",
}
RELATION = {
    "户主": "head",
    "配偶": "spouse",
    "子女": "child",
    "儿媳": "daughter_in_law",
    "女婿": "son_in_law",
    "孙子女": "grandchild",
    "父母": "parent",
    "祖父母": "grandparent",
    "兄弟姐妹": "sibling",
    "其他": "other",
}
SEX = {"男": "M", "女": "F"}
DISABILITY_CATEGORY = {
    "视力": "visual",
    "听力": "hearing",
    "言语": "speech",
    "肢体": "physical",
    "智力": "intellectual",
    "精神": "mental",
    "多重": "multiple",
}
SELF_CARE = {"全自理": "full", "半自理": "partial", "全护理": "none"}
LABOUR = {"有劳动力": "full", "弱劳动力": "partial", "无劳动力": "none"}
STUDENT = {
    "非在校": "none",
    "学前": "preschool",
    "义务教育": "compulsory",
    "高中阶段": "senior",
    "大专及以上": "college",
}
CARE_SETTING = {"分散供养": "home", "集中供养": "institution"}


@dataclass(frozen=True)
class Column:
    header: str  # the Chinese header in row 1 of the sheet
    key: str  # the English field key (shown in brackets in error messages)
    level: Level
    kind: Kind
    required: bool = False
    choices: Mapping[str, object] = field(default_factory=dict)
    help: str = ""
    # A column added after the first template (the exit document's facts, POLICY.md §8): an older file
    # without it still imports, the field left empty (= 未知, which the exit check reports as 未填写).
    optional: bool = False
    # Further labels read on import but not offered by the template (older files' labels).
    aliases: Mapping[str, object] = field(default_factory=dict)


H: Level = "household"
P: Level = "person"

COLUMNS: tuple[Column, ...] = (
    # 户信息 (household)
    Column("户编号", "household_no", H, "str", True, help="本文件内唯一的户编号，同户成员相同"),
    Column("村代码", "village_code", H, "region", True, help="12 位村级区划代码"),
    Column("地址", "address", H, "str", True),
    Column("城乡类别", "area", H, "enum", True, AREA),
    Column("建档立卡年份", "registered_year", H, "int", help="空 = 非建档立卡户"),
    Column(
        "户状态", "status", H, "enum", choices=HOUSEHOLD_STATUS, help="建档立卡户必填", aliases=HOUSEHOLD_STATUS_ALIASES
    ),
    Column("状态日期", "status_date", H, "date", help="当前状态开始日期，YYYY-MM-DD"),
    Column("致贫原因", "poverty_causes", H, "multi_enum", choices=POVERTY_CAUSE, help="可多选，用、分隔"),
    Column("住房安全等级", "housing_grade", H, "enum", True, HOUSING_GRADE, help="A/B/C/D，C、D 为危房"),
    Column("住房面积", "housing_area", H, "decimal", help="平方米"),
    Column("饮水安全", "water_safe", H, "bool", True, YES_NO),
    Column("边缘易致贫户", "marginal", H, "bool", choices=YES_NO, help="非建档立卡、收入略高于标准的农户填 是"),
    Column(
        "监测对象",
        "monitored",
        H,
        "bool",
        choices=YES_NO,
        help="返贫预警监测对象（脱贫不稳定户、边缘易致贫户）填 是",
        optional=True,
    ),
    Column("开户银行", "bank_name", H, "str"),
    Column("银行账号", "bank_account", H, "str", help="12–30 位数字"),
    Column("帮扶责任人", "cadre_name", H, "str"),
    Column("帮扶人电话", "cadre_phone", H, "str"),
    Column("取消资格情形", "disqualified", H, "multi_enum", choices=DISQUALIFIED, help="可多选，无则留空"),
    # 脱贫退出核查 (POLICY.md §8): may be absent from older files; empty = 未知
    Column(
        "已交付搬迁安置房", "relocated_keys", H, "bool", choices=YES_NO, help="易地扶贫搬迁安置房已交付", optional=True
    ),
    Column("每人每日可用水量", "water_litres_per_day", H, "decimal", help="升，最多两位小数", optional=True),
    Column("往返取水时间", "water_fetch_minutes", H, "int", help="分钟", optional=True),
    Column("年缺水天数", "water_days_without", H, "int", help="天", optional=True),
    Column("水质达标", "water_quality_ok", H, "bool", choices=YES_NO, optional=True),
    Column("干旱缺水地区", "water_dry_area", H, "bool", choices=YES_NO, optional=True),
    # 成员信息 (person)
    Column("姓名", "name", P, "str", True),
    Column("身份证号", "id_number", P, "id_number", True, help="18 位，末位校验码按 GB 11643"),
    Column("与户主关系", "relation", P, "enum", True, RELATION),
    Column("性别", "sex", P, "enum", True, SEX, help="须与身份证号一致"),
    Column("出生日期", "birth_date", P, "date", True, help="须与身份证号一致"),
    Column("残疾等级", "disability_grade", P, "int", help="1–4，1 级最重；无残疾留空"),
    Column("残疾类别", "disability_category", P, "enum", choices=DISABILITY_CATEGORY),
    Column("第二代残疾证", "disability_card_gen2", P, "bool", choices=YES_NO),
    Column("需长期照护", "needs_long_term_care", P, "bool", choices=YES_NO),
    Column("失能认定", "disabled_elder_certified", P, "bool", choices=YES_NO, help="医院认定的失能老人"),
    Column("自理能力", "self_care", P, "enum", True, SELF_CARE),
    Column("劳动能力", "labour", P, "enum", True, LABOUR),
    Column("在校情况", "student", P, "enum", True, STUDENT),
    Column("学校", "school", P, "str"),
    Column("辍学", "dropout", P, "bool", choices=YES_NO),
    Column(
        "因病免学", "school_exempt_health", P, "bool", choices=YES_NO, help="因病不能上学、经认定免学", optional=True
    ),
    Column("重病", "serious_illness", P, "bool", choices=YES_NO),
    Column("慢性病", "chronic_diseases", P, "str", help="病名，用、分隔"),
    Column("重特大疾病晚期", "late_stage_major_disease", P, "bool", choices=YES_NO),
    Column("参加基本医保", "medical_insurance", P, "bool", True, YES_NO),
    Column("有赡养能力的法定义务人", "capable_supporter", P, "bool", True, YES_NO),
    Column("供养方式", "care_setting", P, "enum", choices=CARE_SETTING, help="特困人员填写；空 = 分散供养"),
    Column("收入年度", "income_year", P, "int", True),
    Column("工资性收入", "income_wages", P, "decimal", help="元/年"),
    Column("种养殖收入", "income_farming", P, "decimal", help="元/年"),
    Column("经营性收入", "income_business", P, "decimal", help="元/年"),
    Column("财产性收入", "income_property", P, "decimal", help="元/年"),
    Column("转移性收入", "income_transfer", P, "decimal", help="元/年，不含本系统发放的救助"),
)

HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)
BY_HEADER: dict[str, Column] = {c.header: c for c in COLUMNS}
BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
HOUSEHOLD_COLUMNS = tuple(c for c in COLUMNS if c.level == H)
PERSON_COLUMNS = tuple(c for c in COLUMNS if c.level == P)
OWN_INCOME_KEYS = ("income_wages", "income_farming", "income_business", "income_property")
INCOME_KEYS = (*OWN_INCOME_KEYS, "income_transfer")
OPTIONAL_HEADERS: frozenset[str] = frozenset(c.header for c in COLUMNS if c.optional)
EXIT_HOUSEHOLD_KEYS = (
    "relocated_keys",
    "water_litres_per_day",
    "water_fetch_minutes",
    "water_days_without",
    "water_quality_ok",
    "water_dry_area",
)
