"""An uploaded report: its kind judged by its content, saved under a safe name, then drafted.

    kind = judge_content(path)                      # UploadRefused: unknown, old Word, encrypted Office
    name = safe_report_name(upload_name, kind)      # UploadRefused: a name that says another kind
    drafted = draft_upload(path, upload_name, notes_dir, editor=…, limits=…)   # blocking: run in a thread

The kind comes from the bytes: ``%PDF-``; a zip holding ``word/document.xml`` (DOCX) or an
``application/hwp+zip`` mimetype and ``Contents/`` (HWPX); a compound (OLE) file whose
``FileHeader`` stream says ``HWP Document File`` (HWP 5); UTF-8 text without NUL bytes (TXT, or
MD when so named). **A name that says another kind is refused**, not corrected: a researcher
whose ``보고서.pdf`` is in fact a Word file is told so, and a file dressed as another kind never
reaches a reader it was not meant for. A name with no known extension takes the content's kind.

The saved name is a slug of the upload's name (ASCII words, ``-``, at most 80 characters; a
trailing language tag such as ``.ko`` kept; a name with no such word becomes ``report-<digest>``)
and the kind's extension: the upload's name is never a path, so ``../../x.md`` becomes ``x.md``
inside a private folder. The draft tool then writes only under notes/ (its own names).
"""

from __future__ import annotations

import codecs
import hashlib
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..draft.draft import Draft, draft_report
from ..draft.errors import DraftError
from ..draft.limits import DEFAULT_LIMITS, Limits
from ..draft.packages import _declared_members
from .lock import notes_lock

OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
SNIFF_MEMBERS = 10_000  # a zip declaring more is not listed here (the draft tool refuses it by its parts limit)
SLUG_LENGTH = 80
LANGUAGE_TAG = re.compile(r"\.([a-z]{2})$")


@dataclass(frozen=True)
class Kind:
    name: str  # pdf, docx, hwpx, hwp, txt
    label: str  # as a researcher knows it
    suffixes: tuple[str, ...]  # names it may have; the first is the one it is saved with


PDF = Kind("pdf", "PDF", (".pdf",))
DOCX = Kind("docx", "Word (DOCX)", (".docx",))
HWPX = Kind("hwpx", "한글 (HWPX)", (".hwpx",))
HWP = Kind("hwp", "한글 (HWP)", (".hwp",))
TEXT = Kind("txt", "텍스트 · text (TXT, MD)", (".txt", ".md", ".markdown"))
HTML = Kind("html", "웹 페이지 · web page (HTML)", (".html", ".htm"))
KINDS = (PDF, DOCX, HWPX, HWP, HTML, TEXT)
HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE | re.DOTALL)
KNOWN_SUFFIXES = {suffix: kind for kind in KINDS for suffix in kind.suffixes} | {
    ".doc": None, ".hwt": None, ".xlsx": None, ".xls": None, ".pptx": None, ".ppt": None, ".odt": None,
    ".rtf": None, ".mhtml": None, ".mht": None, ".zip": None}
SUPPORTED = "HWPX, HWP, DOCX, PDF, HTML, TXT, MD"


class UploadRefused(Exception):
    """An upload that is not drafted, said for the upload page; nothing was written to notes/."""

    def __init__(self, message: str, hint: str = "", status: int = 400):
        super().__init__(message)
        self.message, self.hint, self.status = message, hint, status


@dataclass(frozen=True)
class Drafted:
    note_id: str
    draft: Draft
    written: tuple[Path, ...]  # under notes/: the note, its document and the original


def judge_content(path: Path) -> Kind:
    """The report's kind from its bytes; UploadRefused when it is none the draft tool reads."""
    with open(path, "rb") as file:
        head = file.read(8192)
    if not head:
        raise UploadRefused("빈 파일입니다 · The file is empty", "upload the report itself", 422)
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path)
    if head.startswith(OLE_SIGNATURE):
        return _ole_kind(path)
    if HTML_START.match(head):  # a saved web page, in whatever encoding it declares (the reader decodes it)
        return HTML
    if _is_text(path):
        return TEXT
    raise _unknown()


def _unknown(what: str = "") -> UploadRefused:
    return UploadRefused(f"읽을 수 없는 종류의 파일입니다 · Not a kind of report this reads{what}",
                         f"supported: {SUPPORTED}; save the report in one of them and upload it again", 415)


def _zip_kind(path: Path) -> Kind:
    declared = _declared_members(path)
    if declared is not None and declared > SNIFF_MEMBERS:
        raise UploadRefused(f"the file holds {declared:,} parts: not a report", "upload the report itself", 422)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return DOCX
            if "mimetype" in names:
                with archive.open("mimetype") as stream:
                    mimetype = stream.read(100)
                if mimetype.strip() == b"application/hwp+zip" or any(n.startswith("Contents/") for n in names):
                    return HWPX
            if any(n.startswith("Contents/section") for n in names):
                return HWPX
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError):
        raise UploadRefused("손상된 파일입니다 · The file is damaged (a broken package)",
                            "open it in the program that made it, save it again and upload that", 422) from None
    raise _unknown(" (a zip that is neither DOCX nor HWPX)")


def _ole_kind(path: Path) -> Kind:
    from hwpx.hwp5.cfb import CompoundFile  # imported here: only OLE uploads pay for it

    try:
        compound = CompoundFile(path.read_bytes())
        streams = set(compound.stream_paths())
        header = compound.read("FileHeader")[:17] if "FileHeader" in streams else b""
    except Exception:  # noqa: BLE001 - not a compound file after all
        raise UploadRefused("손상된 파일입니다 · The file is damaged", "open it in the program that made it, "
                            "save it again and upload that", 422) from None
    if header == b"HWP Document File":
        return HWP
    if "EncryptedPackage" in streams:
        raise UploadRefused("암호가 걸린 파일입니다 · The file is protected by a password",
                            "open it in Word or 한글, remove the password, save it and upload that", 422)
    if "WordDocument" in streams:
        raise UploadRefused("예전 Word 파일(.doc)은 읽지 않습니다 · Old Word files (.doc) are not read",
                            "open it in Word, save it as .docx and upload that", 415)
    raise _unknown(" (an Office file that is not a report)")


def _is_text(path: Path) -> bool:
    """UTF-8 (a BOM allowed) without NUL or other binary control bytes."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            if b"\x00" in chunk:
                return False
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
            if any(ch < " " and ch not in "\t\n\r\f" for ch in text):
                return False
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def base_name(upload_name: str) -> str:
    """The last part of what the browser sent as the file's name (some send a whole path)."""
    name = unicodedata.normalize("NFC", upload_name).replace("\\", "/").rsplit("/", 1)[-1]
    return name.strip().strip(".") or "report"


def safe_report_name(upload_name: str, kind: Kind, content_digest: str = "") -> str:
    """The name the report is saved under: a slug of the upload's name with the kind's extension;
    UploadRefused when the name's extension says another kind."""
    name = base_name(upload_name)
    stem, dot, suffix = name.rpartition(".")
    suffix = f".{suffix.lower()}" if dot else ""
    if not dot or suffix not in KNOWN_SUFFIXES:  # no extension, or one that says nothing: the content decides
        stem, suffix = name, ""
    if suffix in KNOWN_SUFFIXES and suffix not in kind.suffixes:
        claimed = KNOWN_SUFFIXES[suffix]
        raise UploadRefused(
            f"파일 이름과 내용이 다릅니다 · The name says {claimed.label if claimed else suffix} but the file is {kind.label}",
            f"rename it to end in {kind.suffixes[0]} if it is the report, and upload it again", 415)
    tag = ""
    if match := LANGUAGE_TAG.search(stem.lower()):
        tag, stem = match.group(0), stem[:match.start()]
    words = "-".join(re.findall(r"[a-z0-9]+", stem.lower()))[:SLUG_LENGTH].strip("-")
    if not words:
        words = f"report-{content_digest[:10]}" if content_digest else "report"
    extension = suffix if suffix in kind.suffixes else kind.suffixes[0]
    return f"{words}{tag}{extension}"


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def draft_upload(uploaded: Path, upload_name: str, notes_dir: Path, *, limits: Limits = DEFAULT_LIMITS,
                 commit=None, curated: Path | None = None) -> Drafted:
    """Judge, name and draft an uploaded file (blocking). ``commit(paths, message)``, if given, is
    called with the files written (relative to notes/) once they are. UploadRefused for every
    refusal, with nothing written under notes/; lock.Busy when another save holds the notes too long.
    ``curated``: the served database, whose findings the draft's suggestions learn from."""
    kind = judge_content(uploaded)
    name = safe_report_name(upload_name, kind, file_digest(uploaded))
    shown = base_name(upload_name)
    with tempfile.TemporaryDirectory(prefix="insights-upload-") as folder:
        report = Path(folder) / name
        report.hardlink_to(uploaded) if _same_device(uploaded, Path(folder)) else report.write_bytes(uploaded.read_bytes())
        with notes_lock(notes_dir):  # draft ids are chosen from the notes on disk: one writer at a time
            try:
                draft = draft_report(report, notes_dir, limits=limits, name=shown, curated=curated)
            except DraftError as error:
                if error.message.startswith("already there"):  # the tool names absolute paths: not for a page
                    raise UploadRefused("같은 이름의 다른 보고서가 이미 있습니다 · A different report of this name was "
                                        "uploaded before", "rename the file and upload it again; nothing was written", 409) from None
                raise UploadRefused(_without_name(error.message, shown), error.hint, 422) from None
            written = tuple(dict.fromkeys(p for p in (draft.note, draft.document, draft.original)))
            note_id = draft.note.stem
            if commit is not None:
                commit([p.relative_to(notes_dir) for p in written],
                       f"Draft {note_id} from the uploaded report {shown}")
    return Drafted(note_id, draft, written)


def _same_device(a: Path, folder: Path) -> bool:
    try:
        return a.stat().st_dev == folder.stat().st_dev
    except OSError:
        return False


def _without_name(message: str, shown: str) -> str:
    """The draft tool's message, which starts with the report's name: the page shows the name above it."""
    prefix = f"{shown}: "
    return message[len(prefix):] if message.startswith(prefix) else message
