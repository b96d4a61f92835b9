"""Every write to the project-and-fund library: one function, one transaction, one audit row, region-checked.

Rules:

* a project is located in a county, a township or a village (项目所在区域) inside the actor's region; a
  village cadre can enter only their village's projects, the county office any of the county's;
* 项目编号 is unique and never changes; a project's status only moves forward (计划 → 在建 → 完工 → 已验收);
* funds are added as :class:`FundAllocation` rows in integer fen, each above zero;
* households named as direct beneficiaries (直接受益户) live inside the project's region, and
  受益户数 is at least their number;
* nothing is deleted, and neither auditors (审计) nor 帮扶 cadres (who read their households, write 帮扶记录
  and propose registry changes — nothing else) may write here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role
from jingzhun.core.scope import region_prefix
from jingzhun.projects.models import STATUS_ORDER, FundAllocation, FundSource, Project, ProjectKind, ProjectStatus
from jingzhun.registry.models import Household, Region, RegionLevel

PROJECT_EDITABLE = frozenset({"name", "kind", "region", "year", "status", "beneficiary_households", "description"})
PROJECT_LEVELS = (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)
FIRST_YEAR = 2013  # 精准扶贫 and 建档立卡 start in 2013–2014
PLANNING_YEARS = 5  # the library holds planned projects up to a 五年规划 ahead


def snapshot(project: Project) -> dict[str, Any]:
    """The audit trail's view of a project (the region by code, the M2M by 户编号 is left to the caller)."""
    return {
        "code": project.code,
        "name": project.name,
        "kind": project.kind,
        "region": project.region.code,
        "year": project.year,
        "status": project.status,
        "beneficiary_households": project.beneficiary_households,
        "description": project.description,
    }


def check_writer(actor: Actor, region_code: str) -> None:
    """The region check of every write here, and no 帮扶 cadre (module docstring)."""
    check_region(actor, region_code)
    if actor.role == Role.ASSIGNED_CADRE:
        raise PermissionDenied("帮扶干部不能修改项目资金库（只能记录帮扶记录、提出信息变更申请）。")


def _region(actor: Actor, region: Region | str) -> Region:
    code = region if isinstance(region, str) else region.code
    check_writer(actor, code)
    found = Region.objects.filter(code=code).first()
    if found is None:
        raise ValidationError({"region": f"区域代码 {code} 不存在 [region]"})
    if found.level not in PROJECT_LEVELS:
        raise ValidationError(
            {"region": f"项目所在区域应为县、乡镇或村，{found.name}是{found.get_level_display()} [region]"}
        )
    return found


def _check_year(year: int, today: dt.date | None = None) -> None:
    from jingzhun.core import workday

    last = (today or workday.today()).year + PLANNING_YEARS
    if not FIRST_YEAR <= year <= last:
        raise ValidationError({"year": f"年度 {year} 超出范围（应在 {FIRST_YEAR}–{last} 之间）[year]"})


def _beneficiaries(project: Project, household_nos: Sequence[str]) -> list[Household]:
    """The named households, each inside the project's region (one query)."""
    found = {
        h.household_no: h for h in Household.objects.filter(household_no__in=household_nos).select_related("village")
    }
    if missing := [no for no in household_nos if no not in found]:
        raise ValidationError({"households": f"户编号不存在：{'、'.join(missing)} [households]"})
    prefix = region_prefix(project.region.code)
    if outside := [no for no in household_nos if not found[no].village.code.startswith(prefix)]:
        raise ValidationError({"households": f"不在项目所在区域内的户：{'、'.join(outside)} [households]"})
    if project.beneficiary_households < len(found):
        raise ValidationError(
            {
                "beneficiary_households": f"受益户数 {project.beneficiary_households} 少于直接受益户 {len(found)} 户"
                " [beneficiary_households]"
            }
        )
    return list(found.values())


def check_project(actor: Actor, project: Project | None, fields: Mapping[str, Any]) -> Region | None:
    """The rules a form can check before the action runs (the action checks them again): the region in
    scope and of a project level, the year in range, the status not going back. Returns the region."""
    region = _region(actor, fields["region"]) if fields.get("region") is not None else None
    if fields.get("year") is not None:
        _check_year(int(fields["year"]))
    status = fields.get("status")
    if project is not None and status in STATUS_ORDER and STATUS_ORDER[status] < STATUS_ORDER[project.status]:
        was, to = ProjectStatus(project.status).label, ProjectStatus(status).label
        raise ValidationError({"status": f"项目状态不能从「{was}」退回「{to}」 [status]"})
    return region


def _validated(project: Project) -> None:
    """Chinese messages with the field key for what a cadre may get wrong, then the model's own checks."""
    if project.kind not in ProjectKind.values:
        raise ValidationError({"kind": f"「{project.kind}」不是项目类型，可选：{'、'.join(ProjectKind.labels)} [kind]"})
    if project.status not in ProjectStatus.values:
        raise ValidationError(
            {"status": f"「{project.status}」不是项目状态，可选：{'、'.join(ProjectStatus.labels)} [status]"}
        )
    _check_year(project.year)
    project.full_clean()


def create_project(
    actor: Actor,
    *,
    code: str,
    name: str,
    kind: str,
    region: Region | str,
    year: int,
    status: str = ProjectStatus.PLANNED,
    beneficiary_households: int = 0,
    description: str = "",
    households: Sequence[str] = (),
) -> Project:
    """项目入库: a new project (without funds; see :func:`add_allocation`). ``households`` are 户编号."""
    located = _region(actor, region)
    with transaction.atomic():
        if Project.objects.filter(code=code).exists():
            raise ValidationError({"code": f"项目编号 {code} 已存在 [code]"})
        project = Project(
            code=code,
            name=name,
            kind=kind,
            region=located,
            year=year,
            status=status,
            beneficiary_households=beneficiary_households,
            description=description,
        )
        _validated(project)
        project.save()
        named = _beneficiaries(project, households)
        project.households.set(named)
        after = {**snapshot(project), "households": sorted(households)}
        record_audit(
            actor,
            "projects.create_project",
            object_type="Project",
            object_id=code,
            region_code=located.code,
            after=after,
        )
    return project


def update_project(
    actor: Actor, project: Project, *, households: Sequence[str] | None = None, **changes: Any
) -> Project:
    """Edit a project. The status only moves forward; moving it to another region needs both regions in scope."""
    if unknown := set(changes) - PROJECT_EDITABLE:
        raise ValueError(f"update_project cannot change {sorted(unknown)}")
    check_writer(actor, project.region.code)
    if "region" in changes:
        changes["region"] = _region(actor, changes["region"])
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("region").get(pk=project.pk)
        check_writer(actor, project.region.code)  # where it is now, not where the caller's copy said
        before = snapshot(project)
        check_project(actor, project, {k: v for k, v in changes.items() if k != "region"})
        for field, value in changes.items():
            setattr(project, field, value)
        _validated(project)
        project.save()
        after = snapshot(project)
        if households is not None:
            before["households"] = sorted(project.households.values_list("household_no", flat=True))
            project.households.set(_beneficiaries(project, households))
            after["households"] = sorted(households)
        elif "region" in changes or "beneficiary_households" in changes:
            _beneficiaries(project, list(project.households.values_list("household_no", flat=True)))
        changed = [k for k in after if before.get(k) != after[k]]
        record_audit(
            actor,
            "projects.update_project",
            object_type="Project",
            object_id=project.code,
            region_code=project.region.code,
            before={k: before.get(k) for k in changed},
            after={k: after[k] for k in changed},
        )
    return project


def add_allocation(actor: Actor, project: Project, *, source: str, amount_fen: int, note: str = "") -> FundAllocation:
    """资金入库: funds from one source (integer fen, above zero) matched to the project."""
    check_writer(actor, project.region.code)
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int):
        raise ValidationError({"amount_fen": "金额须为整数分 [amount_fen]"})
    if amount_fen <= 0:
        raise ValidationError({"amount_fen": "金额须大于 0 [amount_fen]"})
    if source not in FundSource.values:
        raise ValidationError({"source": f"「{source}」不是资金来源，可选：{'、'.join(FundSource.labels)} [source]"})
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("region").get(pk=project.pk)
        allocation = FundAllocation(project=project, source=source, amount_fen=amount_fen, note=note)
        allocation.full_clean()
        allocation.save()
        record_audit(
            actor,
            "projects.add_allocation",
            object_type="FundAllocation",
            object_id=allocation.pk,
            region_code=project.region.code,
            after={"project": project.code, "source": source, "amount_fen": amount_fen, "note": note},
        )
    return allocation


@dataclass(frozen=True)
class NewProject:
    """A validated project of an import file, with its allocations as (source, amount_fen)."""

    row: int
    code: str
    name: str
    kind: str
    region_code: str
    year: int
    status: str
    beneficiary_households: int
    description: str
    allocations: tuple[tuple[str, int], ...]


def import_projects(actor: Actor, projects: Iterable[NewProject], *, file_name: str, sha256: str) -> dict[str, int]:
    """批量导入 a validated file (:mod:`jingzhun.projects.importer`): one transaction, ONE audit row for all.

    The importer has checked every row; the database constraints (unique 项目编号, positive amounts) still
    hold, so a file racing another user's entry rolls back whole.
    """
    projects = list(projects)
    codes = sorted({p.region_code for p in projects})
    check_writer(actor, actor.scope)  # refuses read-only accounts even for an empty file
    for code in codes:
        check_writer(actor, code)
    with transaction.atomic():
        regions = dict(Region.objects.filter(code__in=codes).values_list("code", "pk"))
        made = Project.objects.bulk_create(
            Project(
                code=p.code,
                name=p.name,
                kind=p.kind,
                region_id=regions[p.region_code],
                year=p.year,
                status=p.status,
                beneficiary_households=p.beneficiary_households,
                description=p.description,
            )
            for p in projects
        )
        ids = dict(Project.objects.filter(code__in=[p.code for p in made]).values_list("code", "pk"))
        allocations = FundAllocation.objects.bulk_create(
            FundAllocation(project_id=ids[p.code], source=source, amount_fen=fen)
            for p in projects
            for source, fen in p.allocations
        )
        counts = {"projects": len(made), "allocations": len(allocations)}
        counties = sorted({code[:6] for code in codes})
        record_audit(
            actor,
            "projects.import",
            object_type="ImportFile",
            object_id=sha256,
            region_code=counties[0] if len(counties) == 1 else "",
            after={
                "file": file_name,
                "sha256": sha256,
                **counts,
                "amount_fen": sum(fen for p in projects for _, fen in p.allocations),
            },
        )
    return counts
