"""批量导入: a validated registry file and its regions in one transaction with one audit row."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import transaction

from jingzhun.core.actions import Actor, record_audit
from jingzhun.registry.actions._base import (
    check_writer,
)
from jingzhun.registry.regions_file import NewRegion
from jingzhun.registry.validate import ParsedRegistry


def import_registry(
    actor: Actor,
    *,
    registry: ParsedRegistry | None = None,
    regions: Sequence[NewRegion] = (),
    file_name: str,
    sha256: str,
    progress: Callable[[int], None] | None = None,
    numbers: dict[str, str] | None = None,
) -> dict[str, int]:
    """批量导入 a validated file (:mod:`jingzhun.registry.importer`): one transaction, ONE audit row for all of it.

    ``registry`` is a :class:`~jingzhun.registry.validate.ParsedRegistry`, ``regions`` a list of
    :class:`~jingzhun.registry.regions_file.NewRegion`. A failure anywhere rolls everything back.

    Households get their 户编号 from :func:`.numbering.assign` (a file's own "新-01" is replaced by the
    village's next number); ``numbers``, when given, receives {file number: assigned number}.
    """
    from jingzhun.registry import bulk, numbering

    villages = set(registry.households["village_code"].unique()) if registry is not None else set()
    codes = sorted({r.code for r in regions} | villages)
    check_writer(actor, actor.scope)  # refuses read-only accounts and 帮扶 cadres even for an empty file
    for code in codes:
        check_writer(actor, code)
    counts = {"regions": 0, "households": 0, "persons": 0}
    with transaction.atomic():
        counts["regions"] = bulk.write_regions(list(regions))
        if registry is not None:
            households, persons, assigned = numbering.assign(registry.households, registry.persons)
            registry = ParsedRegistry(households, persons)
            counts.update(bulk.write_registry(registry, progress))
            counts["assigned"] = len(assigned)
            if numbers is not None:
                numbers.update(assigned)
        counties = sorted({code[:6] for code in codes})
        record_audit(
            actor,
            "registry.import",
            object_type="ImportFile",
            object_id=sha256,
            region_code=counties[0] if len(counties) == 1 else "",
            after={"file": file_name, "sha256": sha256, **counts},
        )
    return counts
