"""Korean morphological analysis: what a Korean text is indexed and searched as."""

import pytest

from ingest.search import korean


@pytest.mark.parametrize("text, terms", [
    ("스마트도시는", ["스마트", "도시"]),  # the particle 는 goes
    ("홍보의", ["홍보"]),
    ("클라우드펀딩", ["클라우드", "펀딩"]),  # a compound written without a space ...
    ("클라우드 펀딩", ["클라우드", "펀딩"]),  # ... and with one: the same terms
    ("기반시설조성비를", ["기반", "시설", "조성", "비"]),
    ("민간투자자에", ["민간", "투자자"]),
    ("신도시", ["신", "도시"]),  # the prefix 신 stays: 신도시 is not just 도시
    ("도시락", ["도시락"]),  # a word of its own, not 도시 + something
    ("경향이 높았음", ["경향", "높"]),  # a stem stands for every form of the adjective
])
def test_index_terms(text, terms):
    assert korean.index_terms(text) == terms


def test_index_text_replaces_korean_words_and_keeps_everything_else_verbatim():
    assert korean.index_text("스마트도시는 crowdfunding (클라우드펀딩의)") == "스마트 도시 crowdfunding (클라우드 펀딩)"
    assert korean.index_text("CISCO와 합작") == "CISCO 합작"
    assert korean.index_text("A의B") == "A B"  # a dropped particle still separates words


def test_text_without_hangul_is_not_analysed():
    text = "Citizens as investors: crowdfunding smart-city projects"
    assert korean.index_texts([text, ""]) == [text, ""]
    assert korean.term_spans(text) == []


def test_a_batch_gives_the_same_as_one_at_a_time(wilton_note):
    lines = [line for line in wilton_note.splitlines() if korean.has_hangul(line)]
    assert len(lines) > 20
    assert korean.index_texts(lines) == [korean.index_text(line) for line in lines]


def test_term_spans_point_at_the_words_as_written():
    text = "국제 홍보의 중요성을 특히 강조함"
    spans = korean.term_spans(text)
    assert [(text[s.start:s.end], s.term) for s in spans][:3] == [("국제", "국제"), ("홍보", "홍보"), ("중요", "중요")]


def test_the_analysis_version_names_the_model():
    assert "kiwipiepy 0.24.1" in korean.ANALYSIS_VERSION
