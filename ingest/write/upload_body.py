"""An upload's HTTP body, read with limits before anything parses the report in it.

The body is a ``multipart/form-data`` form with a ``csrftoken`` field and one file, ``report``.
It is read from the ASGI ``receive`` a chunk at a time and parsed as it arrives (python-multipart's
streaming parser); the file goes to a file in ``folder`` (never into notes/). Refused, with nothing
kept, as soon as it is known (``BodyRefused``, with the HTTP status to answer):

- a ``Content-Length`` over the limit: before one byte of the body is read (413);
- more bytes than the limit while streaming (no or a false Content-Length): at that chunk (413);
- the CSRF token missing, wrong, or after the file (the form puts it first): before the file's
  bytes are kept (403), unless the caller found the token in an ``X-CSRFToken`` header;
- anything but one file called ``report`` and a few short fields (400).

The limit is on the whole body: the report may be ``limit`` bytes, and the rest of the form
(the token, the part headers) ``FORM_BYTES`` more.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from python_multipart.multipart import MultipartParser, parse_options_header

from ..draft.limits import megabytes

FILE_FIELD = "report"
TOKEN_FIELD = "csrftoken"
FORM_BYTES = 64 * 1024  # the form around the report: token, part headers, boundaries
FIELD_BYTES = 4 * 1024  # one text field (a CSRF token is ~100 characters)
MAX_FIELDS = 8


class BodyRefused(Exception):
    """An upload refused before its report was parsed: ``message`` and ``hint`` for the page,
    ``status`` for the response."""

    def __init__(self, message: str, hint: str = "", status: int = 400):
        super().__init__(message)
        self.message, self.hint, self.status = message, hint, status


@dataclass
class UploadBody:
    filename: str  # as the browser sent it (for messages only: never a path)
    path: Path  # where its bytes are, in ``folder``
    size: int
    fields: dict[str, str] = field(default_factory=dict)


def too_big(limit: int) -> BodyRefused:
    return BodyRefused(f"파일이 너무 큽니다 · The file is larger than {megabytes(limit)}",
                       "a report a person wrote is far smaller: check that it is the report itself "
                       "(an operator can raise the limit: plugins.insights.upload_bytes, docs/writing.md)", 413)


def check_length(headers: dict[bytes, bytes], limit: int) -> None:
    """413 from the declared Content-Length, before the body is read."""
    declared = headers.get(b"content-length", b"").strip()
    if declared.isdigit() and int(declared) > limit + FORM_BYTES:
        raise too_big(limit)


def boundary_of(headers: dict[bytes, bytes]) -> bytes:
    content_type, options = parse_options_header(headers.get(b"content-type", b""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise BodyRefused("보고서 파일을 양식으로 보내 주십시오 · Send the report as a form upload",
                          f"multipart/form-data with the file in a field called '{FILE_FIELD}' (docs/writing.md)", 400)
    return boundary


async def read_upload_body(receive: Callable[[], Awaitable[dict]], headers: dict[bytes, bytes], *, limit: int,
                           folder: Path, token_ok: Callable[[str], bool], token_in_header: bool) -> UploadBody:
    """The body read into ``folder`` within ``limit``; ``token_ok(value)`` judges the form's
    ``csrftoken`` field unless ``token_in_header`` (the header's token was already judged)."""
    check_length(headers, limit)
    form = _Form(folder, limit, token_ok, token_in_header)
    parser = MultipartParser(boundary_of(headers), form.callbacks(), max_size=limit + FORM_BYTES)
    received = 0
    try:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise BodyRefused("the upload was interrupted", "send it again", 400)
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > limit + FORM_BYTES:
                raise too_big(limit)
            if chunk:
                parser.write(chunk)
            form.raise_refusal()
            if not message.get("more_body", False):
                break
        parser.finalize()
        form.raise_refusal()
        return form.result()
    except BodyRefused:
        form.discard()
        raise
    except Exception as error:  # noqa: BLE001 - python-multipart's errors on a malformed body
        form.discard()
        raise BodyRefused("the upload could not be read as a form", f"send it again ({type(error).__name__})", 400) from None


class _Form:
    """The parser's callbacks: part headers, text fields, and the one file."""

    def __init__(self, folder: Path, limit: int, token_ok, token_in_header: bool):
        self.folder, self.limit, self.token_ok = folder, limit, token_ok
        self.token_checked = token_in_header
        self.fields: dict[str, str] = {}
        self.refusal: BodyRefused | None = None
        self.file: BinaryIO | None = None
        self.file_path: Path | None = None
        self.filename: str | None = None
        self.size = 0
        self._reset_part()

    def _reset_part(self) -> None:
        self.header_name, self.header_value = b"", b""
        self.headers: dict[bytes, bytes] = {}
        self.part_name: str | None = None
        self.part_is_file = False
        self.value = bytearray()

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self._reset_part,
            "on_header_field": lambda data, start, end: self._add("header_name", data[start:end]),
            "on_header_value": lambda data, start, end: self._add("header_value", data[start:end]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": lambda data, start, end: self._data(data[start:end]),
            "on_part_end": self._part_end,
        }

    def _add(self, name: str, data: bytes) -> None:
        setattr(self, name, getattr(self, name) + data)

    def _header_end(self) -> None:
        self.headers[self.header_name.strip().lower()] = self.header_value.strip()
        self.header_name, self.header_value = b"", b""

    def _refuse(self, refusal: BodyRefused) -> None:
        if self.refusal is None:
            self.refusal = refusal

    def _headers_finished(self) -> None:
        disposition, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.part_name = options.get(b"name", b"").decode("utf-8", "replace")
        self.part_is_file = b"filename" in options
        if not self.part_is_file:
            if len(self.fields) >= MAX_FIELDS:
                self._refuse(BodyRefused("the form has too many fields", "send the upload page's form", 400))
            return
        if self.part_name != FILE_FIELD or self.file is not None:
            self._refuse(BodyRefused("one report at a time, in the field 'report'", "send the upload page's form", 400))
            return
        if not self.token_checked:
            self._refuse(BodyRefused("보안 토큰이 없습니다 · The form's security token is missing or wrong",
                                     "reload the upload page and send the file again "
                                     "(a script sends the token first, or in an X-CSRFToken header)", 403))
            return
        self.filename = options[b"filename"].decode("utf-8", "replace")
        self.file_path = self.folder / "upload"
        self.file = open(self.file_path, "wb")

    def _data(self, data: bytes) -> None:
        if self.refusal is not None:
            return
        if self.part_is_file:
            if self.file is None:
                return
            self.size += len(data)
            if self.size > self.limit:
                self._refuse(too_big(self.limit))
                return
            self.file.write(data)
        else:
            self.value += data
            if len(self.value) > FIELD_BYTES:
                self._refuse(BodyRefused(f"the field '{self.part_name}' is too long", "send the upload page's form", 400))

    def _part_end(self) -> None:
        if self.refusal is not None:
            return
        if self.part_is_file:
            if self.file is not None:
                self.file.close()
            return
        value = self.value.decode("utf-8", "replace")
        self.fields[self.part_name or ""] = value
        if self.part_name == TOKEN_FIELD and not self.token_checked:
            if not self.token_ok(value):
                self._refuse(BodyRefused("보안 토큰이 맞지 않습니다 · The form's security token is wrong",
                                         "reload the upload page and send the file again", 403))
            else:
                self.token_checked = True

    def raise_refusal(self) -> None:
        if self.refusal is not None:
            raise self.refusal

    def result(self) -> UploadBody:
        if not self.token_checked:
            raise BodyRefused("보안 토큰이 없습니다 · The form's security token is missing",
                              "reload the upload page and send the file again", 403)
        if self.file_path is None or not self.filename.strip():
            raise BodyRefused("보고서 파일을 고르십시오 · Choose a report file to upload",
                              "HWPX, HWP, DOCX, PDF, TXT or MD", 400)
        return UploadBody(self.filename, self.file_path, self.size, self.fields)

    def discard(self) -> None:
        if self.file is not None:
            self.file.close()
        if self.file_path is not None:
            self.file_path.unlink(missing_ok=True)


def same_token(sent: str, expected: str) -> bool:
    """Constant-time comparison of a sent token with the expected one; an empty one never matches."""
    return bool(sent) and bool(expected) and secrets.compare_digest(sent.encode(), expected.encode())
