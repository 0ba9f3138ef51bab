"""Which reader reads a report, by its file's extension, and what every reader's text must pass.

``read_in_this_process`` is the reading step itself, with the limits that can be judged before
and after parsing; ``reading.read_report`` runs it in a child process with a memory and a time limit.
"""

from __future__ import annotations

from pathlib import Path

from .errors import ReportError
from .limits import Limits, megabytes
from .packages import check_package, over

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".hwpx": "hwpx", ".hwp": "hwp", ".docx": "docx", ".pdf": "pdf",
           ".html": "html", ".htm": "html"}
SUPPORTED = ("HWPX (.hwpx), HWP 5 (.hwp), DOCX (.docx), PDF with a text layer (.pdf), web pages saved as HTML "
             "(.html, .htm), UTF-8 text (.txt) and Markdown (.md)")
CONVERT = {  # formats that are not read: what to do instead
    ".doc": ("old Word files are not read", "open it in Word and save it as .docx, then draft the .docx"),
    ".mhtml": ("web archives (.mhtml) are not read", "save the page again as 'Web page, HTML only' (.html)"),
    ".mht": ("web archives (.mht) are not read", "save the page again as 'Web page, HTML only' (.html)"),
}


def check_file(path: Path, name: str, limits: Limits) -> str:
    """The report's format ('hwpx', 'pdf' …), or ReportError if it cannot be read at all: no such
    file, an unsupported kind, empty, or larger than the limit."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ReportError(f"{name}: no such file")
    if suffix in CONVERT:
        message, hint = CONVERT[suffix]
        raise ReportError(f"{name}: {message}", hint)
    if suffix not in FORMATS:
        raise ReportError(f"{name}: '{suffix or 'no extension'}' is not a supported report format",
                          f"supported: {SUPPORTED}")
    size = path.stat().st_size
    if size == 0:
        raise ReportError(f"{name}: the file is empty", "draft from the report itself, not an empty copy")
    if size > limits.report_bytes:
        raise over(name, f"is larger than {megabytes(limits.report_bytes)}", "report_bytes", limits)
    if suffix in TEXT_SUFFIXES and size > 4 * limits.report_characters:  # UTF-8: at most 4 bytes a character
        raise over(name, f"has more than {limits.report_characters:,} characters", "report_characters", limits)
    return FORMATS[suffix]


def read_in_this_process(path: Path, name: str, limits: Limits) -> str:
    """The report's text, one paragraph a line (see structure); ReportError if it has none or is
    over a limit. Parses the file in this process: see reading.read_report for the safe way."""
    check_file(path, name, limits)
    check_package(path, name, limits)
    text = _reader(path.suffix.lower())(path, name, limits)
    check_text(text, name, limits)
    if not text.strip():
        raise ReportError(f"{name}: the report has no text", "check that it is the report itself")
    return text


def check_text(text: str, name: str, limits: Limits) -> None:
    """The limits on what was read: characters and paragraphs (lines)."""
    if len(text) > limits.report_characters:
        raise over(name, f"has more than {limits.report_characters:,} characters", "report_characters", limits)
    if text.count("\n") > limits.report_paragraphs + 1:
        raise over(name, f"has more than {limits.report_paragraphs:,} paragraphs", "report_paragraphs", limits)


def _reader(suffix: str):
    """The reader of one format, imported only when a report of it is read."""
    if suffix in TEXT_SUFFIXES:
        from .text import read_text_report
        return lambda path, name, limits: read_text_report(path, name)
    if suffix == ".docx":
        from .office import read_docx
        return lambda path, name, limits: read_docx(path, name)
    if suffix in (".html", ".htm"):
        from .html import read_html
        return lambda path, name, limits: read_html(path, name)
    if suffix in (".hwpx", ".hwp"):
        from .office import read_hangul
        return lambda path, name, limits: read_hangul(path, name)
    from .pdf import read_pdf
    return read_pdf
