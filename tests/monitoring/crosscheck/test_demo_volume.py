"""The demo's 数据比对 volume follows the county's size (walk8): a 3 000-household demo with the default
20 000's 150 rows per list had 1 537 疑点 — one person in six a department hit, a flood no county sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from jingzhun.core.actions import Actor
from jingzhun.monitoring.crosscheck.demo_data import DEMO_ROWS, add_demo_crosscheck, rows_for
from jingzhun.monitoring.models.crosscheck import Suspect
from jingzhun.registry.importer import import_file
from jingzhun.registry.models import Person
from jingzhun.synth.generate import generate_county

pytestmark = pytest.mark.django_db


def test_a_small_demo_county_gets_a_plausible_number_of_hits(tmp_path: Path) -> None:
    assert rows_for(20_000) == DEMO_ROWS  # the default demo as documented
    synth = generate_county("141102", 3000, 2018, tmp_path)
    actor = Actor.system("demo")
    for path in (synth.regions_path, synth.households_path):
        assert import_file(path, actor=actor).written
    said = add_demo_crosscheck(actor, synth.households_path, 2018, rows=rows_for(3000))
    persons = Person.objects.count()
    assert 0 < Suspect.objects.count() < 0.05 * persons, said
