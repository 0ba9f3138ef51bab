"""Report packages judged before any parser opens them: the zip of an HWPX or DOCX, the OLE
file of an HWP 5. From their directories (and by inflating, never holding, their streams):
how many parts, what they unpack to, how much they are compressed, how many paragraphs.

A file that is not a package at all passes here: its reader then says it cannot be read.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import ReportError
from .limits import MB, Limits, limit_hint, megabytes

CHUNK = 1 << 20
RATIO_FLOOR = 1 * MB  # parts smaller than this unpacked are not judged by their ratio
# A paragraph's start tag, in any namespace: <hp:p …> (HWPX), <w:p> or <w:p/> (DOCX).
PARAGRAPH_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]{0,30}:)?p[\s/>]")
TAG_TAIL = 40  # bytes kept from one chunk to the next, so that a tag cut in two is counted once
TEXT_PARTS = {".hwpx": re.compile(r"Contents/section\d+\.xml"), ".docx": re.compile(r"word/document\.xml")}
HWP_PARAGRAPH = 66  # HWPTAG_PARA_HEADER: one record opens each paragraph of an HWP 5 section
HWP_SECTION = re.compile(r"(?:BodyText|ViewText)/Section\d+")


def over(name: str, what: str, limit: str, limits: Limits) -> ReportError:
    """The refusal for a report over one limit, naming it and how to change it."""
    return ReportError(f"{name}: {what} (limit: {limit})", limit_hint(limit), limit)


def check_package(path: Path, name: str, limits: Limits) -> None:
    """ReportError if an .hwpx, .docx or .hwp file is over a limit; nothing for other files."""
    suffix = path.suffix.lower()
    if suffix in TEXT_PARTS:
        _check_zip(path, name, limits, TEXT_PARTS[suffix])
    elif suffix == ".hwp":
        _check_ole(path, name, limits)


def _check_zip(path: Path, name: str, limits: Limits, text_part: re.Pattern) -> None:
    declared = _declared_members(path)
    if declared is not None and declared > limits.report_parts:  # before zipfile lists them all
        raise over(name, f"holds {declared:,} parts, more than {limits.report_parts:,}", "report_parts", limits)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a package: the reader says so
    with archive:
        members = archive.infolist()
        _judge_sizes(name, limits, len(members), ((m.filename, m.file_size, m.compress_size) for m in members))
        paragraphs = 0
        for member in members:
            if text_part.fullmatch(member.filename):
                try:
                    with archive.open(member) as stream:
                        paragraphs += _count_tags(iter(lambda: stream.read(CHUNK), b""))
                except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError, NotImplementedError, EOFError):
                    return  # damaged or encrypted: the reader says so
                _judge_paragraphs(name, limits, paragraphs)


def _declared_members(path: Path) -> int | None:
    """The number of members the zip's end record declares (zipfile reads every member's entry
    into memory when it opens a file: a million of them fit in 50 MB)."""
    try:
        with path.open("rb") as file:
            end = zipfile._EndRecData(file)  # the standard library's own reader of that record
    except OSError:
        return None
    return end[zipfile._ECD_ENTRIES_TOTAL] if end else None


def _judge_sizes(name: str, limits: Limits, count: int, parts: Iterable[tuple[str, int, int]]) -> None:
    if count > limits.report_parts:
        raise over(name, f"holds {count:,} parts, more than {limits.report_parts:,}", "report_parts", limits)
    total = 0
    for part, unpacked, packed in parts:
        total += unpacked
        if total > limits.report_uncompressed_bytes:
            raise over(name, f"unpacks to more than {megabytes(limits.report_uncompressed_bytes)}",
                       "report_uncompressed_bytes", limits)
        if unpacked > RATIO_FLOOR and unpacked > limits.report_compression_ratio * max(packed, 1):
            raise over(name, f"its part {part} is compressed {unpacked // max(packed, 1):,} to 1, more than "
                             f"{limits.report_compression_ratio} to 1", "report_compression_ratio", limits)


def _judge_paragraphs(name: str, limits: Limits, paragraphs: int) -> None:
    if paragraphs > limits.report_paragraphs:
        raise over(name, f"has more than {limits.report_paragraphs:,} paragraphs", "report_paragraphs", limits)


def _count_tags(chunks: Iterable[bytes]) -> int:
    """Paragraph start tags in a stream of XML, read a chunk at a time."""
    count, tail = 0, b""
    for chunk in chunks:
        data = tail + chunk
        # A tag that starts in the last TAG_TAIL bytes is counted with the next chunk.
        cut = max(0, len(data) - TAG_TAIL)
        count += sum(1 for m in PARAGRAPH_TAG.finditer(data) if m.start() < cut)
        tail = data[cut:]
    return count + len(PARAGRAPH_TAG.findall(tail))


def _check_ole(path: Path, name: str, limits: Limits) -> None:
    """An HWP 5 file: python-hwpx reads the whole file into memory and inflates each stream whole
    (bounded only by its own 256 MB), so its streams are inflated here first, a chunk at a time."""
    from hwpx.hwp5.cfb import TYPE_STREAM, CompoundFile
    from hwpx.hwp5.fileheader import parse_file_header

    try:
        compound = CompoundFile(path.read_bytes())
        compressed = parse_file_header(compound.read("FileHeader")).compressed
    except Exception:  # noqa: BLE001 - not an HWP 5 file, or a damaged one: the reader says which
        return
    streams = [p for p in compound.stream_paths() if (e := compound.entry(p)) is not None and e.kind == TYPE_STREAM]
    sizes = []
    paragraphs = 0
    budget = limits.report_uncompressed_bytes
    for stream in streams:
        try:
            raw = compound.read(stream)
        except Exception:  # noqa: BLE001 - damaged: the reader says so
            return
        if compressed and stream != "FileHeader" and not stream.startswith("\x05"):
            chunks = _inflate(raw, budget + 1)
        else:
            chunks = iter([raw])
        size = 0
        counter = _record_counter() if HWP_SECTION.fullmatch(stream) else None
        try:
            for chunk in chunks:
                size += len(chunk)
                if size > budget:
                    break
                if counter:
                    paragraphs = counter(chunk, paragraphs)
                    _judge_paragraphs(name, limits, paragraphs)
        except zlib.error:
            size = len(raw)  # stored, damaged or encrypted: the reader judges it
        sizes.append((stream, size, len(raw)))
        _judge_sizes(name, limits, len(streams), sizes)
        budget -= size


def _inflate(raw: bytes, most: int) -> Iterable[bytes]:
    """A raw-deflate stream's bytes, a chunk at a time, at most ``most`` of them."""
    inflater = zlib.decompressobj(-15)
    data, produced = raw, 0
    while data and produced < most:
        chunk = inflater.decompress(data, CHUNK)
        data = inflater.unconsumed_tail
        produced += len(chunk)
        yield chunk
        if not chunk and not data:
            break


def _record_counter() -> Callable[[bytes, int], int]:
    """Counts paragraph records in an HWP 5 section fed a chunk at a time: each record is a
    32-bit header (tag: 10 bits, level: 10, size: 12, or 0xFFF and a 32-bit size after it)."""
    state = {"pending": b"", "skip": 0}

    def feed(chunk: bytes, count: int) -> int:
        data = state["pending"] + chunk
        at = state["skip"]
        while at + 4 <= len(data):
            header = int.from_bytes(data[at:at + 4], "little")
            size, start = header >> 20, at + 4
            if size == 0xFFF:
                if start + 4 > len(data):
                    break
                size, start = int.from_bytes(data[start:start + 4], "little"), start + 4
            if header & 0x3FF == HWP_PARAGRAPH:
                count += 1
            at = start + size
        if at > len(data):
            state["pending"], state["skip"] = b"", at - len(data)
        else:
            state["pending"], state["skip"] = data[at:], 0
        return count

    return feed
