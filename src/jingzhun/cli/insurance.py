"""`jingzhun insurance …` — 一保通 jobs that join two apps (the front door may; the apps are siblings).

``chronic-supplements``: the year's 慢性病门诊 claims recorded in the medical app, handed to the insurance
app's 慢性病门诊补充 rule (POLICY.md §6: 100 % / 90 % of what 基本医保's chronic benefit left, by disease list).
Idempotent: a claim already supplemented is skipped. Heavy imports stay inside the command body.
"""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


@app.command("chronic-supplements")
def chronic_supplements(
    year: Annotated[int, typer.Option("--year", help="年度")],
    county: Annotated[str, typer.Option("--county", help="县（区）代码")] = "141130",
) -> None:
    """一保通慢性病门诊补充：按医疗模块登记的慢性病门诊报销计算补充赔付，记入民生账本。"""
    from jingzhun.cli.djsetup import setup

    setup()
    from jingzhun.core.actions import Actor
    from jingzhun.insurance.actions import ChronicRow, ClaimError, compute_chronic_supplements
    from jingzhun.medical.queries import chronic_claims
    from jingzhun.policy.insurance import disease_list
    from jingzhun.policy.money import fen_to_grouped

    rows = [
        ChronicRow(r.claim_no, r.household_no, r.date, r.in_catalogue_fen, disease_list(r.disease))
        for r in chronic_claims(county, year)
    ]
    try:
        made = compute_chronic_supplements(Actor.system("cli"), county, rows)
    except ClaimError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(code=1) from None
    total = sum(c.amount_fen for c in made)
    typer.echo(f"慢性病门诊 {len(rows)} 笔，新增一保通补充赔付 {len(made)} 笔，共 {fen_to_grouped(total)} 元")
