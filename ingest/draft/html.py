"""Web pages saved as HTML (a browser's "Save page as…"), read with lxml's HTML parser (libxml2).

The page's own text, in the shape every reader hands over: headings as Markdown ``#`` lines,
list items as ``- `` bullets indented by their nesting, table rows as tab-separated cells, every
other block (paragraph, quote, div text) one line. Dropped: what is not the page's text or is its
chrome: scripts, styles, templates, forms, navigation (``nav``, ``role=navigation``, menus by their
class or id: gnb, lnb, breadcrumb …), site headers and footers outside the article, asides. When
the page marks its content (``main``, ``article``, ``role=main``), only that is read.

The encoding is the page's own (a byte-order mark, then ``<meta charset>``), else UTF-8, else
CP949/EUC-KR, which older Korean government sites still serve.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import lxml.html

from .errors import ReportError
from .text import table_row

DROPPED = {"script", "style", "noscript", "template", "nav", "form", "button", "select", "option", "textarea",
           "iframe", "svg", "canvas", "object", "embed", "aside", "dialog", "menu", "head", "input", "label"}
CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "toolbar"}
# class or id words of a page's chrome (Korean sites: gnb/lnb/snb menus, 바로가기 skip links)
CHROME_NAMES = re.compile(r"(?:^|[\s_-])(?:gnb|lnb|snb|breadcrumbs?|skip(?:nav|-?link)?|sitemap|site-?(?:header|footer)"
                          r"|menu|nav(?:bar|igation)?|footer|share|sns|social|cookie|banner|quick-?menu|top-?btn"
                          r"|pagination|related-?links?)(?:$|[\s_-])", re.IGNORECASE)
BLOCKS = {"p", "div", "section", "article", "main", "blockquote", "pre", "address", "figure", "figcaption", "dd", "dt",
          "dl", "center", "body", "header", "footer", "hgroup", "details", "summary", "caption"}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
LISTS = {"ul", "ol"}
CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*(?P<charset>[A-Za-z0-9_:.-]{1,40})""", re.IGNORECASE)
SNIFF_BYTES = 4096
TITLE_SEPARATOR = re.compile(r"\s(?:\||-|–|—|::|<|>|·)\s")
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]{0,200}\?>")


def read_html(path: Path, name: str) -> str:
    return html_text(decode_html(path.read_bytes(), name), name)


def decode_html(raw: bytes, name: str) -> str:
    """The page's characters, in the encoding it declares (or UTF-8, or CP949)."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(encoding, errors="replace")
    declared = CHARSET.search(raw[:SNIFF_BYTES])
    encodings = [declared["charset"].decode("ascii").lower()] if declared else []
    encodings = [("cp949" if e in ("euc-kr", "ks_c_5601-1987", "x-windows-949", "windows-949") else e) for e in encodings]
    for encoding in (*encodings, "utf-8", "cp949"):
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise ReportError(f"{name}: the page's text is in no encoding it declares, nor UTF-8 or EUC-KR",
                      "open it in a browser and save it again (웹 페이지, HTML만)")


def html_text(page: str, name: str) -> str:
    parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(XML_DECLARATION.sub("", page) or "<html></html>", parser=parser)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ReportError(f"{name}: cannot be read as HTML ({error})", "open it in a browser and save it again") from None
    for error in parser.error_log:  # libxml2 stops at 256 levels, or a huge text node, and says so
        if error.type_name == "ERR_RESOURCE_LIMIT":
            what = ("its elements are nested more deeply than a page a browser saves (libxml2 reads 256 levels)"
                    if "depth" in error.message else f"it goes past a limit of the HTML parser ({error.message[:120]})")
            raise ReportError(f"{name}: cannot be read as HTML: {what}", "open it in a browser and save it again")
    lines: list[str] = []
    _walk(_content(root), lines, depth=0)
    if lines and not any(line.startswith("# ") for line in lines) and (title := _page_title(root)):
        lines.insert(0, f"# {title}")  # no h1: the page's <title>, without the site's name
    return "\n".join(lines) + "\n"


def _page_title(root) -> str:
    """The <title> without the site's name after a separator (기사 제목 | 내 손안에 서울)."""
    title = root.find(".//title")
    text = " ".join((title.text_content() if title is not None else "").split())
    return TITLE_SEPARATOR.split(text, maxsplit=1)[0].strip() if text else ""


def _content(root):
    """The page's marked content (main, article, role=main) when it has one, else its body."""
    for path in ("//main", "//*[@role='main']", "//article"):
        found = [element for element in root.xpath(path) if not _is_chrome(element)]
        if found:
            return found[0]
    body = root.find("body")
    return body if body is not None else root


def _is_chrome(element) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in DROPPED or element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if (element.get("role") or "").lower() in CHROME_ROLES:
        return True
    if tag in ("header", "footer") and not any(a.tag in ("article", "main") for a in element.iterancestors()):
        return True  # the site's header and footer; an article's own header holds its title
    return bool(CHROME_NAMES.search(f"{element.get('class') or ''} {element.get('id') or ''}"))


def _walk(element, lines: list[str], depth: int) -> None:
    """Append the element's text as lines: blocks one line each, lists nested, tables as rows."""
    inline: list[str] = []

    def flush() -> None:
        text = " ".join("".join(inline).split())
        if text:
            lines.append(" " * depth + text)
        inline.clear()

    inline.append(element.text or "")
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if not tag or _is_chrome(child):  # a comment or processing instruction, or chrome: its tail is text
            inline.append(child.tail or "")
            continue
        if tag in HEADINGS:
            flush()
            if text := " ".join(child.text_content().split()):
                lines.append("#" * HEADINGS[tag] + " " + text)
        elif tag in LISTS:
            flush()
            for item in child.iterchildren("li"):
                _list_item(item, lines, depth)
        elif tag == "table":
            flush()
            _table(child, lines)
        elif tag == "br":
            flush()
        elif tag in BLOCKS or tag == "li":
            flush()
            _walk(child, lines, depth)
        else:
            inline.append(_inline_text(child))
        inline.append(child.tail or "")
    flush()


def _list_item(item, lines: list[str], depth: int) -> None:
    """A list item as a '- ' bullet; a list inside it one step deeper."""
    before = len(lines)
    _walk(item, lines, depth)
    if len(lines) > before:
        lines[before] = " " * depth + "- " + lines[before].lstrip()
    for i in range(before + 1, len(lines)):  # what the item holds (a nested list): one level further in
        lines[i] = " " + lines[i]


def _table(table, lines: list[str]) -> None:
    for row in table.iter("tr"):
        cells = [" ".join(_inline_text(cell).split()) for cell in row if cell.tag in ("td", "th")]
        if any(cells):
            lines.append(table_row(cells))


def _inline_text(element) -> str:
    """An inline element's text, without what is dropped inside it (a script in a span)."""
    if _is_chrome(element):
        return ""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag == "br":
            parts.append(" ")
        elif isinstance(child.tag, str):
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
