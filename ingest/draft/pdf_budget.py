"""A PDF's pages and characters counted before pdfplumber lays a page out.

pdfplumber turns every glyph into a dict and then clusters them into lines and tables: memory and
time grow with the glyphs of a page, and a few KB of content stream can show 200,000 of them.
pdfminer's interpreter is run here with a device that only counts the characters each
text-show operator draws, and stops as soon as a page is over its budget.
"""

from __future__ import annotations

from pdfminer.pdfdevice import PDFDevice
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdfpage import PDFPage

from .limits import Limits
from .packages import over


class _OverBudget(Exception):
    pass


class _CountingDevice(PDFDevice):
    """Counts the characters of every string shown; raises _OverBudget past ``budget``."""

    def __init__(self, rsrcmgr, budget: int):
        super().__init__(rsrcmgr)
        self.budget, self.count = budget, 0

    def render_string(self, textstate, seq, ncs, graphicstate) -> None:
        font = textstate.font
        for item in seq:
            if isinstance(item, bytes):
                self.count += len(font.decode(item)) if font is not None else len(item)
                if self.count > self.budget:
                    raise _OverBudget


def count_pages(document, name: str, limits: Limits) -> int:
    """The document's pages, counted lazily; ReportError past the limit."""
    pages = 0
    for _ in PDFPage.create_pages(document):
        pages += 1
        if pages > limits.report_pdf_pages:
            raise over(name, f"has more than {limits.report_pdf_pages:,} pages", "report_pdf_pages", limits)
    return pages


class CharacterBudget:
    """The characters of a whole document, page by page, against both limits."""

    def __init__(self, rsrcmgr, name: str, limits: Limits):
        self.rsrcmgr, self.name, self.limits, self.total = rsrcmgr, name, limits, 0

    def check_page(self, page: PDFPage, number: int) -> None:
        limits = self.limits
        device = _CountingDevice(self.rsrcmgr, min(limits.report_page_characters, limits.report_characters - self.total))
        try:
            PDFPageInterpreter(self.rsrcmgr, device).process_page(page)
        except _OverBudget:
            if device.count > limits.report_page_characters:
                raise over(self.name, f"its page {number} shows more than {limits.report_page_characters:,} characters",
                           "report_page_characters", limits) from None
            raise over(self.name, f"has more than {limits.report_characters:,} characters",
                       "report_characters", limits) from None
        self.total += device.count

    def lay_out(self, page) -> None:
        """Lays out a pdfplumber ``page`` in the same pass that counts its characters (one run of
        the interpreter instead of two: reading a PDF is mostly parsing its content streams).
        A string is counted before it is drawn, so no page is laid out past its budget; the
        layout is left where pdfplumber looks for it (``page._layout``)."""
        from pdfplumber.page import PDFPageAggregatorWithMarkedContent
        from pdfplumber.utils.exceptions import PdfminerException

        limits = self.limits
        budget = min(limits.report_page_characters, limits.report_characters - self.total)

        class CountingAggregator(PDFPageAggregatorWithMarkedContent):
            count = 0

            def render_string(self, textstate, seq, ncs, graphicstate) -> None:
                font = textstate.font
                for item in seq:
                    if isinstance(item, bytes):
                        self.count += len(font.decode(item)) if font is not None else len(item)
                if self.count > budget:
                    raise _OverBudget
                super().render_string(textstate, seq, ncs, graphicstate)

        device = CountingAggregator(self.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
        try:
            PDFPageInterpreter(self.rsrcmgr, device).process_page(page.page_obj)
        except _OverBudget:
            self._refuse(device.count, page.page_number)
        except Exception as error:  # as pdfplumber's own layout reports a parser's failure
            raise PdfminerException(error) from None
        self.total += device.count
        page._layout = device.get_result()

    def _refuse(self, count: int, number: int):
        limits = self.limits
        if count > limits.report_page_characters:
            raise over(self.name, f"its page {number} shows more than {limits.report_page_characters:,} characters",
                       "report_page_characters", limits) from None
        raise over(self.name, f"has more than {limits.report_characters:,} characters",
                   "report_characters", limits) from None
