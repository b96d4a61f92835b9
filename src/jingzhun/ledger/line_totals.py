"""发放明细's running totals: lines and net fen per village × program × month × 发放状态 (``LineTotal``).

The 发放明细 page totals its filtered lines; a county's year is ~10⁶ lines, and summing them (with each line's
latest bank status) took seconds. ``ledger_linetotal`` holds the same sums per cell, kept by the database in the
transaction of every write that changes them — whatever writes (a month run's bulk insert, a payout, a
reversal, a bank file, a return, raw SQL):

* a new payment line adds 1 and its amount to (its household's village, program, month, 待发);
* a new status event that changes its line's latest status moves the line from the old status's cell to the
  new one (no event reads 待发, as ``statements.bank_statuses``);
* a household moved to another village moves its lines' sums with it.

SQLite: row triggers. PostgreSQL: statement triggers over the inserted rows (a month run inserts 10⁵ lines in a
few statements; one grouped upsert each), and a row trigger for a household's move. The cells' sums equal a
``SUM`` over the lines (tests/ledger/test_line_totals.py checks after a run, a bank return and a re-run).
:func:`rebuild` recomputes every cell from the lines (the migration's first fill; a repair). No model imports:
the migration uses this module.
"""

from __future__ import annotations

from typing import Any

TABLE = "ledger_linetotal"
CELL = "(month, village_id, program, status)"
ADD = (
    f"ON CONFLICT {CELL} DO UPDATE SET lines = {TABLE}.lines + excluded.lines, "
    f"amount_fen = {TABLE}.amount_fen + excluded.amount_fen"
)
COLUMNS = f"{TABLE} (village_id, program, month, status, lines, amount_fen)"


def _latest(line: str, before: str = "") -> str:
    """The latest status of line ``line`` (SQL), 待发 without an event; ``before``: among events with a lower id."""
    earlier = f" AND e.id < {before}" if before else ""
    return (
        "COALESCE((SELECT e.status FROM ledger_paymentstatusevent e "
        f"WHERE e.line_id = {line}{earlier} ORDER BY e.id DESC LIMIT 1), 'pending')"
    )


REBUILD = (
    f"INSERT INTO {COLUMNS} SELECT h.village_id, l.program, l.month, {_latest('l.id')} AS st, COUNT(*), "
    "SUM(l.amount_fen) FROM ledger_paymentline l, registry_household h WHERE h.id = l.household_id "
    "GROUP BY h.village_id, l.program, l.month, st"
)

# A household's lines, per cell, signed: the sums a move takes from the old village and gives the new one.
_HOUSEHOLD_CELLS = (
    "SELECT {village}, l.program, l.month, " + _latest("l.id") + " AS st, {sign} COUNT(*), {sign} SUM(l.amount_fen) "
    "FROM ledger_paymentline l WHERE l.household_id = NEW.id GROUP BY l.program, l.month, st"
)

SQLITE_TRIGGERS = (
    (
        "ledger_linetotal_line",
        "AFTER INSERT ON ledger_paymentline FOR EACH ROW BEGIN "
        f"INSERT INTO {COLUMNS} SELECT h.village_id, NEW.program, NEW.month, 'pending', 1, NEW.amount_fen "
        f"FROM registry_household h WHERE h.id = NEW.household_id {ADD}; END",
    ),
    (
        "ledger_linetotal_status",
        "AFTER INSERT ON ledger_paymentstatusevent FOR EACH ROW "
        f"WHEN NEW.status IS NOT {_latest('NEW.line_id', 'NEW.id')} BEGIN "
        f"INSERT INTO {COLUMNS} SELECT h.village_id, l.program, l.month, {_latest('NEW.line_id', 'NEW.id')}, -1, "
        "-l.amount_fen FROM ledger_paymentline l, registry_household h "
        f"WHERE l.id = NEW.line_id AND h.id = l.household_id {ADD}; "
        f"INSERT INTO {COLUMNS} SELECT h.village_id, l.program, l.month, NEW.status, 1, l.amount_fen "
        "FROM ledger_paymentline l, registry_household h "
        f"WHERE l.id = NEW.line_id AND h.id = l.household_id {ADD}; END",
    ),
    (
        "ledger_linetotal_move",
        "AFTER UPDATE OF village_id ON registry_household FOR EACH ROW WHEN NEW.village_id IS NOT OLD.village_id "
        f"BEGIN INSERT INTO {COLUMNS} {_HOUSEHOLD_CELLS.format(village='OLD.village_id', sign='-')} {ADD}; "
        f"INSERT INTO {COLUMNS} {_HOUSEHOLD_CELLS.format(village='NEW.village_id', sign='')} {ADD}; END",
    ),
)

PG_FUNCTIONS = (
    (
        "ledger_linetotal_lines",
        f"INSERT INTO {COLUMNS} SELECT h.village_id, n.program, n.month, 'pending', COUNT(*), SUM(n.amount_fen) "
        "FROM new_rows n JOIN registry_household h ON h.id = n.household_id "
        f"GROUP BY h.village_id, n.program, n.month {ADD};",
    ),
    (
        # per line of the statement: its status before the first new event and after the last one
        "ledger_linetotal_events",
        "WITH moved AS (SELECT line_id, MIN(id) AS first_id, MAX(id) AS last_id FROM new_rows GROUP BY line_id), "
        "changed AS (SELECT m.line_id, "
        + _latest("m.line_id", "m.first_id")
        + " AS old_status, n.status AS new_status FROM moved m JOIN new_rows n ON n.id = m.last_id), "
        "signed AS (SELECT c.line_id, c.old_status AS status, -1 AS sign FROM changed c "
        "WHERE c.old_status <> c.new_status UNION ALL SELECT c.line_id, c.new_status, 1 FROM changed c "
        "WHERE c.old_status <> c.new_status) "
        f"INSERT INTO {COLUMNS} SELECT h.village_id, l.program, l.month, s.status, SUM(s.sign), "
        "SUM(s.sign * l.amount_fen) FROM signed s JOIN ledger_paymentline l ON l.id = s.line_id "
        "JOIN registry_household h ON h.id = l.household_id "
        f"GROUP BY h.village_id, l.program, l.month, s.status {ADD};",
    ),
    (
        "ledger_linetotal_move",
        f"INSERT INTO {COLUMNS} {_HOUSEHOLD_CELLS.format(village='OLD.village_id', sign='-')} {ADD}; "
        f"INSERT INTO {COLUMNS} {_HOUSEHOLD_CELLS.format(village='NEW.village_id', sign='')} {ADD};",
    ),
)

PG_TRIGGERS = (
    (
        "ledger_linetotal_line",
        "ledger_paymentline",
        "AFTER INSERT ON ledger_paymentline REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION ledger_linetotal_lines()",
    ),
    (
        "ledger_linetotal_status",
        "ledger_paymentstatusevent",
        "AFTER INSERT ON ledger_paymentstatusevent REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION ledger_linetotal_events()",
    ),
    (
        "ledger_linetotal_move",
        "registry_household",
        "AFTER UPDATE OF village_id ON registry_household FOR EACH ROW "
        "WHEN (OLD.village_id IS DISTINCT FROM NEW.village_id) EXECUTE FUNCTION ledger_linetotal_move()",
    ),
)


def install(schema_editor: Any) -> None:
    """Create the triggers (and PostgreSQL's functions), then fill the table from the lines."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name, body in SQLITE_TRIGGERS:
            schema_editor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
    elif vendor == "postgresql":
        for name, body in PG_FUNCTIONS:
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {body} RETURN NULL; END $$",
                None,
            )
        for name, table, body in PG_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(f"CREATE TRIGGER {name} {body}")
    else:
        raise RuntimeError(f"发放明细 totals are kept by triggers written for SQLite and PostgreSQL, not {vendor}")
    schema_editor.execute(f"DELETE FROM {TABLE}")
    schema_editor.execute(REBUILD)


def uninstall(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name, _ in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif vendor == "postgresql":
        for name, table, _ in PG_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for name, _ in PG_FUNCTIONS:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")


def rebuild(cursor: Any) -> None:
    """Recompute every cell from the lines and their latest statuses (in the caller's transaction)."""
    cursor.execute(f"DELETE FROM {TABLE}")
    cursor.execute(REBUILD)
