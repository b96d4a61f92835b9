"""帮扶记录: what the 帮扶 cadres (and the village, township, county) did for a household."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from jingzhun.core.nodelete import NeverDeleted


class HelpKind(models.TextChoices):
    """帮扶措施的类别, as the 吕梁 reporting names them ([seed] ../shared/seeds/).

    交口县's “一码清” shows each household's 帮扶措施 (003: 帮扶措施及政策、项目、资金); its “3+N” industries
    (食用菌、特色养殖、核桃林), skills training and 7 477 people in work, “五位一体” 小额信贷 with “就业贷”
    “蘑菇贷”, 易地扶贫搬迁 and 1 715 农村危房改造 (003); 离石区's 光伏 income and public-welfare jobs, 护林员,
    雨露计划 and 教育资助, 家庭医生 “双签约” and 小额扶贫贷款 (002); 兴县's 转移就业 platform, 公益岗位
    (保洁、护林), 先诊疗后付费 and relocation sites (004); cadres' 走访慰问 at New Year (002, 003).
    """

    VISIT = "visit", "走访慰问"
    INDUSTRY = "industry", "产业帮扶"  # 食用菌、核桃、养殖种苗, 光伏收益分配
    EMPLOYMENT = "employment", "就业帮扶"  # 公益岗位（护林员、保洁）, 转移就业, 技能培训
    EDUCATION = "education", "教育帮扶"  # 雨露计划, 教育资助（助学）
    HEALTH = "health", "健康帮扶"  # 家庭医生签约, 先诊疗后付费, 慢病
    HOUSING = "housing", "住房保障"  # 危房改造, 易地扶贫搬迁
    FINANCE = "finance", "金融帮扶"  # 扶贫小额信贷
    OTHER = "other", "其他"


HELP_NO_DELETE = "帮扶记录不能删除：录入有误请“作废”并注明原因，原记录会保留。"


class HelpRecord(NeverDeleted):
    """帮扶记录: one thing a 帮扶 cadre (or the village, township, county) did for a household, and when.

    ``content`` is the staff's own account and is never shown publicly; when ``public`` is set the kind
    and ``public_text`` (short, e.g. “发放核桃苗 200 株”) appear on the household's 一码清 page. A wrong
    record is never deleted or edited: it is voided (``voided_at``, ``void_reason``) by its own action.
    Written only by :mod:`jingzhun.helping.actions`.
    """

    household = models.ForeignKey(
        "registry.Household",
        on_delete=models.PROTECT,
        related_name="help_records",
        verbose_name="户",
        db_index=False,  # help_record_household_date leads with it
    )
    date = models.DateField("帮扶日期")
    kind = models.CharField("帮扶类别", max_length=16, choices=HelpKind.choices)
    content = models.TextField("帮扶内容")
    value_fen = models.BigIntegerField(
        "折合金额（分）", null=True, blank=True, validators=[MinValueValidator(0)]
    )  # money paid or the value of what was given in kind
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="录入人",
    )
    cadre_label = models.CharField("录入人标识", max_length=150)
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)
    public = models.BooleanField("在一码清公开", default=True)
    public_text = models.CharField("公开说明", max_length=60, blank=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    void_reason = models.TextField("作废原因", blank=True)
    voided_by_label = models.CharField("作废人标识", max_length=150, blank=True)
    # the one-time token of the rendered form this record was saved from: the same form posted twice
    # (a double click, a resend, concurrent requests) writes one record
    form_token = models.CharField("表单标识", max_length=32, null=True, blank=True, unique=True, editable=False)

    NO_DELETE = HELP_NO_DELETE

    class Meta:
        db_table = "assistance_helprecord"  # moved from the assistance app; table kept
        verbose_name = "帮扶记录"
        verbose_name_plural = "帮扶记录"
        ordering = ["household", "-date", "-id"]
        indexes = [
            models.Index(fields=["household", "date"], name="help_record_household_date"),
            # the region-wide list (list_queries.py) pages a county newest first: walked, not sorted
            models.Index(fields=["-date", "-id"], name="help_record_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_fen__isnull=True) | Q(value_fen__gte=0), name="help_record_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.date} {self.get_kind_display()}"

    @property
    def voided(self) -> bool:
        return self.voided_at is not None

    @property
    def shown_publicly(self) -> str:
        """What the 一码清 page shows for this record: its public text or its kind (health records: the kind only)."""
        from jingzhun.helping.queries import public_text

        return public_text(self.kind, self.public_text)


class HelpPhoto(NeverDeleted):
    """走访照片 of a 帮扶记录: the photo taken with 记一笔走访 belongs to the record it was saved with.

    The file itself is the household's ``registry.Attachment`` (kind 走访照片: stored where no URL serves it,
    read only through the staff view, every read audited, never on a public page); this row says which
    record it documents. Written by :func:`jingzhun.helping.actions.add_help_record_once` in the record's
    own transaction; photos saved before the link existed were matched to their records by migration 0002.
    """

    record = models.ForeignKey(HelpRecord, on_delete=models.PROTECT, related_name="photos", verbose_name="帮扶记录")
    attachment = models.OneToOneField(
        "registry.Attachment", on_delete=models.PROTECT, related_name="help_photo", verbose_name="照片"
    )

    NO_DELETE = "走访照片不能删除：拍错了请在附件中“作废”并注明原因。"

    class Meta:
        verbose_name = "走访照片"
        verbose_name_plural = "走访照片"

    def __str__(self) -> str:
        return f"{self.record_id} {self.attachment_id}"
