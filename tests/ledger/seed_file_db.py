"""Seed a separate database (DATABASE_URL) for the subprocess tests: ``python -m tests.ledger.seed_file_db N``.

Creates one township and village of 离石区 and N elderly 低保 households with their enrollments.
"""

from __future__ import annotations

import sys

from jingzhun.cli.djsetup import setup


def main(count: int) -> None:
    setup()
    from jingzhun.registry.models import Region
    from tests.ledger.factories import elderly_poor_village

    county = Region.objects.get(code="141102")
    township = Region.objects.create(code="141102001000", name="信义镇", level="township", parent=county)
    village = Region.objects.create(code="141102001001", name="信义村", level="village", parent=township)
    elderly_poor_village(village, count)


if __name__ == "__main__":
    main(int(sys.argv[1]))
