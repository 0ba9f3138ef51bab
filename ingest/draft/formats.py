"""Which reader reads a report, by its file's extension."""

from __future__ import annotations

from pathlib import Path

from .errors import DraftError
from .office import read_docx, read_hangul
from .pdf import read_pdf
from .text import read_text_report

READERS = {".txt": read_text_report, ".md": read_text_report, ".markdown": read_text_report,
           ".hwpx": read_hangul, ".hwp": read_hangul, ".docx": read_docx, ".pdf": read_pdf}
SUPPORTED = ("HWPX (.hwpx), HWP 5 (.hwp), DOCX (.docx), PDF with a text layer (.pdf), UTF-8 text (.txt) "
             "and Markdown (.md)")
CONVERT = {  # formats that are not read: what to do instead
    ".doc": ("old Word files are not read", "open it in Word and save it as .docx, then draft the .docx"),
}


def read_report(path: Path) -> str:
    """The report's text, one paragraph a line (see structure); DraftError if it has none."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise DraftError(f"{path}: no such file")
    if suffix in CONVERT:
        message, hint = CONVERT[suffix]
        raise DraftError(f"{path}: {message}", hint)
    if suffix not in READERS:
        raise DraftError(f"{path}: '{suffix or 'no extension'}' is not a supported report format",
                         f"supported: {SUPPORTED}")
    if path.stat().st_size == 0:
        raise DraftError(f"{path}: the file is empty", "draft from the report itself, not an empty copy")
    text = READERS[suffix](path)
    if not text.strip():
        raise DraftError(f"{path}: the report has no text", "check that it is the report itself")
    return text
