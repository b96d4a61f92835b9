"""The document path straight to ``jingzhun entitle``'s JSON text, column by column.

The same evaluation as :func:`~jingzhun.policy.document_lines.compute_households` (``_evaluate``, the
programs' rules with their step columns, the event programs and the 0.00 低保 notes), but each paying
row becomes the JSON text of its line without a :class:`~jingzhun.policy.calc.Line`, its dicts or a
Fraction per value: every input and step column is converted once per distinct value — by the very
functions the line path uses (``_line``'s conversions, ``explain._json``), so the text cannot differ —
and each line's text is joined from its columns' pieces, the parameter list's text shared by every row
of a (lookup row, parameter labels). ``tests/policy/test_document_text.py`` holds the two paths equal,
byte for byte, on seeded documents with every program, CPI, history, events and missing parameters.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from fractions import Fraction
from types import ModuleType
from typing import Any

import polars as pl

from jingzhun.policy.batch_params import Lookup
from jingzhun.policy.calc import ParamUse
from jingzhun.policy.document import Document, Household
from jingzhun.policy.document_lines import (
    _KEYS,
    _evaluate,
    _event_programs,
    _fields,
    _fraction,
    _struct_fraction,
    _zero_top_ups,
)
from jingzhun.policy.engine import HouseholdResult
from jingzhun.policy.evaluate import explained
from jingzhun.policy.explain import _json, _parameter, household_json, line_json, rule_words
from jingzhun.policy.money import fen_to_str
from jingzhun.policy.params import ParameterTree, Resolved
from jingzhun.policy.programs import BY_NAME, NAMES_ZH, ORDER

# one household's lines from the frames: (program order, JSON text, amount in fen)
TextLine = tuple[int, str, int]


# ``json.dumps(value, ensure_ascii=False)`` without building an encoder per call (a text is C's
# ``encode_basestring``; anything else the C encoder with the same settings)
_dumps: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False).encode


def households_text(
    doc: Document, households: Sequence[Household], first: dt.date, tree: ParameterTree
) -> tuple[list[str], list[HouseholdResult]]:
    """Each household's JSON text (``explain.household_json`` as ``json.dumps`` writes it) and its
    result (errors, program errors, notes; its ``lines`` only the event programs')."""
    chosen = list(households)
    results = [HouseholdResult(h.id) for h in chosen]
    if not chosen:
        return [], results
    frames, lookup, lk_h = _evaluate(doc, chosen, first, tree, results)
    texts: list[list[TextLine]] = [[] for _ in chosen]
    paid_dibao: set[int] = set()
    cache: dict[Any, Any] = {}
    for module, frame in explained(frames):
        rows = _frame_lines(module, frame, lookup, cache)
        order = ORDER[module.PROGRAM]
        for hx, text, fen in rows:
            texts[hx].append((order, text, fen))
        if module.PROGRAM == "dibao":
            paid_dibao.update(hx for hx, _, _ in rows)
    _event_programs(doc, chosen, first, tree, results, lookup, lk_h)
    _zero_top_ups(frames.households, results, lookup, paid_dibao)
    return [_household(result, lines) for result, lines in zip(results, texts, strict=True)], results


def _household(result: HouseholdResult, lines: list[TextLine]) -> str:
    if result.lines:  # 临时救助 / 孝亲敬老: rare, through the line path's own JSON
        lines = lines + [(ORDER[line.program], _dumps(line_json(line)), line.amount_fen) for line in result.lines]
    if len(lines) > 1:
        lines.sort(key=lambda line: line[0])  # stable: as compute_households sorts its lines
    total = "null" if result.errors else f'"{fen_to_str(sum(line[2] for line in lines))}"'
    text = f'{{"id": {_dumps(result.id)}, "total": {total}, "lines": [{", ".join(line[1] for line in lines)}]'
    if result.errors:
        text += f', "errors": {_dumps(result.errors)}'
    if result.program_errors:
        text += f', "program_errors": {_dumps(result.program_errors)}'
    if result.notes:
        text += f', "notes": {_dumps(result.notes)}'
    return text + "}"


def _frame_lines(
    module: ModuleType, frame: pl.DataFrame, lookup: Lookup, cache: dict[Any, Any]
) -> list[tuple[int, str, int]]:
    """(household row, line JSON text, fen) for each paying row of one program, as ``_line`` then
    ``explain.line_json`` would give."""
    if frame.height == 0:
        return []
    fractions: dict[tuple[int, int], Fraction] = cache.setdefault("fractions", {})
    input_entries = []
    for key, column in module.INPUTS.items():
        convert = _input_converter(fractions, column.endswith("_fen"))
        input_entries.append(_entries(key, frame[f"input:{key}"].to_list(), convert, keep_none=True)[0])
    step_keys = [name[5:] for name in frame.columns if name.startswith("step:")]
    step_entries, step_values = [], []
    for key in step_keys:
        entries, values = _entries(key, frame[f"step:{key}"].to_list(), _step_converter(fractions), keep_none=False)
        step_entries.append(entries)
        step_values.append(values)
    step_columns = list(zip(step_keys, step_entries, step_values, strict=True))
    fens = frame["amount_fen"].to_list()
    amounts = _each(fens, fen_to_str)
    exact_of = list(zip(frame["amount_num"].to_list(), frame["amount_den"].to_list(), strict=True))
    exact_known = {(num, den): _fraction(fractions, num, den * 100) for num, den in set(exact_of)}
    exacts = [exact_known[pair] for pair in exact_of]
    exact_text = {pair: f'"amount_exact": {_dumps(_json(value))}' for pair, value in exact_known.items()}
    exact_texts = [exact_text[pair] for pair in exact_of]
    persons = frame["persons"].to_list()
    members = _each(frame["member_id"].to_list(), lambda member: "null" if member is None else _dumps(member))
    labels = list(zip(*(_labels(template, frame) for template in module.PARAMETERS), strict=True))
    head = f'{{"program": {_dumps(module.PROGRAM)}, "member": '
    rule = _dumps(rule_words(module.PROGRAM))
    say = _sentence(module)
    out = []
    lks = frame["lk"].to_list()
    for i, hx in enumerate(frame["hx"].to_list()):
        amount = amounts[i]
        parameters_text, params = _parameters(lookup, lks[i], labels[i], cache)
        steps = {key: values[i] for key, entries, values in step_columns if entries[i]}
        steps["amount_exact"] = exacts[i]
        steps["amount"] = amount
        step_text = ", ".join([entries[i] for entries in step_entries if entries[i]] + [exact_texts[i]])
        out.append(
            (
                hx,
                f'{head}{members[i]}, "amount": "{amount}", "explain": '
                f'{{"inputs": {{{", ".join([entries[i] for entries in input_entries])}}}, '
                f'"steps": {{{step_text}, "amount": "{amount}"}}, '
                f'"parameters": {parameters_text}, "rule": {rule}, '
                f'"sentence": {_dumps(say(steps, params, amount, persons[i]))}}}}}',
                fens[i],
            )
        )
    return out


def _each(values: list[Any], convert: Callable[[Any], Any]) -> list[Any]:
    """``[convert(v) for v in values]``, converting each distinct (hashable) value once."""
    known = {value: convert(value) for value in set(values)}
    return [known[value] for value in values]


def _labels(template: str, frame: pl.DataFrame) -> list[str]:
    """Each row's parameter label: the template with the row's fields (``tekun.basic.{area}[{care_setting}]``)."""
    names = _fields(template)
    if not names:
        return [template] * frame.height
    columns = [frame[name if name in frame.columns else f"step:{name}"].to_list() for name in names]
    return _each(list(zip(*columns, strict=True)), lambda row: template.format(**dict(zip(names, row, strict=True))))


def _entries(
    key: str, raw: list[Any], convert: Callable[[Any], Any], *, keep_none: bool
) -> tuple[list[str], list[Any]]:
    """Each row's ``"key": value`` text ("" where the line path leaves the key out: a step whose row is None)
    and the value the line path records, converted once per distinct raw value."""
    prefix = f"{_dumps(key)}: "
    first = next((item for item in raw if item is not None), None)
    markers = [_hashable(item) for item in raw] if type(first) is dict or type(first) is list else raw
    known: dict[Any, tuple[str, Any]] = {}
    for marker, item in dict(zip(markers, raw, strict=True)).items():
        if item is None and not keep_none:
            known[marker] = ("", None)
        else:
            value = convert(item)
            known[marker] = (prefix + _dumps(_json(value)), value)
    found = [known[marker] for marker in markers]
    return [text for text, _ in found], [value for _, value in found]


def _hashable(item: Any) -> Any:
    kind = type(item)
    if kind is dict:
        return (dict, tuple(item.items()))
    if kind is list:
        return (list, tuple(_hashable(v) for v in item))
    return item  # one column holds one type (and None): True and 1 never meet in one cache


def _input_converter(fractions: dict[tuple[int, int], Fraction], is_fen: bool) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:  # document_lines._line's inputs
        if is_fen and value is not None:
            return _fraction(fractions, value, 100)
        if type(value) is dict:
            return _struct_fraction(fractions, value)
        return value

    return convert


def _step_converter(fractions: dict[tuple[int, int], Fraction]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:  # document_lines._line's steps (a None row is left out by _entries)
        return _struct_fraction(fractions, value) if type(value) is dict else value

    return convert


def _parameters(lookup: Lookup, lk: int, labels: tuple[str, ...], cache: dict[Any, Any]) -> tuple[str, dict[str, Any]]:
    """The ``parameters`` list's text and the {label: value} the sentence reads, once per (lk, labels)."""
    key = ("text", lk, labels)
    found = cache.get(key)
    if found is None:
        uses = []
        for label in labels:
            use = cache.get((lk, label))
            if use is None:
                resolved: Resolved = lookup.rows[lk]["resolved"][label.split("[", 1)[0]]
                keys = _KEYS.findall(label)
                use = cache[(lk, label)] = ParamUse(label, resolved.leaf(*keys) if keys else resolved.value, resolved)
            uses.append(use)
        found = cache[key] = (_dumps([_parameter(use) for use in uses]), {use.name: use.value for use in uses})
    return found


def _sentence(module: ModuleType) -> Callable[[dict[str, Any], dict[str, Any], str, int], str]:
    """``explain.sentence`` for this program's lines."""
    found = BY_NAME.get(module.PROGRAM)
    if found is None:
        name = NAMES_ZH.get(module.PROGRAM, module.PROGRAM)
        return lambda steps, params, amount, persons: f"{name} = {amount} 元（定额）"
    return lambda steps, params, amount, persons: str(found.sentence(steps, params, amount, persons))


def households_json_reference(results: Sequence[HouseholdResult]) -> list[str]:
    """The line path's texts (for the tests that hold both equal)."""
    return [_dumps(household_json(result)) for result in results]
