"""Look at an .xlsx before the reader does: refuse it (:mod:`.limits`) without reading its cells.

:func:`check_workbook` reads the zip's end record (how many members, before the directory is loaded),
then inflates every member itself from its compressed bytes — counting what really comes out, since a
zip may claim any size — and stops at :data:`~.limits.MAX_UNZIPPED_BYTES` in all or a ratio above
:data:`~.limits.MAX_RATIO`. Each member that holds ``<sheetData`` (a worksheet, whatever its name) is
scanned as it streams: its ``<dimension ref>`` first, then the address of every cell, keeping only the
furthest row and column.

Scanning 0.43 GB of XML cell by cell in Python would take longer than the import, so the usual case runs
in the regex engine: one search per megabyte for a cell address *beyond* the furthest row or column
seen so far (the pattern is rebuilt when the frontier moves, at most once per new row or column
record). That needs every cell to carry its own address, as Excel, WPS, LibreOffice and every library
write it; a sheet with cells that leave out ``r`` (allowed: the reader then places them after the
previous one) is scanned again tag by tag, placing cells exactly as the reader does.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from jingzhun.registry import limits

CHUNK = 1 << 20
_NAME = rb"(?:[^\s/<>:]+:)?"  # an optional namespace prefix: the reader matches local names
SHEET_DATA = re.compile(rb"<" + _NAME + rb"sheetData[\s>/]")
DIMENSION = re.compile(rb"<" + _NAME + rb"""dimension\b[^>]*?\sref\s*=\s*["']([^"']*)["']""")
TAG = re.compile(rb"<(/?)" + _NAME + rb"""(row|c)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*?)(/?)>""")
ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
LAST_ADDRESS = re.compile(rb'<c r="([A-Za-z]{1,3}\d{1,7})"')
ADDRESS = re.compile(rb"([A-Za-z]*)0*(\d*)$")


class Unreadable(Exception):
    """Not a zip the reader could open (the caller words it)."""


class _NeedsExactScan(Exception):
    """A cell without its own address: the fast scan cannot place it."""


def check_workbook(path: Path) -> None:
    """Raise :class:`~.limits.LimitExceeded` at the first limit passed, :class:`Unreadable` if not a zip."""
    size = path.stat().st_size
    if size > limits.MAX_FILE_BYTES:
        raise limits.too_big(size)
    unzipped = [0]  # all members together
    with path.open("rb") as f:
        for member in _directory(f, size):
            before = unzipped[0]
            try:
                _scan(_inflate(f, member, unzipped))
            except _NeedsExactScan:
                unzipped[0] = before  # the member is inflated again from its start
                _scan(_inflate(f, member, unzipped), exact=True)


def _directory(f: BinaryIO, size: int) -> list[tuple[str, int, int, int, int]]:
    """(name, local header offset, method, compressed size, flags) of every member, from the central
    directory — whose length the end record gives before it is read."""
    f.seek(max(0, size - 65_557))
    tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise Unreadable("no end of central directory")
    entries, directory_size, directory_offset = struct.unpack("<HLL", tail[at + 10 : at + 20])
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF or directory_offset == 0xFFFFFFFF:
        raise Unreadable("zip64")  # 65 535 members or 4 GB: never a workbook within the limits
    if entries > limits.MAX_MEMBERS or directory_size > limits.MAX_MEMBERS * 1024:
        raise limits.LimitExceeded(f"Excel 文件内部的文件数超过上限 {limits.MAX_MEMBERS:,} 个，不是正常的工作簿。")
    f.seek(directory_offset)
    directory = f.read(directory_size)
    members = []
    pos = 0
    for _ in range(entries):
        if directory[pos : pos + 4] != b"PK\x01\x02" or len(directory) < pos + 46:
            raise Unreadable("bad central directory")
        flags, method = struct.unpack("<HH", directory[pos + 8 : pos + 12])
        (compressed,) = struct.unpack("<L", directory[pos + 20 : pos + 24])
        name_len, extra_len, comment_len = struct.unpack("<HHH", directory[pos + 28 : pos + 34])
        (offset,) = struct.unpack("<L", directory[pos + 42 : pos + 46])
        name = directory[pos + 46 : pos + 46 + name_len].decode("utf-8", "replace")
        members.append((name, offset, method, compressed, flags))
        pos += 46 + name_len + extra_len + comment_len
    return members


def _inflate(f: BinaryIO, member: tuple[str, int, int, int, int], unzipped: list[int]) -> Iterator[bytes]:
    """The member's decompressed bytes, a megabyte at a time, counted against the limits as they come."""
    name, offset, method, compressed, flags = member
    if flags & 1 or method not in (0, 8):  # encrypted, or compressed as no spreadsheet program does
        raise Unreadable(f"{name}: flags {flags}, method {method}")
    f.seek(offset)
    header = f.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise Unreadable(f"{name}: bad local header")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    f.seek(offset + 30 + name_len + extra_len)
    inflater = zlib.decompressobj(-15) if method == 8 else None
    left, produced = compressed, 0
    while left > 0 and not (inflater and inflater.eof):
        data = f.read(min(CHUNK, left))
        if not data:
            raise Unreadable(f"{name}: truncated")
        left -= len(data)
        while data or (left == 0 and inflater is not None and not inflater.eof):
            if inflater is None:
                out, data = data, b""
            else:
                try:
                    out = inflater.decompress(data, CHUNK) if data else inflater.flush()
                except zlib.error as exc:
                    raise Unreadable(f"{name}: {exc}") from None
                data = inflater.unconsumed_tail
                if not out and not data:
                    break
            produced += len(out)
            unzipped[0] += len(out)
            if unzipped[0] > limits.MAX_UNZIPPED_BYTES:
                raise limits.LimitExceeded(
                    f"Excel 文件解压后超过上限 {limits.MAX_UNZIPPED_BYTES // limits.MB} MB，{limits.SPLIT_HINT}。"
                )
            if produced > limits.MB and produced > limits.MAX_RATIO * compressed:
                raise limits.LimitExceeded(
                    f"Excel 文件中的 {name} 压缩比超过上限 {limits.MAX_RATIO}:1（解压炸弹），不是正常的工作簿，已拒绝。"
                )
            if out:
                yield out
            if inflater is not None and inflater.eof:
                break


def _scan(chunks: Iterator[bytes], *, exact: bool = False) -> None:
    """Follow a member's XML; from ``<sheetData`` on, check the furthest cell against the limits."""
    frontier = _Exact() if exact else _Frontier()
    carry = b""
    in_sheet = False
    for chunk in chunks:
        buf = carry + chunk
        end = buf.rfind(b">") + 1
        buf, carry = buf[:end], buf[end:]
        if len(carry) > limits.MAX_TAG_BYTES:
            raise limits.LimitExceeded(
                f"工作表中有超过 {limits.MAX_TAG_BYTES // limits.MB} MB 的单个单元格或标签，不是正常的工作簿。"
            )
        if not in_sheet:
            if b"sheetData" not in buf:
                continue
            if dimension := DIMENSION.search(buf):
                rows, columns = _address(dimension[1].split(b":")[-1])
                limits.check_table(rows, columns)
            start = SHEET_DATA.search(buf)
            if start is None:
                continue
            in_sheet, buf = True, buf[start.start() :]
        frontier.feed(buf)


def _address(ref: bytes) -> tuple[int, int]:
    """(row, column), both from 1, of an address such as ``AQ315001``; (0, 0) when it is not one."""
    m = ADDRESS.match(ref.strip().replace(b"$", b""))
    if m is None:
        return 0, 0
    column = 0
    for letter in m[1].upper():
        column = column * 26 + letter - 64
    return int(m[2] or 0), column


def _column_letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _above(text: str, high: str, any_one: str, same: Callable[[str], str], places: int) -> str:
    """A regex for the letter or digit runs after ``text`` (no leading zero) as far as its first ``places``
    symbols tell: longer ones, or as long and larger at one of those places after an equal prefix.
    ``high`` is the alphabet's last symbol, ``any_one`` a class of any symbol, ``same`` how to write a
    symbol of the prefix."""
    options = [f"{any_one}{{{len(text) + 1},}}"]
    for i, ch in enumerate(text[:places]):
        if ch != high:
            prefix = "".join(same(c) for c in text[:i])
            larger = f"[{chr(ord(ch) + 1)}-{high}]"
            if high == "Z":
                larger = f"[{chr(ord(ch) + 1)}-Z{chr(ord(ch) + 1).lower()}-z]"
            options.append(f"{prefix}{larger}{any_one}{{{len(text) - i - 1}}}")
    return "|".join(options)


CELL_ENDS = (b" ", b">", b"/", b"\t", b"\n", b"\r")


def _all_addressed(buf: bytes) -> bool:
    """Every cell tag of ``buf`` is written ``<c r="…"`` (so the reader places it by that address).

    Counting is exact for this question: a ``<c r="`` inside a comment counts on both sides, and a cell
    tag in any other form (no address, another attribute first, a namespace prefix) tips the balance.
    """
    addressed = buf.count(b'<c r="')
    if b":c" in buf or buf.count(b"<c") != addressed:  # rarely: <cols>, <x:c …>; count cell tags exactly
        if any(b":c" + end in buf for end in CELL_ENDS):
            return False
        return sum(buf.count(b"<c" + end) for end in CELL_ENDS) == addressed
    return True


class _Frontier:
    """How far the cells reach, found by searching for any cell address beyond the furthest seen.

    Columns exactly. Rows to their first two digits (row 123 456 counts as 129 999): a search for rows
    beyond the exact row would match every cell of every new row; this one matches a few hundred times
    in a whole county's file. The row limit itself is checked exactly.
    """

    ROW_PLACES = 2

    def __init__(self) -> None:
        self.row, self.column = 1, 1
        self._rebuild()

    def bound(self) -> int:
        """The furthest row, rounded up within its first two digits."""
        text = str(self.row)
        return int(text[: self.ROW_PLACES] + "9" * max(len(text) - self.ROW_PLACES, 0))

    def _rebuild(self) -> None:
        letters = _above(_column_letters(self.column), "Z", "[A-Za-z]", lambda c: f"[{c}{c.lower()}]", 3)
        digits = _above(str(self.row), "9", r"\d", re.escape, self.ROW_PLACES)
        self._beyond = re.compile(f'<c r="(?:({letters})(?=\\d)|[A-Za-z]+0*({digits})")'.encode())

    def _reach(self, row: int, column: int) -> None:
        if row > self.row or column > self.column:
            self.row, self.column = max(self.row, row), max(self.column, column)
            limits.check_table(self.row, self.column)  # the exact furthest row against the row limit
            limits.check_table(min(self.bound(), limits.MAX_ROWS + 1), self.column)  # and the cells
            self._rebuild()

    def feed(self, buf: bytes) -> None:
        if not _all_addressed(buf):
            raise _NeedsExactScan
        # Rows come in order in every real file: move the frontier to this chunk's last cell first.
        if (last := LAST_ADDRESS.match(buf, max(buf.rfind(b'<c r="'), 0))) is not None:
            self._reach(*_address(last[1]))
        pos = 0
        while m := self._beyond.search(buf, pos):
            if m[1]:
                self._reach(self.row, _address(m[1] + b"1")[1])
            else:
                self._reach(int(m[2]), self.column)
            pos = m.end()


class _Exact:
    """Every row and cell tag in turn, placing cells without an address as the reader does."""

    def __init__(self) -> None:
        self.row, self.column = 1, 1  # furthest seen, from 1
        self._row, self._col = 0, 0  # the reader's position, from 0

    def feed(self, buf: bytes) -> None:
        for closing, kind, attributes, empty in TAG.findall(buf):
            if kind == b"row":  # a self-closing row counts as opened and closed (on the safe side)
                if not closing and (r := _attribute(attributes, b"r")) is not None:
                    self._row = max(_address(r)[0] - 1, 0)
                if closing or empty:
                    self._row, self._col = self._row + 1, 0
                continue
            if closing:
                continue
            if (r := _attribute(attributes, b"r")) is not None:
                row, column = _address(r)
                self._col = column - 1
            else:
                row, column = self._row + 1, self._col + 1
            self._col += 1
            if row > self.row or column > self.column:
                self.row, self.column = max(self.row, row), max(self.column, column)
                limits.check_table(self.row, self.column)


def _attribute(attributes: bytes, name: bytes) -> bytes | None:
    for key, double, single in ATTRIBUTE.findall(attributes):
        if key == name:
            return bytes(double or single)
    return None
