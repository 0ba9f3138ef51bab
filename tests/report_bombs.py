"""Hostile and damaged reports, made in the test that uses them (never committed): small files
that unpack or render into something huge, as issue 19 found them, and files no parser expects.

Each member is deflated as it is written, a chunk at a time, so making a bomb costs seconds and
little memory whatever it unpacks to.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

CHUNK = 1 << 20


def _copy_replacing(package: bytes, path: Path, member: str, head: bytes, repeat: bytes, count: int, tail: bytes) -> Path:
    """``package`` (a zip) written to ``path`` with ``member`` replaced by head + repeat × count + tail."""
    per_chunk = max(1, CHUNK // max(1, len(repeat)))
    with zipfile.ZipFile(io.BytesIO(package)) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info))
                continue
            with target.open(member, "w", force_zip64=True) as out:
                out.write(head)
                written = 0
                while written < count:
                    n = min(per_chunk, count - written)
                    out.write(repeat * n)
                    written += n
                out.write(tail)
    return path


def docx_bomb(path: Path, megabytes: int = 200) -> Path:
    """A Word file whose body is ``megabytes`` MB of empty paragraphs (<w:p/>): ~1,000 times smaller."""
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("placeholder")
    document.save(buffer)
    xml = zipfile.ZipFile(io.BytesIO(buffer.getvalue())).read("word/document.xml")
    head, _, rest = xml.partition(b"<w:body>")
    tail = b"</w:body>" + rest.partition(b"</w:body>")[2]
    count = megabytes * 1_000_000 // len(b"<w:p/>")
    return _copy_replacing(buffer.getvalue(), path, "word/document.xml", head + b"<w:body>", b"<w:p/>", count, tail)


HWPX_PARAGRAPH = ('<hp:p id="1" paraPrIDRef="0" styleIDRef="0" pageBreak="0" columnBreak="0" merged="0">'
                  '<hp:run charPrIDRef="0"><hp:t>가</hp:t></hp:run></hp:p>').encode("utf-8")


def hwpx_section(paragraphs: int, filler: bytes = HWPX_PARAGRAPH) -> tuple[bytes, bytes, bytes, bytes]:
    """A 한글 package written by python-hwpx, and its section0.xml cut where ``paragraphs``
    copies of ``filler`` go: (package, head, filler, tail)."""
    from hwpx import HwpxDocument

    document = HwpxDocument.new()
    document.paragraphs[0].text = "출장 복명서"
    buffer = io.BytesIO()
    document.save_to_stream(buffer)
    section = zipfile.ZipFile(io.BytesIO(buffer.getvalue())).read("Contents/section0.xml")
    head, _, tail = section.rpartition(b"</hs:sec>")
    return buffer.getvalue(), head, filler, b"</hs:sec>" + tail


def hwpx_bomb(path: Path, paragraphs: int = 452_622) -> Path:
    """A 한글 file with one 64 MB section of 452,622 short paragraphs: ~280 KB."""
    package, head, filler, tail = hwpx_section(paragraphs)
    return _copy_replacing(package, path, "Contents/section0.xml", head, filler, paragraphs, tail)


def hwpx_many_paragraphs(path: Path, paragraphs: int) -> Path:
    """A 한글 file of ``paragraphs`` paragraphs each of different text: compresses like a real
    report (a few times), so only the count of paragraphs is out of the ordinary."""
    package, head, _, tail = hwpx_section(paragraphs)
    body = b"".join(HWPX_PARAGRAPH.replace("가".encode(), f"{i * 7919 % 1000003:07d}".encode())
                    for i in range(paragraphs))
    return _copy_replacing(package, path, "Contents/section0.xml", head + body, b"", 0, tail)


def zip_with_parts(path: Path, parts: int, template: Path) -> Path:
    """``template`` (a DOCX or HWPX) with ``parts`` more tiny members."""
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for number in range(parts):
            target.writestr(f"extra/part{number}.xml", b"<x/>")
    return path


def pdf_bomb(path: Path, operators: int = 200_000) -> Path:
    """A one-page PDF whose content stream shows one glyph ``operators`` times: ~7 KB."""
    content = zlib.compress(b"BT /F1 12 Tf 72 720 Td\n" + b"(A) Tj\n" * operators + b"ET\n", 9)
    return _pdf(path, [content])


def pdf_pages(path: Path, pages: int) -> Path:
    """A PDF of ``pages`` pages of one line each."""
    return _pdf(path, [zlib.compress(b"BT /F1 12 Tf 72 720 Td (page) Tj ET\n")] * pages)


def pdf_with_password(path: Path) -> Path:
    """A PDF encrypted by the standard security handler with a user password (which is not the
    empty one: /U matches no password at all)."""
    return _pdf(path, [zlib.compress(b"BT /F1 12 Tf 72 720 Td (secret) Tj ET\n")], encrypted=True)


def replace_member(package: Path, path: Path, member: str, change) -> Path:
    """``package`` copied to ``path`` with ``member``'s bytes passed through ``change``."""
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, change(data) if info.filename == member else data)
    return path


def _pdf(path: Path, contents: list[bytes], encrypted: bool = False) -> Path:
    """A PDF with a standard font and these (deflated) content streams, one page each."""
    pages = len(contents)
    first_page = 4  # objects: 1 catalog, 2 pages, 3 font, then page and content pairs
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, content in enumerate(contents):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {first_page + 2 * i + 1} 0 R >>".encode())
        objects.append(f"<< /Length {len(content)} /Filter /FlateDecode >>\nstream\n".encode() + content + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    encryption = ""
    if encrypted:  # RC4 40-bit (revision 2); /O and /U of no password anyone knows
        encryption = (f" /Encrypt << /Filter /Standard /V 1 /R 2 /O <{'ab' * 32}> /U <{'cd' * 32}> /P -4 >>"
                      f" /ID [<{'01' * 16}> <{'01' * 16}>]")
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{encryption} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path
