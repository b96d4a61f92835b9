"""Every rate the synthetic county uses, and where it comes from.

Sources: **[seed 000]** etc. = ``../shared/seeds/NNN_*.txt`` (吕梁日报 pages), **[POLICY]** = POLICY.md,
**[default]** = chosen by us because the sources are silent (the reason is given).

Scale. The 离石区 figures are counts for a district of about 300 000 residents (the project brief's
figure; no seed states it) — about 103 448 households at 2.9 persons. A synthetic 离石区 of *N*
households gets ``count × N / 103 448``. Other counties get the same count per *rural* household
(the 低保/特困 figures are rural rolls), so poorer, more rural counties get proportionally more.

================================  =========================  ==============================================
rate                              value                      source
================================  =========================  ==============================================
households with per-capita        5 379 per 103 448          [seed 000] "农村低保兜底保障 5379 户，6808人"
income below 3 744 (2018 rural                               (also seed 002); 3 744 is the 2018 rural
低保 standard)                                                standard [seed 000, POLICY §3]
… of which registered poor        1 898 / 5 379 = 35.3 %     [seed 000] "其中建档立卡贫困户 1898 户，3160 人"
… of their persons with a         1 770 per 103 448 hh       [seed 000] "发放残疾人生活补贴 1770人" — paid to
second-generation disability                                 低保 members holding 二代残疾证 (POLICY §4)
card
further households between       0.25 × the 2018 roll       [default] the standard rose 30 % to 4 853 in
3 744 and 4 853 (2020 standard)                              2020 [seed 001]; no 2020 离石区 roll is given
households just above 4 853       0.28 × the 2018 roll       [default] a near-threshold band (4 853–6 000)
(4 853–6 000)                                                so threshold changes move households; 6 000 =
                                                             1.5 × the 2020 poverty line 4 000 [POLICY §6,§8]
urban households below 5 040      1.5 % of urban households  [default] no urban roll in the seeds; 5 040 is
                                                             方山县's urban standard [seed 003, POLICY §3]
特困 persons (rural, no income,   850 per 103 448 hh         [seed 000] "农村分散供养人员 808人，集中供养人员
no capable supporter)                                        42人" (seed 002: 805 + 45 = 850)
… of them 集中供养                 42 / 850 = 4.9 %           [seed 000]
… of them registered poor         286 / 850 = 33.6 %         [seed 000] "其中，建档立卡贫困户 286人"
80–99-year-olds among persons     ≈ 12 % (ranking, see       [seed 000] 821 高龄 subsidies among 6 808 低保
below the standard                selection.py)              persons
registered-poor households        3 600 per 103 448          [default] seed 002: the 核桃 program alone
(建档立卡, cumulative 2014–2016)                              covered "贫困户 2983户 7376人" (a subset), and
                                                             incidence fell 2.77 % → <1 % with 2 100 exits
                                                             in 2018; 3 600 is a little above that subset
registration year 2014/15/16      72 / 13 / 15 %             [default] 2014 was the national 建档立卡 year;
                                                             later years are 动态调整 additions
exit year 2014 … 2019, not yet    10/12/17/22/25/12 %, 2 %   [default] shaped by seed 002 (2 100 persons
                                                             exited in 2018, incidence <1 % after) and
                                                             seed 000 (马家沟村: 9 of 34 households exited
                                                             2014, the other 25 in 2018)
exited households 监测对象        15 % if income < 6 000,     [default] POLICY §8 flags per-capita income
                                  2 % otherwise              < 1.5 × line
易地扶贫搬迁 (relocated)           25 % of registered poor    [default] seed 002: 716 poor persons relocated
                                                             in 2018 alone, 97 natural villages demolished
disability (certificate holders)  0.6 % under 18, 2.2 %      [default] national certificate holding ≈ 2.6 %
by age                            18–44, 4.5 % 45–59, 7 %    of residents, higher among the rural old
                                  60–79, 12 % 80+
grades 1 / 2 / 3 / 4              13 / 27 / 25 / 35 %        [default] typical certificate mix
需长期照护 (grades 1–2)            if not 全自理, else 45 %   [default] calibrated so ≈ 1.1 % of persons get
                                                             护理补贴, as 36 939 of ≈ 3.4 M residents do
                                                             city-wide [seed 001; census population]
第二代残疾证                        92 % of certificate        [default] the second-generation card has been
                                  holders                    issued since 2008
失能认定 (certified)               0.4 % at 60–79, 1.5 % 80+  [default] seed 000 paid 失能 subsidy to 30 低保
                                                             elders only: certification is rare
重病 / 重特大疾病晚期              0.3–2.5 % / 0.08 % by age  [default]; late stage 5× in registered-poor
                                                             households (seed 000: 39 大病关怀 in 2018)
chronic disease                   2 % <45, 15 % 45–59, 35 %  [default] seed 002: 3 254 poor persons signed
                                  60–74, 45 % 75+            for chronic-disease care (≈ 38 % of the poor)
pupils / dropouts                 by age, dropouts 0.3 %     [default] compulsory schooling near universal
                                  of ages 7–15               (seed 004: "无因贫辍学学生")
disqualification flags            rural 1.5/0.5/0.5/0.8/0.2  [default] vehicle / business / civil servant /
                                  %, urban 3/1.2/1.5/2.5/0.5 commercial housing / large deposit: the flags a
                                  %                          数据比对 finds, so small; ×0.2 for registered
                                                             poor, 0 for 特困
================================  =========================  ==============================================

Shapes that are not single rates live with the code that draws them, each with its source: household
sizes and relations (``people.py``), townships, urban shares, village counts and 贫困村 (``counties.py``,
``regions.py``), health and schooling (``health.py``), incomes (``incomes.py``), statuses, causes,
housing and cadres (``households.py``). Incomes are 2019 yuan (``INCOME_YEAR``), assessed at
``REFERENCE_DATE``.
"""

from __future__ import annotations

import datetime as dt

REFERENCE_DATE = dt.date(2020, 6, 30)  # the registry snapshot: ages, statuses and dates are as of this day
INCOME_YEAR = 2019  # the last full year before the snapshot

LISHI_HOUSEHOLDS = 103_448  # ≈ 300 000 residents / 2.9 persons per household (brief; not in the seeds)

# Yuan per person per year; used as thresholds when placing incomes (POLICY §3, §6).
DIBAO_RURAL_2018 = 3744
DIBAO_RURAL_2020 = 4853
DIBAO_URBAN = 5040
NEAR_TOP = 6000  # 1.5 × the 2020 poverty line 4 000

# Counts per LISHI_HOUSEHOLDS households (离石区 2018).
DIBAO_HOUSEHOLDS = 5379
DIBAO_REGISTERED_POOR_SHARE = 1898 / 5379
DISABILITY_SUBSIDY_PERSONS = 1770
DIBAO_2020_BAND_SHARE = 0.25
NEAR_BAND_SHARE = 0.28
URBAN_LOW_INCOME_SHARE = 0.015
EXTRA_DISQUALIFIED_SHARE = 0.03  # low-income but flagged households, ×the 2018 roll: 数据比对 hits
TEKUN_PERSONS = 850
TEKUN_INSTITUTION_SHARE = 42 / 850
TEKUN_REGISTERED_POOR_SHARE = 286 / 850
REGISTERED_POOR_HOUSEHOLDS = 3600

REGISTERED_YEAR_P = {2014: 0.72, 2015: 0.13, 2016: 0.15}
EXIT_YEAR_P = {2014: 0.10, 2015: 0.12, 2016: 0.17, 2017: 0.22, 2018: 0.25, 2019: 0.12, 0: 0.02}  # 0 = not yet
# 监测对象 marks on exited households (low income / other): 吕梁 2020 monitored a few % of 建档立卡 persons,
# under the 5 % warning (POLICY.md §8). At the demo's 20 000 households, seed 2018: 43 of 1 768 persons (2.4 %);
# the demo's own 纳入监测 decisions bring it to 4.4 % (tests/synth/test_rates.py).
MONITORED_IF_LOW = 0.08
MONITORED_OTHERWISE = 0.01
RELOCATED_SHARE = 0.25

# (upper age bound exclusive, rate)
DISABILITY_BY_AGE = ((18, 0.006), (45, 0.022), (60, 0.045), (80, 0.07), (200, 0.12))
DISABILITY_GRADE_P = (0.13, 0.27, 0.25, 0.35)
DISABILITY_CATEGORY_P = {
    "肢体": 0.48,
    "视力": 0.12,
    "听力": 0.10,
    "智力": 0.09,
    "精神": 0.10,
    "多重": 0.09,
    "言语": 0.02,
}
CARD_GEN2 = 0.92
LONG_TERM_CARE_IF_SELF_CARING = 0.45
CERTIFIED_DISABLED_ELDER = ((60, 0.0), (80, 0.004), (200, 0.015))
SERIOUS_ILLNESS_BY_AGE = ((45, 0.003), (60, 0.012), (200, 0.025))
LATE_STAGE = 0.0008
LATE_STAGE_POOR_FACTOR = 5.0
CHRONIC_BY_AGE = ((45, 0.02), (60, 0.15), (75, 0.35), (200, 0.45))
DROPOUT = 0.003
MEDICAL_INSURANCE = 0.985  # 特困: always; registered poor: all but the gaps below (三保障)
# The registered poor's 三保障 gaps at the 2020 exit check [default]: a newborn not yet enrolled, a
# member enrolled nowhere (a migrant worker between jobs); a 7–15-year-old of a registered-poor
# household out of school (劝返 still pending) on top of the county-wide DROPOUT.
REGISTERED_UNINSURED = 0.004
NEWBORN_UNINSURED = 0.25
REGISTERED_EXTRA_DROPOUT = 0.01

DISQUALIFIED_P = {  # label: (rural, urban)
    "车辆": (0.015, 0.03),
    "经营实体": (0.005, 0.012),
    "公职人员": (0.005, 0.015),
    "商品房": (0.008, 0.025),
    "大额存款": (0.002, 0.005),
}
DISQUALIFIED_POOR_FACTOR = 0.2
