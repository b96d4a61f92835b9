"""Models of the monitoring part `crosscheck` (数据比对, POLICY.md §8).

A department list is imported as a dated snapshot (:class:`DeptList`: source, 截至日期, file) with its rows
(:class:`DeptRow`: the data row of the file, 姓名, 身份证号 as written, 出生日期, 村代码 and every other column
kept as evidence). A run matches rows to registry persons; every hit is a :class:`Suspect` (疑点), a task for
the village: one per list row at most (``row`` is unique), decided once — confirmed (with the change request
it raised, if the source's hit changes the registry) or cleared (reason + exemption code). Nothing here is
ever deleted; a re-run keeps decided 疑点 as they are.

A row the engine could not give to one person — two or more persons fit it equally (``tie``), or its ID
number belongs to several registry persons (``duplicate_id``) — is an :class:`Ambiguity` (待甄别), listed
for the village / county to resolve by hand: pick the person (which opens an ordinary 疑点) or none.

The 低保名册 ↔ 建档立卡 comparison is computed by the run (not by the page) and stored as a
:class:`RollCheck` with one :class:`RollFinding` per household and kind; the page reads the newest one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jingzhun.core import nodelete

__all__ = [
    "Ambiguity",
    "AmbiguityReason",
    "AmbiguityState",
    "DeptList",
    "DeptRow",
    "RollCheck",
    "RollFinding",
    "Suspect",
    "SuspectState",
]

NO_DELETE = "比对名单和疑点不能删除：记录会保留，供审计核查。"


class NeverDeleted(nodelete.NeverDeleted):
    NO_DELETE = NO_DELETE

    class Meta:
        abstract = True


class DeptList(NeverDeleted):
    """一份部门比对名单: one file of one department as of one date (all rows imported, or none)."""

    source = models.CharField("名单类别", max_length=16)
    as_of = models.DateField("截至日期")
    file_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("文件SHA-256", max_length=64)
    row_count = models.PositiveIntegerField("行数")
    imported_by = models.CharField("导入人", max_length=150)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "部门比对名单"
        verbose_name_plural = "部门比对名单"
        ordering = ["-as_of", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "as_of", "sha256"], name="deptlist_one_per_file_and_date")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.as_of}"


class DeptRow(NeverDeleted):
    """名单中的一行, as the department wrote it (``id_number`` may be blank or a 15-digit old number)."""

    dept_list = models.ForeignKey(DeptList, on_delete=models.PROTECT, related_name="rows", verbose_name="名单")
    row = models.PositiveIntegerField("行号")  # the data row of the file (header = row 1)
    name = models.CharField("姓名", max_length=64)
    id_number = models.CharField("身份证号", max_length=32, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    village_code = models.CharField("村代码", max_length=12, blank=True)
    evidence = models.JSONField("其他列", default=dict, blank=True)

    class Meta:
        verbose_name = "名单行"
        verbose_name_plural = "名单行"
        ordering = ["dept_list", "row"]
        constraints = [models.UniqueConstraint(fields=["dept_list", "row"], name="deptrow_one_per_row")]


class SuspectState(models.TextChoices):
    OPEN = "open", "待核实"
    CONFIRMED = "confirmed", "核实属实"
    CLEARED = "cleared", "核实排除"


class Suspect(NeverDeleted):
    """疑点: a list row matched to a registry person, to be verified by the village."""

    row = models.OneToOneField(DeptRow, on_delete=models.PROTECT, related_name="suspect", verbose_name="名单行")
    source = models.CharField("名单类别", max_length=16)
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="crosscheck_suspects", verbose_name="人员"
    )
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="crosscheck_suspects", verbose_name="户"
    )
    village_code = models.CharField("村代码", max_length=12)
    match = models.CharField("匹配方式", max_length=8)  # exact | fuzzy
    probability = models.DecimalField("匹配概率", max_digits=7, decimal_places=6)
    match_weight = models.DecimalField("匹配权重", max_digits=9, decimal_places=3, null=True, blank=True)
    agreement = models.JSONField("各字段比对结果", default=dict)
    state = models.CharField("状态", max_length=16, choices=SuspectState.choices, default=SuspectState.OPEN)
    exemption = models.CharField("排除情形", max_length=32, blank=True)
    reason = models.TextField("核实说明", blank=True)
    change_request = models.ForeignKey(
        "registry.ChangeRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="变更申请",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_label = models.CharField("核实人", max_length=150, blank=True)
    decided_at = models.DateTimeField("核实时间", null=True, blank=True)
    created_at = models.DateTimeField("发现时间", auto_now_add=True)

    class Meta:
        verbose_name = "比对疑点"
        verbose_name_plural = "比对疑点"
        ordering = ["village_code", "id"]
        # the 疑点 list's count and page (state, a region prefix, the list kinds) read from the index alone
        indexes = [models.Index(fields=["state", "village_code", "source"], name="suspect_state_village_src")]


class AmbiguityReason(models.TextChoices):
    TIE = "tie", "多人同等匹配"
    DUPLICATE_ID = "duplicate_id", "身份证号多人共用"


class AmbiguityState(models.TextChoices):
    OPEN = "open", "待甄别"
    CHOSEN = "chosen", "已选定本人"
    NONE = "none", "均非本人"


class Ambiguity(NeverDeleted):
    """待甄别: a list row that matches several registry persons equally (or whose ID several share)."""

    row = models.OneToOneField(DeptRow, on_delete=models.PROTECT, related_name="ambiguity", verbose_name="名单行")
    source = models.CharField("名单类别", max_length=16)
    reason = models.CharField("原因", max_length=16, choices=AmbiguityReason.choices)
    probability = models.DecimalField("匹配概率", max_digits=7, decimal_places=6)
    candidates = models.ManyToManyField("registry.Person", related_name="+", verbose_name="候选人员")
    village_codes = models.JSONField("候选人员所在村", default=list)
    state = models.CharField("状态", max_length=16, choices=AmbiguityState.choices, default=AmbiguityState.OPEN)
    chosen = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="选定人员"
    )
    reason_text = models.TextField("甄别说明", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_label = models.CharField("甄别人", max_length=150, blank=True)
    decided_at = models.DateTimeField("甄别时间", null=True, blank=True)
    created_at = models.DateTimeField("发现时间", auto_now_add=True)

    class Meta:
        verbose_name = "待甄别名单行"
        verbose_name_plural = "待甄别名单行"
        ordering = ["id"]


class RollCheck(NeverDeleted):
    """One computation of 低保名册 ↔ 建档立卡 for a roll snapshot over a region (by a run)."""

    roll = models.ForeignKey(DeptList, on_delete=models.PROTECT, related_name="roll_checks", verbose_name="低保名册")
    scope = models.CharField("区域代码前缀", max_length=12, blank=True)
    month = models.CharField("计算月份", max_length=7)
    unmatched_rows = models.PositiveIntegerField("未匹配行数", default=0)
    errors = models.JSONField("提示", default=list)
    seconds = models.DecimalField("用时（秒）", max_digits=8, decimal_places=2, default=0)
    computed_by = models.CharField("计算人", max_length=150)
    computed_at = models.DateTimeField("计算时间", auto_now_add=True)

    class Meta:
        verbose_name = "低保名册比对"
        verbose_name_plural = "低保名册比对"
        ordering = ["-id"]


class RollFinding(NeverDeleted):
    """One household of a :class:`RollCheck`: 应保未保 (unprotected), 漏评候选 (missed) or 信息不一致 (mismatch)."""

    check_run = models.ForeignKey(RollCheck, on_delete=models.PROTECT, related_name="findings")
    kind = models.CharField("类别", max_length=16)  # unprotected | missed | mismatch
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    village_code = models.CharField("村代码", max_length=12)
    details = models.JSONField("详情", default=dict)

    class Meta:
        verbose_name = "低保名册比对结果"
        verbose_name_plural = "低保名册比对结果"
        ordering = ["check_run", "kind", "id"]
        indexes = [models.Index(fields=["check_run", "kind", "village_code"], name="rollfinding_check_kind")]
