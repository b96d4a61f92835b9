"""民生账本 for one household: every line by month and program, each with the reason for its amount.

The reason of a run's line is regenerated, not stored: the run's frozen snapshot (``snapshot.py``)
gives the household's frames, events, CPI, history and the parameter tree exactly as they were, and
the policy engine's single path recomputes the line with its explanation (inputs, steps, every
parameter with its date and level), put into words with the staff pages' Chinese labels
(``policy/explain_words.py``: 城乡类别：农村, 农村低保标准（每人每年）：4853 元/年), since the statement is
printed for families. An adjustment shows why it was made (the stored reason) and the
new calculation; a reversal shows the staff member's reason.

Each line shows where its money is (发放状态, from its status events, in ``policy.vocabulary``'s words):
已到账 (the bank confirmed it), 已报盘 (in a bank file, no answer yet), 退回 (returned), 退回，待重发
(returned and queued for the next bank file), 待发 (not yet in a bank file).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl

from jingzhun.ledger.models import BankStatus, LineKind, MonthRun, PaymentLine, PaymentStatusEvent
from jingzhun.ledger.snapshot import RunInputs, unpack
from jingzhun.policy.money import fen_to_grouped
from jingzhun.policy.vocabulary import BANK_REQUEUED, BANK_STATUS_NAMES, PROGRAM_NAMES
from jingzhun.registry.idnumber import mask_id_number

PAID, SENT, RETURNED, PENDING = (BANK_STATUS_NAMES[s] for s in ("paid", "sent", "returned", "pending"))
REQUEUED = BANK_REQUEUED
STATUS_ORDER = (PAID, SENT, RETURNED, REQUEUED, PENDING)


def bank_statuses(line_ids: list[int]) -> dict[int, str]:
    """Each line's bank status in words (see the module doc); one query."""
    history: dict[int, list[str]] = {}
    events = PaymentStatusEvent.objects.filter(line_id__in=line_ids).order_by("line_id", "id")
    for line_id, status in events.values_list("line_id", "status"):
        history.setdefault(line_id, []).append(status)
    out = {}
    for line_id in line_ids:
        statuses = history.get(line_id, [])
        latest = statuses[-1] if statuses else BankStatus.PENDING
        if latest == BankStatus.PENDING:
            out[line_id] = REQUEUED if BankStatus.RETURNED in statuses else PENDING
        else:
            out[line_id] = {BankStatus.PAID: PAID, BankStatus.SENT: SENT, BankStatus.RETURNED: RETURNED}[latest]
    return out


@dataclass
class StatementEntry:
    line_id: int
    month: dt.date
    program: str
    member: str
    kind: str
    amount_fen: int
    bank_status: str
    reason: str

    @property
    def program_name(self) -> str:
        return PROGRAM_NAMES.get(self.program, self.program)

    @property
    def amount(self) -> str:
        """Grouped, two decimals (``1,234.50``): the one money format of the pages."""
        return fen_to_grouped(self.amount_fen)


@dataclass
class Statement:
    household_no: str
    region: str
    head: str
    head_id_masked: str
    entries: list[StatementEntry] = field(default_factory=list)

    @property
    def total_fen(self) -> int:
        return sum(e.amount_fen for e in self.entries)

    def by_status(self) -> list[tuple[str, int]]:
        """Net fen per bank status (已到账, 已报盘, 退回, 退回，待重发, 待发), statuses with lines only."""
        totals: dict[str, int] = {}
        for entry in self.entries:
            totals[entry.bank_status] = totals.get(entry.bank_status, 0) + entry.amount_fen
        return [(status, totals[status]) for status in STATUS_ORDER if status in totals]

    def by_month(self) -> list[tuple[dt.date, list[StatementEntry], int]]:
        months: dict[dt.date, list[StatementEntry]] = defaultdict(list)
        for entry in self.entries:
            months[entry.month].append(entry)
        return [(m, items, sum(e.amount_fen for e in items)) for m, items in sorted(months.items())]


def build_statement(household: Any) -> Statement:
    persons = {p.pk: p for p in household.persons.all()}
    head = next((p for p in persons.values() if p.relation == "head"), next(iter(persons.values()), None))
    region = household.village
    path = [region.name]
    while region.parent_id and region.level != "county":
        region = region.parent
        path.append(region.name)
    statement = Statement(
        household_no=household.household_no,
        region=" ".join(reversed(path)),
        head=head.name if head else "",
        head_id_masked=mask_id_number(head.id_number) if head else "",
    )
    lines = list(
        PaymentLine.objects.filter(household=household).select_related("run", "reverses").order_by("month", "id")
    )
    status = bank_statuses([line.pk for line in lines])
    names = {str(pk): person.name for pk, person in persons.items()}
    for line in lines:
        statement.entries.append(
            StatementEntry(
                line_id=line.pk,
                month=line.month,
                program=line.program,
                member=persons[line.person_id].name if line.person_id in persons else "全户",
                kind=LineKind(line.kind).label,
                amount_fen=line.amount_fen,
                bank_status=status[line.pk],
                reason=reason_for(line, names),
            )
        )
    return statement


def reason_for(line: PaymentLine, names: dict[str, str] | None = None) -> str:
    """``names``: member id → name, for the explanations that list members."""
    if line.kind == LineKind.REVERSAL:
        return f"冲正第 {line.reverses_id} 号台账行：{line.reason}"
    if not line.explain_key or line.run is None:
        return line.reason
    explained = explain(line.run, line.explain_key, line.program, names)
    return f"{line.reason}。{explained}" if line.reason else explained


def explain(run: MonthRun, explain_key: str, program: str, names: dict[str, str] | None = None) -> str:
    """The line of ``program`` for ``household/member`` recomputed from the run's snapshot, in words.

    A 临时救助 line also explains each 补发 it carries, recomputed in its own event month.
    """
    household_id, _, member_id = explain_key.partition("/")
    late = _late_text(run.inputs_sha256, household_id, names) if program == "temporary_assistance" else ""
    if program == "filial_reward":  # a 孝亲敬老 补发 is explained in its Double Ninth month
        late = _late_filial_text(run.inputs_sha256, household_id, names)
    result = _recompute(run.inputs_sha256, household_id)
    if result is None:
        return late or "（快照中找不到该户，无法重算说明）"
    if result.errors:
        return "按当时输入无法计算：" + "；".join(result.errors)
    for line in result.lines:
        if line.program == program and (line.member or "") == member_id:
            return describe(line, names) + late
    return late or "按当时输入重算，本项目应发 0 元。"


def _late_text(sha256: str, household_id: str, names: dict[str, str] | None) -> str:
    from jingzhun.ledger.compute import late_result

    inputs = _snapshot(sha256)
    parts = []
    for event in inputs.late_events:
        if event["household"] != household_id:
            continue
        result = late_result(event, inputs.params)
        for line in result.lines if result is not None else ():
            if line.program == "temporary_assistance":
                parts.append(f"补发 {event['month']}（申请 #{event['application_id']}）：{describe(line, names)}")
    return "".join(parts)


def _late_filial_text(sha256: str, household_id: str, names: dict[str, str] | None) -> str:
    from jingzhun.ledger.compute import late_filial_result

    inputs = _snapshot(sha256)
    parts = []
    for entry in inputs.late_filial:
        if entry["household"] != household_id:
            continue
        for line in late_filial_result(entry, inputs.params).lines:
            if line.program == "filial_reward":
                parts.append(f"补发 {entry['year']} 年重阳节（{entry['month']}）：{describe(line, names)}")
    return "".join(parts)


def describe(line: Any, names: dict[str, str] | None = None) -> str:
    """The recomputed line in Chinese: its amount, the facts and steps, and each parameter it used."""
    from jingzhun.policy.explain import explain_line
    from jingzhun.policy.explain_words import facts, parameter_rows

    data = explain_line(line)
    recorded = facts({**data["inputs"], **data["steps"]}, names)
    steps = "；".join(f"{fact.label}：{_words(fact.value)}" for fact in recorded)
    params = "；".join(
        f"{_leaf(row.label)}：{row.value}（{row.source}，{row.since}{''.join('，' + note for note in row.notes)}）"
        for row in parameter_rows(data["parameters"])
    )
    text = f"按当时输入重算应发 {fen_to_grouped(line.amount_fen)} 元。"
    if steps:
        text += f"计算：{steps}。"
    if params:
        text += f"依据：{params}。"
    return text


def _words(text: str) -> str:
    """The English words inside an engine's text step in Chinese (临时救助: "2020-05-10 emergency: 5000
    (cap 5000)" → "2020-05-10 急难型：5000（上限 5000）"); words without a Chinese name stay."""
    from jingzhun.policy.explain_words import VALUES

    words = {**VALUES, "cap": "上限"}
    text = re.sub(r"[a-z_]+", lambda m: words.get(m.group(), m.group()), text)
    return text.replace(": ", "：").replace(" (", "（").replace("(", "（").replace(")", "）")


def _leaf(label: str) -> str:
    """A parameter's own name without its group's (最低生活保障标准（每人每年）：农村低保标准（每人每年）)."""
    return label.rsplit("：", 1)[-1]


@lru_cache(maxsize=4)
def _snapshot(sha256: str) -> RunInputs:
    """Snapshots are content-addressed, so caching by hash can never serve another run's inputs."""
    from jingzhun.ledger.models import RunSnapshot

    return unpack(RunSnapshot.objects.values_list("data", flat=True).get(sha256=sha256))


def _recompute(sha256: str, household_id: str) -> Any:
    from jingzhun.policy.engine import compute_document
    from jingzhun.policy.frames import frames_to_document

    inputs = _snapshot(sha256)
    households = inputs.households.filter(pl.col("id") == household_id)
    if households.is_empty():
        return None
    persons = inputs.persons.filter(pl.col("household_id") == household_id)
    document = frames_to_document(households, persons)
    member_ids = set(persons["id"].to_list())
    document["events"] = [e for e in inputs.events if e["household"] == household_id]
    document["history"] = {k: v for k, v in inputs.history.items() if k in member_ids}
    support = [s for s in inputs.support_payments if s["household"] == household_id and s["parent"] in member_ids]
    if support:  # 孝亲敬老: the Double Ninth month's records, as the run had them
        document["support_payments"] = support
    if inputs.cpi:
        document["cpi"] = inputs.cpi
    return compute_document(document, inputs.month_key, params=inputs.params).households[0]


def statement_pdf(statement: Statement, path: Path) -> None:
    from reportlab.platypus import Spacer

    from jingzhun.ledger.pdf import document, paragraph, styles, table

    s = styles()
    doc = document(path, f"民生账本 {statement.household_no}", landscape_page=True)
    story: list[Any] = [
        paragraph(f"民生账本 · {statement.household_no}", s["title"]),
        paragraph(
            f"{statement.region}　户主：{statement.head}（{statement.head_id_masked}）　"
            f"累计净额 {fen_to_grouped(statement.total_fen)} 元",
            s["body"],
        ),
        paragraph(
            "发放状态：" + "；".join(f"{label} {fen_to_grouped(fen)} 元" for label, fen in statement.by_status()),
            s["body"],
        ),
        Spacer(1, 6),
    ]
    header = ["编号", "项目", "对象", "类型", "金额（元）", "发放状态", "依据与说明"]
    for month, entries, total in statement.by_month():
        story.append(paragraph(f"{month:%Y 年 %m 月}　本月净额 {fen_to_grouped(total)} 元", s["h2"]))
        rows: list[list[Any]] = [header]
        for e in entries:
            rows.append(
                [
                    str(e.line_id),
                    e.program_name,
                    e.member,
                    e.kind,
                    e.amount,
                    e.bank_status,
                    paragraph(e.reason, s["small"]),
                ]
            )
        story.append(table(rows, [40, 80, 70, 40, 60, 50, 410], numeric=(0, 4)))
    if not statement.entries:
        story.append(paragraph("该户尚无发放记录。", s["body"]))
    doc.build(story)
