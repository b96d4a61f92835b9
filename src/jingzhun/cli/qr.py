"""`jingzhun qr …`: the 一码清 public URLs, printable door labels, and revoking or reissuing a label.

``urls`` and ``labels`` first give every township, village and household in scope a token (through
``ensure_tokens`` as the system actor), so a new village is ready to print in one step. Both warn on
stderr when the URLs would point at this machine (no ``--base``, no JINGZHUN_PUBLIC_BASE_URL): a phone
cannot open them. ``revoke`` and ``reissue`` go through the audited token actions as the system actor,
with the operator's reason; ``reissue`` prints the new URLs (``户号或区域代码<TAB>网址``, one a line).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from jingzhun.public.actions import Target

app = typer.Typer(no_args_is_help=True)

BASE_HELP = "公开页网址前缀（默认取设置 PUBLIC_BASE_URL，即环境变量 JINGZHUN_PUBLIC_BASE_URL）"
LEVEL_NAMES = {"township": "乡镇", "village": "村", "household": "户"}


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=1)


def _base(given: str | None) -> str:
    """``--base`` if given, else ``settings.PUBLIC_BASE_URL`` (call after Django setup)."""
    if given:
        return given
    from django.conf import settings

    return str(getattr(settings, "PUBLIC_BASE_URL", "http://127.0.0.1:8000"))


def _warn_if_local(base: str) -> None:
    """A Chinese warning on stderr (stdout stays machine-readable); the command still runs."""
    from jingzhun.public.listing import is_local

    if is_local(base):
        typer.echo(
            f"注意：二维码地址是本机地址 {base}，手机扫码打不开；正式打印请加 --base 或设置 JINGZHUN_PUBLIC_BASE_URL。",
            err=True,
        )


def _resolve(target: str) -> Target:
    """户号 or a township/village code → the Household or Region; a Chinese ``typer.Exit`` otherwise."""
    from jingzhun.registry.models import Household, Region, RegionLevel

    household = Household.objects.filter(household_no=target).select_related("village__parent").first()
    if household is not None:
        return household
    region = Region.objects.filter(code=target).first()
    if region is None:
        raise _fail(f"未找到户号或区域代码 {target}：请给出户编号，或 12 位乡镇、村级区划代码。")
    if region.level not in (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE):
        raise _fail(f"一码清只为乡镇、村和户生成二维码（{region.name} 是{region.get_level_display()}）。")
    return region


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise _fail("请用 --reason 写明原因，例如 --reason 门牌丢失（原因记入审计记录）。")
    return reason


def _describe(target: Target) -> str:
    from jingzhun.registry.models import Household

    if isinstance(target, Household):
        return f"户 {target.household_no}"
    return f"{target.get_level_display()} {target.name}（{target.code}）"


def _code(target: Target) -> str:
    from jingzhun.registry.models import Household

    return target.household_no if isinstance(target, Household) else target.code


@app.command("urls")
def urls(
    village: str | None = typer.Option(None, "--village", help="只列出该村（12 位村级区划代码）及其各户"),
    base: str | None = typer.Option(None, "--base", help=BASE_HELP),
    fmt: str = typer.Option("table", "--format", help="输出格式 table | json"),
) -> None:
    """列出乡镇、村、户的一码清公开页网址（缺少的二维码令牌先自动生成）。"""
    import json

    from jingzhun.cli.djsetup import setup

    if fmt not in ("table", "json"):  # a malformed invocation: 2, as every command's bad option
        typer.echo(f"输出格式 [--format] 须为 table | json，得到 {fmt!r}", err=True)
        raise typer.Exit(code=2)
    setup()
    from jingzhun.core.actions import Actor
    from jingzhun.public.actions import ensure_tokens
    from jingzhun.public.listing import UnknownVillage, find_village, public_links

    prefix = ""
    if village:
        try:
            prefix = find_village(village).code
        except UnknownVillage as e:
            raise _fail(str(e)) from None
    ensure_tokens(Actor.system("jingzhun qr urls"), prefix)
    url_base = _base(base)
    _warn_if_local(url_base)
    links = public_links(prefix, url_base)
    if fmt == "json":
        typer.echo(json.dumps(links, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"一码清公开页（{len(links)} 个）")
    table.add_column("层级")
    table.add_column("代码")
    table.add_column("网址", overflow="fold")
    for link in links:
        table.add_row(LEVEL_NAMES[link["level"]], link["code"], link["url"])
    Console().print(table)


@app.command("labels")
def labels(
    village: Annotated[str, typer.Option("--village", help="村级区划代码（12 位）")],
    out: Annotated[Path, typer.Option("--out", help="输出 PDF 文件")],
    base: str | None = typer.Option(None, "--base", help=BASE_HELP),
) -> None:
    """生成本村各户门牌二维码标签（A4，每页 2×4 张，内嵌中文字体）。"""
    from jingzhun.cli.djsetup import setup

    setup()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from jingzhun.core.actions import Actor
    from jingzhun.public.actions import ensure_tokens
    from jingzhun.public.labels import FontMissing, register_font, write_labels
    from jingzhun.public.listing import UnknownVillage, find_village, village_labels

    try:
        register_font()
        region = find_village(village)
    except (FontMissing, UnknownVillage) as e:
        raise _fail(str(e)) from None
    ensure_tokens(Actor.system("jingzhun qr labels"), region.code)
    url_base = _base(base)
    _warn_if_local(url_base)
    rows = village_labels(region, url_base)
    progress = Progress(
        TextColumn("门牌标签"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=Console(stderr=True)
    )
    with progress:
        task = progress.add_task("labels", total=len(rows))
        pages = write_labels(rows, out, title=f"{region.name} 一码清门牌标签", advance=lambda: progress.advance(task))
    typer.echo(f"已生成 {out}：{len(rows)} 户，{pages} 页。", err=True)


REASON_HELP = "原因（必填，记入审计记录），例如：门牌丢失、门牌被拍照外传"


@app.command("revoke")
def revoke(
    target: Annotated[str, typer.Argument(metavar="HOUSEHOLD_NO|REGION_CODE", help="户编号，或乡镇、村区划代码")],
    reason: Annotated[str, typer.Option("--reason", help=REASON_HELP)],
) -> None:
    """作废一个户、村或乡镇的二维码：旧门牌立即失效（公开页与未知令牌一样返回 404），不生成新码。"""
    from jingzhun.cli.djsetup import setup

    reason = _reason(reason)
    setup()
    from django.core.exceptions import PermissionDenied

    from jingzhun.core.actions import Actor
    from jingzhun.public.actions import active_token, revoke_token

    resolved = _resolve(target)
    token = active_token(resolved)
    if token is None:
        raise _fail(f"{_describe(resolved)} 当前没有有效的二维码，无需作废。")
    try:
        revoke_token(Actor.system("jingzhun qr revoke"), token, reason=reason)
    except PermissionDenied as e:
        raise _fail(str(e)) from None
    typer.echo(
        f"已作废{_describe(resolved)} 的二维码，旧门牌已失效。需要新门牌时运行 jingzhun qr reissue {_code(resolved)}。",
        err=True,
    )


@app.command("reissue")
def reissue(
    target: Annotated[
        str | None,
        typer.Argument(metavar="[HOUSEHOLD_NO|REGION_CODE]", help="户编号，或乡镇、村区划代码（与 --village 二选一）"),
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help=REASON_HELP)] = "",
    village: str | None = typer.Option(None, "--village", help="重新生成该村（12 位村级区划代码）每一在册户的二维码"),
    base: str | None = typer.Option(None, "--base", help=BASE_HELP),
) -> None:
    """作废并重新生成二维码，打印新网址（每行：户号或区域代码、制表符、网址）；旧门牌立即失效，请重新打印。"""
    from jingzhun.cli.djsetup import setup

    if (target is None) == (village is None):
        raise _fail("请给出一个户编号或区域代码，或用 --village 指定一个村（二者选一）。")
    reason = _reason(reason)
    setup()
    from django.core.exceptions import PermissionDenied

    from jingzhun.core.actions import Actor
    from jingzhun.public.actions import reissue_tokens
    from jingzhun.public.listing import UnknownVillage, find_village, page_url
    from jingzhun.registry.models import Household

    targets: list[Target]
    if village is not None:
        try:
            region = find_village(village)
        except UnknownVillage as e:
            raise _fail(str(e)) from None
        targets = list(Household.objects.filter(village=region, active=True).order_by("household_no"))
        if not targets:
            raise _fail(f"村 {region.name}（{region.code}）没有在册户，没有需要重新生成的二维码。")
        what = f"村 {region.name} 的 {len(targets)} 户"
        labels_hint = region.code
    else:
        resolved = _resolve(target or "")
        if isinstance(resolved, Household) and not resolved.active:
            raise _fail(f"户 {resolved.household_no} 已销户，公开页不再显示，不能重新生成二维码。")
        targets = [resolved]
        what = f"{_describe(resolved)} "
        labels_hint = resolved.village.code if isinstance(resolved, Household) else ""
    url_base = _base(base)
    _warn_if_local(url_base)
    actor = Actor.system("jingzhun qr reissue")
    try:
        tokens = reissue_tokens(actor, targets, reason=reason)
    except PermissionDenied as e:
        raise _fail(str(e)) from None
    for t, token in tokens:
        typer.echo(f"{_code(t)}\t{page_url(url_base, token.token)}")
    hint = f"，请重新打印门牌（jingzhun qr labels --village {labels_hint} --out 门牌.pdf）" if labels_hint else ""
    typer.echo(f"已重新生成{what}的二维码，旧门牌已失效{hint}。", err=True)
