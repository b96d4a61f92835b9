"""The project-and-fund library (项目资金库): poverty-alleviation projects and the funds put into them.

交口县's "互联网+" 扶贫项目资金管理系统 puts every project into a library (入库) and matches every
fund to a project (按序匹配), "精准到村到户", and its 一码清 pages show each township, village and
household the projects and funds that reached it [seed 003]. A :class:`Project` is located in a
region (a village; a township or the county for larger works such as a 集中安置点 or a county-wide
PV plant) and carries its funds as :class:`FundAllocation` rows, one per source, in integer fen.

Kinds are the measures the 吕梁 reporting names [seeds 002, 003, 004]: 产业扶贫 (食用菌, 核桃经济林
提质增效, 养殖), 光伏扶贫 (村级光伏扶贫电站), 基础设施 (水、电、路、网), 易地扶贫搬迁, 危房改造,
教育扶贫, 健康扶贫 (标准化村卫生室), 就业扶贫 (扶贫车间, 技能培训) and 金融扶贫 (小额信贷贴息).
Fund sources follow 兴县's "专项扶贫资金 … 其他统筹整合资金 … 社会帮扶" [seed 004] and 易地搬迁's
"户均自筹不超 1万元" (群众自筹).

Projects and allocations are never deleted: a project that will not be built keeps its row and its
history in the audit trail.
"""

from __future__ import annotations

from django.db import models

from jingzhun.core import nodelete

NO_DELETE = "项目和资金记录不能删除：项目入库后保留全部记录，更正请修改项目。"


class NeverDeleted(nodelete.NeverDeleted):
    NO_DELETE = NO_DELETE

    class Meta:
        abstract = True


class ProjectKind(models.TextChoices):
    """项目类型 [seeds 002, 003, 004]."""

    INDUSTRY = "industry", "产业扶贫"
    PV = "pv", "光伏扶贫"
    INFRASTRUCTURE = "infrastructure", "基础设施"
    RELOCATION = "relocation", "易地扶贫搬迁"
    HOUSING = "housing", "危房改造"
    EDUCATION = "education", "教育扶贫"
    HEALTH = "health", "健康扶贫"
    EMPLOYMENT = "employment", "就业扶贫"
    FINANCE = "finance", "金融扶贫"


class ProjectStatus(models.TextChoices):
    """项目状态, in the order a project goes through them (a status never goes back)."""

    PLANNED = "planned", "计划"
    BUILDING = "building", "在建"
    COMPLETED = "completed", "完工"
    ACCEPTED = "accepted", "已验收"


STATUS_ORDER = {status: i for i, status in enumerate(ProjectStatus.values)}


class Readiness(models.TextChoices):
    """前期准备 (policy.projects_rules.READINESS)."""

    IDEA = "idea", "仅有项目建议"
    DESIGN = "design", "已完成实施方案或可研"
    APPROVED = "approved", "已批复、具备开工条件"


class FundSource(models.TextChoices):
    """资金来源."""

    CENTRAL = "central", "中央财政专项"
    PROVINCE = "province", "省级财政专项"
    CITY = "city", "市级财政专项"
    COUNTY = "county", "县级财政专项"
    INTEGRATED = "integrated", "整合涉农资金"
    SOCIAL = "social", "社会帮扶"
    SELF_RAISED = "self_raised", "群众自筹"


class Project(NeverDeleted):
    """扶贫项目: one entry of the library, located in a village, a township or the county."""

    code = models.CharField("项目编号", max_length=32)  # unique: see Meta.constraints
    name = models.CharField("项目名称", max_length=100)
    kind = models.CharField("项目类型", max_length=16, choices=ProjectKind.choices)
    region = models.ForeignKey(
        "registry.Region", on_delete=models.PROTECT, related_name="projects", verbose_name="所在区域"
    )
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    beneficiary_households = models.PositiveIntegerField("受益户数", default=0)
    households = models.ManyToManyField(
        "registry.Household", blank=True, related_name="projects", verbose_name="直接受益户"
    )
    description = models.TextField("说明", blank=True)
    # 入库排序 (issue #17): the facts the score is computed from, and the last ranking's result
    budget_fen = models.BigIntegerField("项目预算（分）", default=0)
    poor_households = models.PositiveIntegerField("其中建档立卡贫困户数", default=0)
    readiness = models.CharField("前期准备", max_length=16, choices=Readiness.choices, default=Readiness.IDEA)
    score = models.DecimalField("入库得分", max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField("入库排名（县、年度内）", null=True, blank=True)
    ranked_at = models.DateTimeField("排序时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "扶贫项目"
        verbose_name_plural = "扶贫项目"
        ordering = ["-year", "code"]
        # A UniqueConstraint rather than unique=True: no second, LIKE-only index on PostgreSQL.
        constraints = [models.UniqueConstraint(fields=["code"], name="project_code_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Fund(NeverDeleted):
    """A fund to be matched to the library (按序匹配): 资金来源、金额、年度, for one county."""

    code = models.CharField("资金编号", max_length=32)
    source = models.CharField("资金来源", max_length=16, choices=FundSource.choices)
    county = models.ForeignKey(
        "registry.Region", on_delete=models.PROTECT, related_name="funds", verbose_name="县（市、区）"
    )
    year = models.PositiveSmallIntegerField("年度")
    amount_fen = models.BigIntegerField("金额（分）")
    note = models.CharField("文号或说明", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "待匹配资金"
        verbose_name_plural = "待匹配资金"
        ordering = ["-year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="fund_code_unique"),
            models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="fund_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.get_source_display()}"


class FundAllocation(NeverDeleted):
    """A fund put into a project from one source (元 stored as integer 分, never negative)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="allocations", verbose_name="项目")
    source = models.CharField("资金来源", max_length=16, choices=FundSource.choices)
    amount_fen = models.BigIntegerField("金额（分）")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    # 按序匹配: the fund it came from, the project's rank when matched and who decided (blank for 直接入库)
    fund = models.ForeignKey(
        Fund, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations", verbose_name="来源资金"
    )
    rank_at_match = models.PositiveIntegerField("匹配时排名", null=True, blank=True)
    decided_by = models.CharField("决定人", max_length=150, blank=True)

    class Meta:
        verbose_name = "项目资金"
        verbose_name_plural = "项目资金"
        ordering = ["project", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="allocation_positive")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.amount_fen} 分"


class PerformanceRecord(NeverDeleted):
    """绩效考评: one evaluation of a project — planned vs achieved indicators, who benefits (counts only),
    the income increase, and the score and grade computed by ``policy.projects_rules.evaluate_performance``."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="performance", verbose_name="项目")
    evaluated_on = models.DateField("考评日期")
    indicators = models.JSONField("绩效指标（计划、完成、权重）", default=list)
    households = models.PositiveIntegerField("受益户数")
    poor_households = models.PositiveIntegerField("其中建档立卡户数")
    income_increase_fen = models.BigIntegerField("受益户年增收合计（分）", default=0)
    score = models.DecimalField("得分", max_digits=5, decimal_places=2)
    grade = models.CharField("等级", max_length=1)
    evaluator = models.CharField("考评人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "项目绩效考评"
        verbose_name_plural = "项目绩效考评"
        ordering = ["project", "-evaluated_on", "-id"]

    def __str__(self) -> str:
        return f"{self.project.code} {self.evaluated_on} {self.score} {self.grade}"


# ---------------------------------------------------------------- 公益岗位 and 护林员 (issue #17, POLICY.md §9)


class PostKind(models.TextChoices):
    """岗位类型: a 生态护林员 is paid the county's wage (``projects.forest_ranger_wage``); any other 公益岗位
    (保洁员、护路员、水管员 …) the monthly wage the post was created with."""

    FOREST_RANGER = "forest_ranger", "生态护林员"
    WELFARE = "welfare", "公益岗位"


POST_PROGRAMS = {PostKind.FOREST_RANGER: "forest_ranger_wage", PostKind.WELFARE: "welfare_post_wage"}


class PostFunding(models.TextChoices):
    PV_REVENUE = "pv_revenue", "村级光伏收益"
    SPECIAL = "special", "财政专项资金"
    OTHER = "other", "其他资金"


class WelfarePost(NeverDeleted):
    """A 公益岗位 or 护林员 post in a village and the registered-poor member (with labour capacity) holding it."""

    village = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+", verbose_name="村")
    kind = models.CharField("岗位类型", max_length=16, choices=PostKind.choices)
    title = models.CharField("岗位名称", max_length=40)
    holder = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="welfare_posts", verbose_name="岗位人员"
    )
    month_wage_fen = models.BigIntegerField("月工资（分；护林员按县标准）", null=True, blank=True)
    funding = models.CharField("资金来源", max_length=16, choices=PostFunding.choices, default=PostFunding.SPECIAL)
    start_month = models.DateField("上岗月份")
    end_month = models.DateField("离岗月份", null=True, blank=True)  # the last month paid
    end_date = models.DateField("离岗日期", null=True, blank=True)
    end_reason = models.CharField("离岗原因", max_length=100, blank=True)
    created_by = models.CharField("登记人", max_length=150)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "公益岗位"
        verbose_name_plural = "公益岗位"
        ordering = ["village", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}"


class PostMonth(NeverDeleted):
    """One month of a post: attendance and the wage paid for it (one ledger line of the post's program)."""

    post = models.ForeignKey(WelfarePost, on_delete=models.PROTECT, related_name="months", verbose_name="岗位")
    month = models.DateField("月份")
    days_required = models.PositiveSmallIntegerField("应出勤天数")
    days_worked = models.PositiveSmallIntegerField("实际出勤天数")
    wage_fen = models.BigIntegerField("工资（分）")
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "公益岗位月度考勤和工资"
        verbose_name_plural = "公益岗位月度考勤和工资"
        ordering = ["post", "month"]
        constraints = [models.UniqueConstraint(fields=["post", "month"], name="post_month_unique")]


# ---------------------------------------------------------------- 光伏收益 (资产收益, POLICY.md §9)


class PvStation(NeverDeleted):
    """A village PV station (村级光伏扶贫电站): its revenue belongs to the village (收益确权到村)."""

    village = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+", verbose_name="村")
    name = models.CharField("电站名称", max_length=60)
    capacity_kw = models.DecimalField("装机容量（千瓦）", max_digits=9, decimal_places=2)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="建设项目"
    )
    built_year = models.PositiveSmallIntegerField("建成年份")
    created_by = models.CharField("登记人", max_length=150)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "村级光伏电站"
        verbose_name_plural = "村级光伏电站"
        ordering = ["village", "id"]

    def __str__(self) -> str:
        return self.name


class PvYear(NeverDeleted):
    """A station's generation and revenue in one year (as settled with the grid company)."""

    station = models.ForeignKey(PvStation, on_delete=models.PROTECT, related_name="years", verbose_name="电站")
    year = models.PositiveSmallIntegerField("年度")
    generation_kwh = models.PositiveBigIntegerField("发电量（千瓦时）")
    revenue_fen = models.BigIntegerField("收益（分）")
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "光伏电站年度收益"
        verbose_name_plural = "光伏电站年度收益"
        ordering = ["station", "year"]
        constraints = [
            models.UniqueConstraint(fields=["station", "year"], name="pv_year_unique"),
            models.CheckConstraint(condition=models.Q(revenue_fen__gte=0), name="pv_year_revenue_nonnegative"),
        ]


class PvDistribution(NeverDeleted):
    """One line of a village's distribution of its PV revenue: a listed use (公益岗位工资, 小型公益事业,
    奖励补助), the amount, and for wages the post it pays, for rewards what they reward."""

    village = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+", verbose_name="村")
    year = models.PositiveSmallIntegerField("年度")
    use = models.CharField("用途", max_length=24)  # policy.projects_rules.PV_USES
    amount_fen = models.BigIntegerField("金额（分）")
    post = models.ForeignKey(
        WelfarePost, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="公益岗位"
    )
    payee = models.CharField("岗位人员或实施单位", max_length=60, blank=True)
    condition = models.CharField("奖励事由", max_length=100, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    decided_by = models.CharField("决定人", max_length=150)
    decided_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "光伏收益分配"
        verbose_name_plural = "光伏收益分配"
        ordering = ["village", "year", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="pv_distribution_positive")]


# ---------------------------------------------------------------- 爱心超市 (POLICY.md §9)

POINT_ACTIVITY_NAMES = {"policy_talk": "群众讲政策", "sanitation": "环境卫生联帮联治", "model_household": "评为文明户"}


class PointsEntry(NeverDeleted):
    """One line of a household's 爱心积分: points earned for a listed activity (``count`` times, at the
    parameters' points then) or spent on goods in the village store (``points`` negative)."""

    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="points", verbose_name="户"
    )
    day = models.DateField("日期")
    # policy.projects_rules.POINT_ACTIVITIES; the choices name a code in words (审计查询, 修改记录)
    activity = models.CharField("活动", max_length=24, blank=True, choices=list(POINT_ACTIVITY_NAMES.items()))
    count = models.PositiveSmallIntegerField("次数", default=1)
    points = models.IntegerField("积分（兑换为负）")
    goods = models.CharField("兑换物品", max_length=100, blank=True)
    recorded_by = models.CharField("登记人", max_length=150)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "爱心超市积分"
        verbose_name_plural = "爱心超市积分"
        ordering = ["household", "day", "id"]
        indexes = [models.Index(fields=["household", "day"], name="points_household_day")]
