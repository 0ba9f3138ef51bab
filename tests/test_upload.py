"""An uploaded report (ingest/write/upload.py, upload_body.py): judged by its content, saved under
a safe name, drafted; every refusal says why and writes nothing under notes/. The body is read
within its limit and the CSRF token is checked before the file's bytes are kept."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from ingest.write.upload import (DOCX, HTML, HWP, HWPX, PDF, TEXT, UploadRefused, draft_upload, judge_content,
                                 safe_report_name)
from ingest.write.upload_body import FORM_BYTES, BodyRefused, read_upload_body

from .conftest import NOTES
from .report_bombs import docx_bomb, pdf_pages, pdf_with_password
from .report_files import write_docx, write_hwp5, write_hwpx
from .test_draft_second_report import SINGAPORE_REPORT

REPORT_TEXT = SINGAPORE_REPORT.read_text(encoding="utf-8")
WEB_PAGE = """\ufeff<!-- saved from url=(0042)https://www.example.go.kr/news/view?id=1 -->
<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>세종시, 스마트시티 데이터 허브 개방</title></head>
<body><nav>홈 · 뉴스 · 소식</nav><main><h1>세종시, 스마트시티 데이터 허브 개방</h1>
<p>세종시는 교통·에너지·안전 분야의 도시데이터를 시민과 기업에 개방하는 데이터 허브를 운영한다고 밝혔다.</p>
<p>시는 민간기업이 개방 데이터를 활용해 새로운 서비스를 만들 수 있도록 표준 API와 비식별 처리 지침을 함께 제공한다.</p>
</main><footer>담당자: 스마트도시과 ☎ 044-300-0000</footer></body></html>
"""


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def notes(tmp_path) -> Path:
    target = tmp_path / "notes"
    shutil.copytree(NOTES, target)
    return target


# --- the kind, from the content -------------------------------------------------------------

def test_each_kind_is_known_by_its_content_whatever_its_name(tmp_path):
    """Breaks if a kind is judged by the file's name."""
    made = {
        DOCX: write_docx(REPORT_TEXT, tmp_path / "a.docx"),
        HWPX: write_hwpx(REPORT_TEXT, tmp_path / "a.hwpx"),
        HWP: write_hwp5(REPORT_TEXT, tmp_path / "a.hwp"),
        PDF: pdf_pages(tmp_path / "a.pdf", 1),
        TEXT: shutil.copy(SINGAPORE_REPORT, tmp_path / "a.txt"),
        HTML: _write(tmp_path / "a.html", WEB_PAGE.encode("utf-8")),
    }
    for kind, path in made.items():
        anonymous = tmp_path / f"upload-{kind.name}"
        shutil.copy(path, anonymous)
        assert judge_content(anonymous) == kind, kind


@pytest.mark.parametrize("content, words", [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "Not a kind of report"),
    (b"MZ\x90\x00" + b"\x00" * 100, "Not a kind of report"),
    (b"\xff\xfe" + "보고서".encode("utf-16-le"), "Not a kind of report"),  # UTF-16: not UTF-8 text
    (b"PK\x03\x04broken", "damaged"),
    (b"", "empty"),
])
def test_what_is_no_report_is_refused_in_words(tmp_path, content, words):
    path = tmp_path / "upload"
    path.write_bytes(content)
    with pytest.raises(UploadRefused) as refused:
        judge_content(path)
    assert words in refused.value.message


def test_a_zip_that_is_neither_docx_nor_hwpx_is_refused(tmp_path):
    import zipfile
    with zipfile.ZipFile(tmp_path / "x.zip", "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UploadRefused, match="neither DOCX nor HWPX"):
        judge_content(tmp_path / "x.zip")


# --- the name -------------------------------------------------------------------------------

@pytest.mark.parametrize("upload_name, kind, saved", [
    ("wilton-park-2016-trip-report.ko.hwpx", HWPX, "wilton-park-2016-trip-report.ko.hwpx"),
    ("../../x.md", TEXT, "x.md"),
    ("..\\..\\Windows\\x.txt", TEXT, "x.txt"),
    ("/etc/passwd", TEXT, "passwd.txt"),
    ("Singapore Summit 2018 (final).DOCX", DOCX, "singapore-summit-2018-final.docx"),
    ("report", PDF, "report.pdf"),  # no extension: the content names the kind
    ("report.final", PDF, "report-final.pdf"),
    ("notes.markdown", TEXT, "notes.markdown"),
])
def test_the_saved_name_is_a_slug_never_a_path(upload_name, kind, saved):
    assert safe_report_name(upload_name, kind) == saved


def test_a_korean_name_becomes_a_name_from_the_content():
    """Breaks if two different Korean-named reports were saved under one name."""
    assert safe_report_name("출장 복명서.hwpx", HWPX, "ab" * 32) == "report-ababababab.hwpx"


@pytest.mark.parametrize("upload_name, kind", [("report.pdf", DOCX), ("report.hwp", HWPX), ("x.md", PDF),
                                               ("report.doc", DOCX), ("report.docx", TEXT)])
def test_a_name_that_says_another_kind_is_refused_not_corrected(upload_name, kind):
    with pytest.raises(UploadRefused) as refused:
        safe_report_name(upload_name, kind)
    assert refused.value.status == 415 and kind.suffixes[0] in refused.value.hint


# --- drafting -------------------------------------------------------------------------------

def test_an_upload_is_drafted_under_notes_and_committed(notes, tmp_path):
    upload = write_docx(REPORT_TEXT, tmp_path / "upload")
    committed = []
    drafted = draft_upload(upload, "World Cities Summit 2018.ko.docx", notes,
                           commit=lambda paths, message: committed.append((paths, message)))
    assert drafted.note_id.startswith("2018-07-world-cities-summit-2018")
    assert drafted.draft.note == notes / "drafts" / f"{drafted.note_id}.md"
    assert all(p.resolve().is_relative_to(notes.resolve()) for p in drafted.written)
    assert (notes / "sources" / "world-cities-summit-2018.ko.docx").read_bytes() == upload.read_bytes()
    assert "status: draft" in drafted.draft.note.read_text(encoding="utf-8")
    [(paths, message)] = committed
    assert sorted(p.as_posix() for p in paths) == sorted(p.relative_to(notes).as_posix() for p in drafted.written)
    assert "World Cities Summit 2018.ko.docx" in message


def test_a_saved_web_page_is_drafted_from_its_main_text(notes, tmp_path):
    """Breaks if an HTML page is refused at the door though the draft tool reads it (docs/draft.md)."""
    upload = _write(tmp_path / "upload", WEB_PAGE.encode("utf-8"))
    drafted = draft_upload(upload, "세종시 보도.html", notes)
    text = drafted.draft.note.read_text(encoding="utf-8")
    assert "type: web-page" in text and "데이터 허브" in text
    assert "044-300-0000" not in text  # the footer's contact line is no candidate


def test_a_file_named_to_climb_out_of_notes_writes_only_inside(notes, tmp_path):
    upload = shutil.copy(SINGAPORE_REPORT, tmp_path / "upload")
    drafted = draft_upload(upload, "../../x.md", notes)
    assert not (tmp_path / "x.md").exists() and not (notes.parent.parent / "x.md").exists()
    assert (notes / "sources" / "x.md").is_file() and drafted.draft.note.parent == notes / "drafts"


@pytest.mark.parametrize("maker, upload_name, words", [
    (lambda p: pdf_with_password(p), "protected.pdf", "password"),
    (lambda p: docx_bomb(p, 200), "bomb.docx", "limit"),
    (lambda p: (p.write_bytes("아무 글머리표도 없는 글입니다.\n".encode()), p)[1], "empty.txt", "no paragraph or bullet"),
    (lambda p: write_docx(REPORT_TEXT, p), "report.pdf", "Word (DOCX)"),
])
def test_every_refusal_writes_nothing(notes, tmp_path, maker, upload_name, words):
    before = tree(notes)
    upload = maker(tmp_path / "upload")
    with pytest.raises(UploadRefused) as refused:
        draft_upload(upload, upload_name, notes)
    assert words in refused.value.message + refused.value.hint
    assert "insights-upload-" not in refused.value.message + refused.value.hint, "the server's own paths on a page"
    assert tree(notes) == before


def test_an_encrypted_office_file_is_refused_as_protected(tmp_path):
    """Word saves a password-protected .docx as a compound file holding an EncryptedPackage."""
    from hwpx.hwp5.cfb import build_compound_file
    path = tmp_path / "upload"
    path.write_bytes(build_compound_file([("EncryptionInfo", b"\x04\x00" * 50), ("EncryptedPackage", b"\xa5" * 5000)]))
    with pytest.raises(UploadRefused, match="password"):
        judge_content(path)


def test_an_old_word_file_is_refused_with_what_to_do(tmp_path):
    from hwpx.hwp5.cfb import build_compound_file
    path = tmp_path / "upload"
    path.write_bytes(build_compound_file([("WordDocument", b"\xec\xa5" * 600), ("1Table", b"\x00" * 600)]))
    with pytest.raises(UploadRefused) as refused:
        judge_content(path)
    assert ".doc" in refused.value.message and "docx" in refused.value.hint


# --- the body -------------------------------------------------------------------------------

BOUNDARY = b"----boundary7MA4YWxkTrZu0gW"


def multipart(parts: list[tuple[str, str | None, bytes]]) -> bytes:
    body = b""
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
        body += b"--" + BOUNDARY + b"\r\nContent-Disposition: " + disposition.encode() + b"\r\n\r\n" + data + b"\r\n"
    return body + b"--" + BOUNDARY + b"--\r\n"


def receiver(body: bytes, chunk: int = 65536):
    """The ASGI messages a server hands an app for this body, counting how many were taken."""
    chunks = [body[i:i + chunk] for i in range(0, len(body), chunk)] or [b""]
    taken = []

    async def receive():
        index = len(taken)
        taken.append(index)
        return {"type": "http.request", "body": chunks[index], "more_body": index < len(chunks) - 1}
    return receive, taken, len(chunks)


def headers(body: bytes, length: int | None = None) -> dict[bytes, bytes]:
    found = {b"content-type": b"multipart/form-data; boundary=" + BOUNDARY}
    if length is not None:
        found[b"content-length"] = str(length).encode()
    return found


def read(body, folder, *, limit=1_000_000, length="actual", token_in_header=False, chunk=65536):
    receive, taken, chunks = receiver(body, chunk)
    size = len(body) if length == "actual" else length
    result = asyncio.run(read_upload_body(receive, headers(body, size), limit=limit, folder=folder,
                                          token_ok=lambda value: value == "good", token_in_header=token_in_header))
    return result, taken, chunks


def test_a_form_with_its_token_first_gives_the_file(tmp_path):
    body = multipart([("csrftoken", None, b"good"), ("report", "보고서.hwpx", b"PK\x03\x04 data")])
    result, _, _ = read(body, tmp_path)
    assert result.filename == "보고서.hwpx" and result.path.read_bytes() == b"PK\x03\x04 data"


def test_too_big_by_its_content_length_is_refused_before_the_body_is_read(tmp_path):
    body = multipart([("csrftoken", None, b"good"), ("report", "big.pdf", b"x" * 3000)])
    with pytest.raises(BodyRefused) as refused:
        read(body, tmp_path, limit=1000, length=len(body))
    assert refused.value.status == 413 and list(tmp_path.iterdir()) == []


def test_too_big_while_streaming_is_refused_at_that_chunk(tmp_path):
    """A body that lies about its length (or has none) is cut off once past the limit."""
    body = multipart([("csrftoken", None, b"good"), ("report", "big.pdf", b"x" * (FORM_BYTES * 8))])
    receive, taken, chunks = receiver(body, 4096)
    with pytest.raises(BodyRefused) as refused:
        asyncio.run(read_upload_body(receive, headers(body, None), limit=FORM_BYTES, folder=tmp_path,
                                     token_ok=lambda v: v == "good", token_in_header=False))
    assert refused.value.status == 413
    assert len(taken) < chunks / 2, "read on after the limit"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("parts", [
    [("report", "x.pdf", b"%PDF-1.4"), ("csrftoken", None, b"good")],  # the file before the token
    [("csrftoken", None, b"bad"), ("report", "x.pdf", b"%PDF-1.4")],
    [("report", "x.pdf", b"%PDF-1.4")],
])
def test_no_right_token_before_the_file_is_403_and_nothing_kept(tmp_path, parts):
    with pytest.raises(BodyRefused) as refused:
        read(multipart(parts), tmp_path)
    assert refused.value.status == 403 and list(tmp_path.iterdir()) == []


def test_a_token_in_the_header_needs_none_in_the_form(tmp_path):
    result, _, _ = read(multipart([("report", "x.pdf", b"%PDF-1.4")]), tmp_path, token_in_header=True)
    assert result.path.read_bytes() == b"%PDF-1.4"


def test_no_file_chosen_is_said(tmp_path):
    with pytest.raises(BodyRefused, match="Choose a report"):
        read(multipart([("csrftoken", None, b"good"), ("report", "", b"")]), tmp_path)


def test_two_files_are_refused(tmp_path):
    body = multipart([("csrftoken", None, b"good"), ("report", "a.pdf", b"%PDF"), ("report", "b.pdf", b"%PDF")])
    with pytest.raises(BodyRefused, match="one report at a time"):
        read(body, tmp_path)
    assert list(tmp_path.iterdir()) == []
