"""The projects import file (项目资金导入表): one row per fund allocation, project columns on the first row.

This module is the contract between the importer (:mod:`jingzhun.projects.importer`), the template and
the synthetic county's projects writer (:mod:`jingzhun.synth.projects`). It is pure: no Django imports.

Rules a cadre reads:

* One row per allocation (一笔资金一行). Rows with the same 项目编号 form one project.
* Project columns (项目名称, 类型, 所在区域代码, 年度, 状态, 受益户数, 说明) are read from the project's
  first row; on its other rows they may be left blank, and where filled they must equal the first row.
* 资金来源 and 金额（元） go together: both filled, or both blank for a project without funds yet.
* 金额 is yuan with up to two decimals, above zero. 所在区域代码 is a county (6 digits), township or
  village (12 digits) inside the importer's region.
"""

from __future__ import annotations

HEADERS = ("项目编号", "项目名称", "类型", "所在区域代码", "年度", "状态", "资金来源", "金额（元）", "受益户数", "说明")
KEYS = {
    "项目编号": "code",
    "项目名称": "name",
    "类型": "kind",
    "所在区域代码": "region",
    "年度": "year",
    "状态": "status",
    "资金来源": "source",
    "金额（元）": "amount",
    "受益户数": "beneficiary_households",
    "说明": "description",
}
PROJECT_HEADERS = ("项目名称", "类型", "所在区域代码", "年度", "状态", "受益户数", "说明")
REQUIRED = ("项目名称", "类型", "所在区域代码", "年度", "状态")

KINDS = {
    "产业扶贫": "industry",
    "光伏扶贫": "pv",
    "基础设施": "infrastructure",
    "易地扶贫搬迁": "relocation",
    "危房改造": "housing",
    "教育扶贫": "education",
    "健康扶贫": "health",
    "就业扶贫": "employment",
    "金融扶贫": "finance",
}
# What cadres also write in the 类型 column.
KIND_ALIASES = {
    "产业": "industry",
    "光伏": "pv",
    "基础设施建设": "infrastructure",
    "易地搬迁": "relocation",
    "搬迁": "relocation",
    "危房": "housing",
    "教育": "education",
    "健康": "health",
    "就业": "employment",
    "金融": "finance",
}
STATUSES = {"计划": "planned", "在建": "building", "完工": "completed", "已验收": "accepted"}
SOURCES = {
    "中央财政专项": "central",
    "省级财政专项": "province",
    "市级财政专项": "city",
    "县级财政专项": "county",
    "整合涉农资金": "integrated",
    "社会帮扶": "social",
    "群众自筹": "self_raised",
}
SOURCE_ALIASES = {
    "中央": "central",
    "中央财政": "central",
    "省级": "province",
    "省级财政": "province",
    "市级": "city",
    "市级财政": "city",
    "县级": "county",
    "县级财政": "county",
    "整合资金": "integrated",
    "统筹整合资金": "integrated",
    "自筹": "self_raised",
}


def lookup(labels: dict[str, str], aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Cell text → key: the labels, their aliases, and the English keys themselves (files written by programs)."""
    return {**{key: key for key in labels.values()}, **(aliases or {}), **labels}
