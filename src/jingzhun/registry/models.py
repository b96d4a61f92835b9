"""The household registry (建档立卡): regions, households, persons and their histories.

Households (户) and persons (人) are never deleted: a death, a move-out or a merge is an event
(:class:`PersonEvent`, :class:`HouseholdStatusEvent`) and the row stays, flagged inactive, so every
past payment still points at the person it was paid to. Money is integer fen (分), never float.
Choice values are the English keys of :mod:`jingzhun.registry.columns`; labels are its Chinese terms.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Right

from jingzhun.core import nodelete
from jingzhun.registry import columns as c
from jingzhun.registry.validators import PlainName, validate_phone


def _choices(mapping: dict[str, object]) -> list[tuple[str, str]]:
    """Django choices from a columns.py mapping {中文: key} → [(key, 中文)]."""
    return [(str(key), label) for label, key in mapping.items()]


NO_DELETE = "户籍记录不能删除：死亡、迁出、合户或销户请用相应的操作登记，记录会保留。"


class NeverDeleted(nodelete.NeverDeleted):
    NO_DELETE = NO_DELETE

    class Meta:
        abstract = True


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县（区、市）"
    TOWNSHIP = "township", "乡镇"
    VILLAGE = "village", "村"


class Region(models.Model):
    """An administrative region: GB/T 2260 code for county and above, 12 digits for township and village."""

    code = models.CharField("区域代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上级"
    )

    class Meta:
        verbose_name = "行政区域"
        verbose_name_plural = "行政区域"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class HouseholdStatus(models.TextChoices):
    """建档立卡户的状态, the national system's four codes (POLICY.md §8).

    * 未脱贫 — registered, not yet exited (the old 识别 / 帮扶 steps);
    * 已脱贫（享受政策）— exited (销号 by the exit workflow) and still receiving the policies
      (脱贫不脱政策);
    * 返贫 — set only by a 返贫预警 case's county decision (registry/cases_actions.py);
    * 已脱贫（不再享受政策）— a county action once the policy-keeping period is over
      (registry/exit_actions.close_policies); nothing sets it automatically.

    Being a 监测对象 (返贫预警 monitoring object) is not a status: it is :attr:`Household.monitored`
    (a 脱贫不稳定户 keeps 已脱贫（享受政策）), next to the 边缘易致贫户 category (:attr:`Household.marginal`).
    The old code ``monitored`` (监测) became 已脱贫（享受政策） with ``monitored`` set (migration
    0012_h14_status_codes).
    """

    NOT_EXITED = "not_exited", "未脱贫"
    EXITED_SUPPORTED = "exited_supported", "已脱贫（享受政策）"
    RETURNED = "returned", "返贫"
    EXITED_CLOSED = "exited_closed", "已脱贫（不再享受政策）"


# Statuses of a household that has exited (either way); 未脱贫 and 返贫 count as not (yet) out of poverty.
EXITED_STATUSES = (HouseholdStatus.EXITED_SUPPORTED, HouseholdStatus.EXITED_CLOSED)
NOT_EXITED_STATUSES = (HouseholdStatus.NOT_EXITED, HouseholdStatus.RETURNED)


class PersonStatus(models.TextChoices):
    ACTIVE = "active", "在册"
    DECEASED = "deceased", "死亡"
    MOVED_OUT = "moved_out", "迁出"


class Household(NeverDeleted):
    """户: one 建档立卡 (or assistance) household. Closed (``active=False``) instead of deleted."""

    household_no = models.CharField("户编号", max_length=32)  # unique: see Meta.constraints
    # The file's own number of a household created by an import when the system assigned it another
    # (numbering.py: "新-01" → 1411020010010007); "" otherwise. Never an identifier: only what the file said.
    import_no = models.CharField("导入文件中的户编号", max_length=32, blank=True, default="", db_default="")
    # Indexed by household_village_active, whose first column it is: no second index to fill on import.
    village = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="households", verbose_name="村", db_index=False
    )
    address = models.CharField("地址", max_length=200)
    area = models.CharField("城乡类别", max_length=8, choices=_choices(c.AREA))
    registered_year = models.PositiveSmallIntegerField("建档立卡年份", null=True, blank=True)
    status = models.CharField("户状态", max_length=16, choices=HouseholdStatus.choices, null=True, blank=True)
    status_date = models.DateField("状态日期", null=True, blank=True)
    poverty_causes = models.JSONField("致贫原因", default=list, blank=True)
    housing_grade = models.CharField("住房安全等级", max_length=1, choices=_choices(c.HOUSING_GRADE))
    housing_area = models.DecimalField("住房面积（平方米）", max_digits=8, decimal_places=2, null=True, blank=True)
    water_safe = models.BooleanField("饮水安全", default=True)
    # 边缘易致贫户 (POLICY.md §8): never registered, income just above the line; a 返贫预警 monitoring object.
    marginal = models.BooleanField("边缘易致贫户", default=False)
    # 监测对象 (POLICY.md §8): a 脱贫不稳定户 or 边缘易致贫户 under 返贫预警 monitoring — set by a case's county
    # decision (纳入监测 / 认定返贫), cleared by 风险消除; not a 户状态.
    monitored = models.BooleanField("监测对象", default=False)

    # 脱贫退出核查的住房与饮水事实 (POLICY.md §8); null = 未知 (not yet recorded), which no exit passes.
    relocated_keys = models.BooleanField("已交付搬迁安置房", null=True, blank=True)
    water_litres_per_day = models.DecimalField(
        "每人每日可用水量（升）",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    water_fetch_minutes = models.PositiveSmallIntegerField(
        "往返取水时间（分钟）", null=True, blank=True, validators=[MaxValueValidator(1440)]
    )
    water_days_without = models.PositiveSmallIntegerField(
        "年缺水天数", null=True, blank=True, validators=[MaxValueValidator(366)]
    )
    water_quality_ok = models.BooleanField("水质达标", null=True, blank=True)
    water_dry_area = models.BooleanField("干旱缺水地区", null=True, blank=True)
    bank_name = models.CharField("开户银行", max_length=64, blank=True)
    bank_account = models.CharField("银行账号", max_length=32, blank=True)
    cadre_name = models.CharField("帮扶责任人", max_length=64, blank=True, validators=[PlainName("帮扶责任人")])
    cadre_phone = models.CharField("帮扶人电话", max_length=32, blank=True, validators=[validate_phone])
    phone = models.CharField(
        "户联系电话", max_length=32, blank=True, default="", db_default="", validators=[validate_phone]
    )
    assigned_cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_households",
        verbose_name="帮扶干部账号",
    )
    disqualified = models.JSONField("取消资格情形", default=list, blank=True)
    active = models.BooleanField("在册", default=True)
    closed_reason = models.CharField("销户原因", max_length=200, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name="并入户",
        db_index=False,  # read only from the merged household itself
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "户"
        verbose_name_plural = "户"
        ordering = ["household_no"]
        indexes = [
            models.Index(fields=["village", "active"], name="household_village_active"),
            # The county-wide status filter counts its households from this index alone (queries.search).
            models.Index(fields=["status", "village", "active"], name="household_status_village"),
        ]
        # A UniqueConstraint rather than unique=True: on PostgreSQL that would add a second, LIKE-only
        # index (varchar_pattern_ops) that no query uses and every import has to fill.
        constraints = [models.UniqueConstraint(fields=["household_no"], name="household_no_unique")]

    def __str__(self) -> str:
        return self.household_no

    @property
    def registered_poor(self) -> bool:
        """建档立卡贫困户: registered in some year and in one of the four statuses (POLICY.md §1, §8)."""
        return self.registered_year is not None and self.status in HouseholdStatus.values


class HouseholdStatusEvent(NeverDeleted):
    """户状态变更历史 (未脱贫 → 已脱贫（享受政策） → 返贫 / 已脱贫（不再享受政策）), appended, never edited."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="status_events", verbose_name="户")
    status = models.CharField("状态", max_length=16, choices=HouseholdStatus.choices)
    date = models.DateField("日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "户状态变更"
        verbose_name_plural = "户状态变更"
        ordering = ["household", "id"]  # the order things happened; a date may be unknown (null)


class Person(NeverDeleted):
    """人: a household member with the POLICY.md §1 facts. ``id_number`` is stored whole, shown masked."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="persons", verbose_name="户")
    id_number = models.CharField("身份证号", max_length=18)  # unique: see Meta.constraints
    name = models.CharField("姓名", max_length=64, validators=[PlainName("姓名")])
    # 身份证号后 4 位, computed and stored by the database on every insert and update (the importer's bulk
    # INSERT/COPY included), indexed for the list's "last 4 digits" search. Never set by the application.
    id_tail = models.GeneratedField(
        expression=Right("id_number", 4),
        output_field=models.CharField(max_length=4),
        db_persist=True,
        verbose_name="身份证号后4位",
    )
    relation = models.CharField("与户主关系", max_length=16, choices=_choices(c.RELATION))
    sex = models.CharField("性别", max_length=1, choices=_choices(c.SEX))
    birth_date = models.DateField("出生日期")
    disability_grade = models.PositiveSmallIntegerField(
        "残疾等级", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    disability_category = models.CharField(
        "残疾类别", max_length=16, blank=True, choices=_choices(c.DISABILITY_CATEGORY)
    )
    disability_card_gen2 = models.BooleanField("第二代残疾证", default=False)
    needs_long_term_care = models.BooleanField("需长期照护", default=False)
    disabled_elder_certified = models.BooleanField("失能认定", default=False)
    self_care = models.CharField("自理能力", max_length=8, choices=_choices(c.SELF_CARE))
    labour = models.CharField("劳动能力", max_length=8, choices=_choices(c.LABOUR))
    student = models.CharField("在校情况", max_length=16, choices=_choices(c.STUDENT))
    school = models.CharField("学校", max_length=100, blank=True)
    dropout = models.BooleanField("辍学", default=False)
    school_exempt_health = models.BooleanField("因病免学", default=False)
    serious_illness = models.BooleanField("重病", default=False)
    chronic_diseases = models.JSONField("慢性病", default=list, blank=True)
    late_stage_major_disease = models.BooleanField("重特大疾病晚期", default=False)
    medical_insurance = models.BooleanField("参加基本医保", default=True)
    capable_supporter = models.BooleanField("有赡养能力的法定义务人", default=False)
    care_setting = models.CharField("供养方式", max_length=16, choices=_choices(c.CARE_SETTING), default="home")
    status = models.CharField("人员状态", max_length=16, choices=PersonStatus.choices, default=PersonStatus.ACTIVE)
    status_date = models.DateField("状态日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["household", "id"]
        constraints = [models.UniqueConstraint(fields=["id_number"], name="person_id_number_unique")]
        # "Last 4 digits" search: the matching households straight from the index. The name search reads an
        # index made by migration 0006 for one database only, so not declared here: pg_trgm GIN on PostgreSQL,
        # (name, household_id) on SQLite. A later migration that makes SQLite rebuild this table (an
        # AlterField on Person) drops the SQLite one: re-create it there (0006.NAME_INDEX["sqlite"]).
        indexes = [
            models.Index(fields=["id_tail", "household"], name="person_id_tail"),
            # a region's persons counted from its households (三率一度, 监测规模) without reading the person rows
            models.Index(fields=["household", "status"], name="person_household_status"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """身份证号 (GB 11643) valid, and 出生日期 and 性别 as it encodes them."""
        from django.core.exceptions import ValidationError

        from jingzhun.registry.idnumber import IdNumberError, parse_id_number

        try:
            decoded = parse_id_number(self.id_number or "")
        except IdNumberError as exc:
            raise ValidationError({"id_number": f"{exc} [id_number]"}) from None
        self.id_number = decoded.number
        errors = {}
        if self.birth_date and self.birth_date != decoded.birth_date:
            errors["birth_date"] = f"出生日期与身份证号不一致（身份证号中为 {decoded.birth_date}）[birth_date]"
        if self.sex and self.sex != decoded.sex:
            errors["sex"] = f"性别与身份证号不一致（身份证号中为 {dict(_choices(c.SEX))[decoded.sex]}）[sex]"
        if errors:
            raise ValidationError(errors)


class PersonEventKind(models.TextChoices):
    DEATH = "death", "死亡"
    MOVE_OUT = "move_out", "迁出"
    MOVE_IN = "move_in", "迁入"
    MERGE = "merge", "合户"


class PersonEvent(NeverDeleted):
    """人员变动 (death, move-out, move-in, merge): appended, never edited; the person row stays."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="events", verbose_name="人员")
    kind = models.CharField("变动类型", max_length=16, choices=PersonEventKind.choices)
    date = models.DateField("日期")
    note = models.CharField("说明", max_length=200, blank=True)
    from_household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="原户"
    )
    to_household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="新户"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "人员变动"
        verbose_name_plural = "人员变动"
        ordering = ["person", "date", "id"]


class IncomeRecord(models.Model):
    """A person's annual income (元/年, stored as integer 分) by source, one row per person and year.

    转移性收入 excludes the 低保/特困/救助 this system pays (columns.py): they are not counted as income.
    """

    # Indexed by income_one_row_per_person_year, whose first column it is.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="incomes", verbose_name="人员", db_index=False
    )
    year = models.PositiveSmallIntegerField("收入年度")
    wages_fen = models.BigIntegerField("工资性收入（分）", default=0)
    farming_fen = models.BigIntegerField("种养殖收入（分）", default=0)
    business_fen = models.BigIntegerField("经营性收入（分）", default=0)
    property_fen = models.BigIntegerField("财产性收入（分）", default=0)
    transfer_fen = models.BigIntegerField("转移性收入（分）", default=0)

    class Meta:
        verbose_name = "年收入"
        verbose_name_plural = "年收入"
        ordering = ["person", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="income_one_row_per_person_year"),
            models.CheckConstraint(
                condition=models.Q(wages_fen__gte=0)
                & models.Q(farming_fen__gte=0)
                & models.Q(business_fen__gte=0)
                & models.Q(property_fen__gte=0)
                & models.Q(transfer_fen__gte=0),
                name="income_never_negative",
            ),
        ]

    @property
    def total_fen(self) -> int:
        return self.wages_fen + self.farming_fen + self.business_fen + self.property_fen + self.transfer_fen

    @property
    def has_own_source(self) -> bool:
        """POLICY.md §1 ``income_source``: any of wages, farming, business or property income above zero."""
        return any(v > 0 for v in (self.wages_fen, self.farming_fen, self.business_fen, self.property_fen))


class ChangeKind(models.TextChoices):
    """What a 信息变更申请 changes: the facts that move money or status, and 迁入 from another region."""

    BANK_ACCOUNT = "bank_account", "银行账号变更"
    STATUS = "status", "户状态变更"
    MERGE = "merge", "合户"
    DEATH = "death", "死亡登记"
    HEAD = "head", "户主变更"
    MOVE_IN = "move_in", "迁入（原迁出人员）"
    DISQUALIFY = "disqualify", "不予保障情形（数据比对核实）"


class ChangeState(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"
    WITHDRAWN = "withdrawn", "已撤回"


class ChangeRequest(NeverDeleted):
    """信息变更申请: one person proposes a change of money or status, a second one in the region decides.

    ``payload`` is what the kind's form received (text values), validated by that form when proposed and
    again when approved; ``decide_region`` is the village whose township (or county) decides — the
    household's own, or for 迁入 the village the person last lived in. ``summary`` is what lists show
    (a bank account only by its last 4 digits).
    """

    NO_DELETE = "变更申请不能删除：不再需要时请撤回，记录会保留。"

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="change_requests", verbose_name="户"
    )
    kind = models.CharField("变更事项", max_length=16, choices=ChangeKind.choices)
    payload = models.JSONField("申请内容", default=dict)
    summary = models.CharField("摘要", max_length=200)
    reason = models.TextField("申请理由", blank=True)
    decide_region = models.CharField("审批区域", max_length=12, db_index=True)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="申请人",
    )
    proposer_label = models.CharField("申请人标识", max_length=150)
    proposer_role = models.CharField("申请人角色", max_length=32)
    proposed_at = models.DateTimeField("申请时间", auto_now_add=True)
    state = models.CharField("状态", max_length=16, choices=ChangeState.choices, default=ChangeState.PENDING)
    decider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="审批人",
    )
    decider_label = models.CharField("审批人标识", max_length=150, blank=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_reason = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = "信息变更申请"
        verbose_name_plural = "信息变更申请"
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "kind"],
                condition=models.Q(state="pending"),
                name="change_request_one_pending_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.household.household_no} {self.get_kind_display()}（{self.get_state_display()}）"


from jingzhun.registry.attachments import Attachment  # noqa: E402,F401  its own module, a model of this app
from jingzhun.registry.custody import CustodyTerm  # noqa: E402,F401  its own module, a model of this app
from jingzhun.registry.public_contact import PublicContact  # noqa: E402,F401  its own module, a model of this app
