"""Exact and fuzzy matching of list rows to registry persons (POLICY.md §8 数据比对)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from jingzhun.crosscheck import link
from jingzhun.crosscheck.names import name_keys
from jingzhun.registry.idnumber import make_id_number
from tests.crosscheck.conftest import add_person, as_list_row, list_rows, other_township_village


def _person(registry: pl.DataFrame, index: int) -> dict[str, object]:
    return registry.row(index, named=True)


def _hit(linked_hits: pl.DataFrame, row: int) -> dict[str, object] | None:
    found = linked_hits.filter(pl.col("row") == row)
    assert found.height <= 1
    return found.row(0, named=True) if found.height else None


def test_names_are_compared_in_simplified_characters_and_pinyin() -> None:
    keys = name_keys(pl.Series(["劉國華", "刘国华", "刘国化", " 王 建国", None]))
    assert keys["name"].to_list()[:2] == ["刘国华", "刘国华"]
    assert keys["name_py"].to_list()[:3] == ["liu guo hua"] * 3
    assert keys["name"][3] == "王建国"
    assert keys["name"][4] is None


def test_exact_matching_uses_the_validated_id_and_the_converted_15_digit_id(registry: pl.DataFrame) -> None:
    a, b = _person(registry, 10), _person(registry, 20)
    assert b["birth_date"].year < 2000
    old = b["id_number"][:6] + b["id_number"][8:17]
    rows = list_rows(
        as_list_row(a, name="完全不同"),  # the ID decides; the name is evidence for the village to check
        as_list_row(b, id_number=old),
    )
    linked = link(registry, rows, fuzzy_matching=False)
    assert [(h["row"], h["id_number"], h["match"], h["weight"]) for h in linked.hits.iter_rows(named=True)] == [
        (2, a["id_number"], "exact", 1.0),
        (3, b["id_number"], "exact", 1.0),
    ]
    assert linked.hits["household_no"].to_list() == [a["household_no"], b["household_no"]]


def test_a_valid_id_that_is_not_in_the_registry_is_no_hit_even_if_the_name_fits(registry: pl.DataFrame) -> None:
    a = _person(registry, 30)
    stranger = make_id_number("140105", a["birth_date"], 7, "M")
    linked = link(registry, list_rows(as_list_row(a, id_number=stranger)))
    assert linked.hits.is_empty()
    assert linked.stats["rows_without_usable_id"] == 0


def test_an_invalid_id_falls_back_to_fuzzy_matching(registry: pl.DataFrame) -> None:
    a = _person(registry, 40)
    typo = a["id_number"][:17] + ("0" if a["id_number"][17] != "0" else "1")
    linked = link(registry, list_rows(as_list_row(a, id_number=typo), as_list_row(_person(registry, 50))))
    hit = _hit(linked.hits, 2)
    assert hit is not None
    assert (hit["id_number"], hit["match"]) == (a["id_number"], "fuzzy")
    assert 0.9 <= hit["weight"] <= 1.0
    assert (hit["agree_name"], hit["agree_birth"], hit["agree_village"]) == ("exact", "exact", "same_village")
    assert _hit(linked.hits, 3)["match"] == "exact"  # type: ignore[index]


def test_fuzzy_matching_survives_traditional_characters_and_swapped_day_and_month(registry: pl.DataFrame) -> None:
    people = registry.filter(
        pl.col("name").str.contains("国|华|丽|东|红|军|凤|兰|刘|张|陈|赵|马"),
        pl.col("birth_date").dt.day() <= 12,
        pl.col("birth_date").dt.day() != pl.col("birth_date").dt.month(),
    )
    a, b = people.row(0, named=True), people.row(1, named=True)
    import opencc

    traditional = opencc.OpenCC("s2t").convert(a["name"])
    assert traditional != a["name"]
    birth = b["birth_date"]
    rows = list_rows(
        as_list_row(a, id_number=None, name=traditional),
        as_list_row(b, id_number=None, birth_date=dt.date(birth.year, birth.day, birth.month)),
    )
    linked = link(registry, rows)
    assert _hit(linked.hits, 2)["id_number"] == a["id_number"]  # type: ignore[index]
    assert _hit(linked.hits, 2)["agree_name"] == "simplified"  # type: ignore[index]
    assert _hit(linked.hits, 3)["id_number"] == b["id_number"]  # type: ignore[index]
    assert _hit(linked.hits, 3)["agree_birth"] == "day_month_swapped"  # type: ignore[index]


def test_a_namesake_with_the_same_birthday_in_another_township_is_never_matched(registry: pl.DataFrame) -> None:
    """POLICY.md §8: a village stated in a list row is binding."""
    a = _person(registry, 60)
    elsewhere = other_township_village(registry, a["village"])
    rows = list_rows(
        as_list_row(a, id_number=None, village=elsewhere),  # the namesake, stating their own village
        as_list_row(a, id_number=None),  # the registry person themself
        as_list_row(a, id_number=None, village=None),  # no village: county-wide on name and birth date
    )
    linked = link(registry, rows)
    assert _hit(linked.hits, 2) is None
    assert _hit(linked.hits, 3)["id_number"] == a["id_number"]  # type: ignore[index]
    assert _hit(linked.hits, 4)["id_number"] == a["id_number"]  # type: ignore[index]
    assert _hit(linked.hits, 4)["agree_village"] == "blank"  # type: ignore[index]


def test_the_binding_village_holds_for_every_hard_negative_of_a_synthetic_list(registry: pl.DataFrame) -> None:
    rows = [
        as_list_row(registry.row(i, named=True), id_number=None, village=other_township_village(registry, v))
        for i, v in enumerate(registry["village"].head(200).to_list())
    ]
    linked = link(registry, pl.concat([list_rows(*rows), list_rows(*rows[:50], source="death")]))
    assert linked.stats["rows_without_usable_id"] == 250
    assert linked.hits.is_empty()


def test_a_row_that_two_namesakes_fit_equally_is_flagged_not_matched(registry: pl.DataFrame) -> None:
    a = _person(registry, 70)
    elsewhere = other_township_village(registry, a["village"])
    twin_id = make_id_number("140105", a["birth_date"], 9, "F")
    with_twin = add_person(registry, a["name"], a["birth_date"], elsewhere, twin_id)
    linked = link(with_twin, list_rows(as_list_row(a, id_number=None, village=None), as_list_row(a, id_number=None)))
    assert _hit(linked.hits, 2) is None
    flagged = linked.flagged.row(0, named=True)
    assert (flagged["row"], flagged["reason"]) == (2, "tie")
    assert sorted(flagged["candidates"]) == sorted([a["id"], twin_id])
    assert _hit(linked.hits, 3)["id_number"] == a["id_number"]  # type: ignore[index]


def test_an_id_shared_by_two_registry_persons_is_flagged_not_matched(registry: pl.DataFrame) -> None:
    a = _person(registry, 80)
    doubled = add_person(registry, "另一人", a["birth_date"], a["village"], a["id_number"])
    linked = link(doubled, list_rows(as_list_row(a)), fuzzy_matching=False)
    assert linked.hits.is_empty()
    assert linked.flagged["reason"].to_list() == ["duplicate_id"]


def test_hits_json_has_designs_shape(registry: pl.DataFrame) -> None:
    a = _person(registry, 90)
    [entry] = link(registry, list_rows(as_list_row(a)), fuzzy_matching=False).hits_json()
    assert {k: entry[k] for k in ("source", "row", "household_no", "id_number", "match", "weight")} == {
        "source": "vehicle",
        "row": 2,
        "household_no": a["household_no"],
        "id_number": a["id_number"],
        "match": "exact",
        "weight": 1.0,
    }


def test_inputs_missing_a_column_or_with_text_dates_are_refused_in_chinese(registry: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match="缺少列：village"):
        link(registry, list_rows().drop("village"))
    with pytest.raises(ValueError, match="birth_date 列须为日期类型"):
        link(registry.with_columns(pl.col("birth_date").cast(pl.String)), list_rows())


def test_the_stated_village_binds_even_within_the_same_township(registry: pl.DataFrame) -> None:
    """POLICY.md §8: "a fuzzy match must be to a person of that village" — not merely of its township: a
    row naming the neighbouring village of the same township is not this person, however well name and
    birth date agree; the same row naming the person's own village is."""
    for index in range(40, 400):
        a = _person(registry, index)
        township = str(a["village"])[:9]
        neighbours = registry.filter(
            (pl.col("village").str.slice(0, 9) == township) & (pl.col("village") != a["village"])
        )["village"].unique()
        if neighbours.len():
            break
    else:
        pytest.fail("no township with two villages in the synthetic registry")
    neighbour = str(neighbours.sort()[0])
    rows = list_rows(
        as_list_row(a, id_number=None, village=neighbour),
        as_list_row(a, id_number=None),
    )
    linked = link(registry, rows)
    assert _hit(linked.hits, 2) is None
    assert _hit(linked.hits, 3)["id_number"] == a["id_number"]  # type: ignore[index]
    assert linked.candidates.filter(pl.col("row") == 2).is_empty()


def test_a_small_list_whose_rows_without_id_fit_nobody_by_name_and_birth_runs(registry: pl.DataFrame) -> None:
    """walk8: `jingzhun crosscheck run --source vehicle` on a 5-row list crashed (splink's math domain error)
    when its one row without a usable ID had no name-and-birthday pair in the registry: the prior estimated
    from that rule was 0, and splink took log2(0). No such pair is no hit, and the exact rows still match."""
    a = _person(registry, 10)
    rows = list_rows(
        as_list_row(a),
        {"name": "郝海淋", "id_number": None, "birth_date": dt.date(1964, 10, 9), "village": None},
    )
    linked = link(registry, rows)
    assert linked.hits["row"].to_list() == [2]
    assert linked.hits["match"].to_list() == ["exact"]
