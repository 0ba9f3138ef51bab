"""A source's reference: the institute's style in Korean, Chicago author-date in English, and the
RIS, BibTeX and CSL-JSON files reference managers import, all from one CSL-JSON item."""

import json
import sqlite3

import pytest
import rispy
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from pybtex.database import parse_string

from ingest.memo.reference_files import BIBTEX_SPECIALS, bibtex, bibtex_key, csl_json, ris
from ingest.memo.records import read_sources
from ingest.memo.references import STYLES, SourceRef, csl_item, formatted_reference, render, style

from .conftest import WILTON, examples

SEED_KO = ("국토연구원. 2016. 「Wilton Park Forum 「Disrupting Smart Cities through Technology」 발표 참석」. "
           "해외출장 복명서.")
SEED_EN = ("Korea Research Institute for Human Settlements (KRIHS). 2016. "
           "“Disrupting Smart Cities through Technology (Wilton Park forum).” Trip report.")
RULE = {"ko": "채텀하우스 규칙(Chatham House Rule) 적용: 발언자와 소속은 밝히지 않음.",
        "en": "Chatham House Rule: speakers and affiliations are not attributed."}
FINDING_URL = f"https://insights.example.org/insights/findings/{WILTON}~2Fcitizen-crowdfunding"
HOSTILE = SourceRef(
    organization="<b>A&B</b> {Lab} 100% $#_^~\\",
    title="Title with <script>x</script> & {braces} } { %\nsecond line\r\nthird\x00\x07\x1b[31m\u2028end",
    source_type="Report\tof\x0bkind", event='"Forum"\n& <co>', place="Seoul\x1f", start="2020-01-02",
    end=None, rule="chatham-house", url=None,
)


@pytest.fixture
def seed(db_path):
    with sqlite3.connect(db_path) as conn:
        return {lang: read_sources(conn, [WILTON], lang)[WILTON] for lang in ("ko", "en")}


def test_the_seed_source_in_the_institutes_korean_style(seed):
    assert formatted_reference(seed["ko"], "ko") == f"{SEED_KO} {RULE['ko']}"


def test_the_seed_source_in_chicago_author_date(seed):
    assert formatted_reference(seed["en"], "en") == f"{SEED_EN} {RULE['en']}"


@pytest.mark.parametrize("lang, reference", [("ko", SEED_KO), ("en", SEED_EN)])
def test_a_findings_citation_puts_its_url_before_the_rule(seed, lang, reference):
    assert formatted_reference(seed[lang], lang, FINDING_URL) == f"{reference} {FINDING_URL}. {RULE[lang]}"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_source_with_rule_none_has_no_chatham_house_line(seed, lang):
    open_source = seed[lang]._replace(rule="none")
    text = formatted_reference(open_source, lang, FINDING_URL)
    assert "Chatham House" not in text and "채텀하우스" not in text
    item = csl_item(open_source, lang, "x")
    assert "note" not in item
    assert "N1  -" not in ris([item]) and "note =" not in bibtex([item])


def test_the_chatham_house_line_is_in_every_file(seed):
    item = csl_item(seed["ko"], "ko", f"{WILTON}/citizen-crowdfunding", FINDING_URL)
    [record] = rispy.loads(ris([item]))
    assert record["notes"] == [RULE["ko"].rstrip(".")]
    [entry] = parse_string(bibtex([item]), "bibtex").entries.values()
    assert entry.fields["note"] == RULE["ko"].rstrip(".")
    assert json.loads(csl_json([item]))[0]["note"] == RULE["ko"].rstrip(".")


def test_the_seed_as_a_reference_manager_reads_it(seed):
    item = csl_item(seed["ko"], "ko", f"{WILTON}/citizen-crowdfunding", FINDING_URL)
    [record] = rispy.loads(ris([item]))
    assert record["type_of_reference"] == "RPRT"
    assert record["authors"] == ["국토연구원"]
    assert record["title"] == "Wilton Park Forum 「Disrupting Smart Cities through Technology」 발표 참석"
    assert (record["type_of_work"], record["year"], record["urls"]) == ("해외출장 복명서", "2016", [FINDING_URL])
    [(key, entry)] = parse_string(bibtex([item]), "bibtex").entries.items()
    assert key == f"{WILTON}:citizen-crowdfunding"
    assert entry.type == "techreport"
    assert [str(p) for p in entry.persons["author"]] == ["{국토연구원}"]  # one institution, not split
    assert entry.fields["title"] == record["title"]
    assert entry.fields["url"] == FINDING_URL


def test_styles_are_valid_csl():
    for lang in STYLES:
        assert style(lang).root.get("default-locale").startswith(lang)  # loading validates: a warning is an error


def test_styles_print_dates_as_their_year_only():
    """What lets a reference be made from a rendering of its shape (references.rendered_like_its_shape)."""
    namespace = {"csl": "http://purl.org/net/xbiblio/csl"}
    for path in STYLES.values():
        tree = etree.parse(str(path))
        assert not tree.xpath("//csl:date[@form]", namespaces=namespace)
        parts = tree.xpath("//csl:date/csl:date-part", namespaces=namespace)
        assert parts and {p.get("name") for p in parts} == {"year"}
        assert not tree.xpath("//csl:text[@variable][@text-case]", namespaces=namespace)


field_text = st.none() | st.text(st.sampled_from("가나다 「」abc.,;:?!\"'()&<>{}%$#_^~\\\n\t\x00\x1f\ue000\ue001-/"), max_size=12)


@settings(max_examples=examples(60), deadline=None)
@given(organization=field_text, title=field_text, source_type=field_text, event=field_text, place=field_text,
       start=st.none() | st.dates().map(str), rule=st.sampled_from(["none", "chatham-house", None]),
       url=st.none() | st.sampled_from(["https://h.example/insights/findings/a~2Fb"]) | st.text("ab/.:?~ \n", max_size=8),
       lang=st.sampled_from(["ko", "en"]))
def test_a_reference_is_what_citeproc_renders_for_its_item(organization, title, source_type, event, place, start,
                                                             rule, url, lang):
    source = SourceRef(organization, title, source_type, event, place, start, None, rule)
    assert formatted_reference(source, lang, url) == render(csl_item(source, lang, "reference", url), lang)


def untex(value: str) -> str:
    """Undo the BibTeX escapes, to compare a field with the text it came from."""
    for character, escaped in sorted(BIBTEX_SPECIALS.items(), key=lambda pair: -len(pair[1])):
        value = value.replace(escaped, character)
    return value


def test_hostile_text_gives_valid_ris_bibtex_and_json():
    item = csl_item(HOSTILE, "en", "note/finding", "https://h.example/insights/findings/note~2Ffinding")
    one_line = "Title with <script>x</script> & {braces} } { % second line third [31m end"
    assert item["title"] == one_line
    [record] = rispy.loads(ris([item]))
    assert record["title"] == one_line
    assert record["authors"] == ["<b>A&B</b> {Lab} 100% $#_^~\\"]
    assert record["type_of_work"] == "Report of kind"
    assert record["notes"] == [RULE["en"].rstrip(".")]
    text = ris([item])
    assert all(line[2:6] == "  - " for line in text.split("\r\n") if line)
    [entry] = parse_string(bibtex([item]), "bibtex").entries.values()  # pybtex is strict: raises on any error
    assert untex(entry.fields["title"]) == one_line
    assert untex(str(entry.persons["author"][0])) == "{<b>A&B</b> {Lab} 100% $#_^~\\}"
    assert untex(entry.fields["eventtitle"]) == '"Forum" & <co>'
    assert json.loads(csl_json([item])) == [item]
    assert not any(c < " " for c in json.dumps(item))
    reference = formatted_reference(HOSTILE, "en", item["URL"])
    assert "\n" not in reference and "\x00" not in reference and one_line in reference


@pytest.mark.parametrize("item_id, key", [
    (f"{WILTON}/retrofit-financing", f"{WILTON}:retrofit-financing"),
    ("한글/id {x}", "id-x"),
    ("///", "reference"),
])
def test_bibtex_keys_are_ascii(item_id, key):
    assert bibtex_key(item_id) == key
