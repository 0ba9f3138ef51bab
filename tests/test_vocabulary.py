from pathlib import Path

import pytest

from ingest.notes.errors import BuildRefused
from ingest.notes.vocabulary import load_vocabulary

from .conftest import NOTES

REQUIRED_THEMES = {
    "financing", "crowdfunding", "private-investment", "infrastructure-charges", "existing-cities",
    "new-cities", "citizen-governance", "international-promotion", "international-cooperation",
    "concept-and-standards", "transparency", "security", "sustainability", "market-and-industry", "strategy",
}


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary(NOTES / "themes.yml")


def test_covers_the_themes_of_the_first_source(vocabulary):
    assert REQUIRED_THEMES <= set(vocabulary.themes)


def test_every_theme_is_bilingual_and_described(vocabulary):
    for term in vocabulary.themes.values():
        assert term.en and term.ko and term.description, term.slug
        assert any("\uac00" <= ch <= "\ud7a3" for ch in term.ko), f"{term.slug}: ko label is not Korean"


def test_sub_themes_point_at_existing_parents(vocabulary):
    assert vocabulary.themes["crowdfunding"].parent == "financing"
    assert vocabulary.themes["citizen-governance"].parent == "governance"
    for term in vocabulary.themes.values():
        assert term.parent is None or term.parent in vocabulary.themes


def test_crosswalks_where_they_fit(vocabulary):
    assert vocabulary.themes["financing"].iso37120 == "Finance"
    assert vocabulary.themes["citizen-governance"].giffinger == "Smart Governance"
    assert vocabulary.themes["security"].service_field == "방범·방재"


def test_controlled_lists_beside_themes(vocabulary):
    assert set(vocabulary.kinds) == {"observation", "implication", "recommendation", "question"}
    assert {"europe", "korea", "global"} <= set(vocabulary.regions)
    assert {"citizens", "city-government", "private-sector"} <= set(vocabulary.stakeholders)
    assert "trip-report" in vocabulary.source_types


@pytest.mark.parametrize("typo, expected", [
    ("crowdfundng", "crowdfunding"),
    ("Crowdfunding", "crowdfunding"),
    ("크라우드펀딩", "crowdfunding"),
    ("existing cities", "existing-cities"),
])
def test_suggests_the_closest_theme(vocabulary, typo, expected):
    assert vocabulary.suggest("themes", typo) == expected


def test_duplicate_slug_and_unknown_parent_are_errors(tmp_path: Path):
    path = tmp_path / "themes.yml"
    path.write_text(
        "themes:\n"
        "  - {slug: a, en: A, ko: 가, description: x}\n"
        "  - {slug: a, en: A2, ko: 나, description: y}\n"
        "  - {slug: b, en: B, ko: 다, parent: nowhere}\n"
        "regions: [{slug: r, en: R, ko: 라}]\n"
        "stakeholders: [{slug: s, en: S, ko: 마}]\n"
        "kinds: [{slug: k, en: K, ko: 바}]\n"
        "source_types: [{slug: t, en: T, ko: 사}]\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildRefused) as refused:
        load_vocabulary(path, "themes.yml")
    messages = [str(p) for p in refused.value.problems]
    assert any(m.startswith("themes.yml:3:") and "duplicate themes slug 'a'" in m for m in messages)
    assert any(m.startswith("themes.yml:4:") and "unknown parent 'nowhere'" in m for m in messages)


@pytest.mark.parametrize("typed, expected", [
    ("클라우드 펀딩", "crowdfunding"),  # an alias, spelled with a space
    ("crowd-funding", "crowdfunding"),
    ("PPP", "private-investment"),
    ("재원", "financing"),
])
def test_suggests_the_concept_an_alias_names(vocabulary, typed, expected):
    assert vocabulary.suggest("themes", typed) == expected


def hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


@pytest.mark.parametrize("list_name", ["themes", "regions", "stakeholders"])
def test_every_concept_has_korean_and_english_aliases_and_keywords(vocabulary, list_name):
    for term in vocabulary.terms(list_name).values():
        for words in (term.aliases, term.keywords):
            assert any(map(hangul, words)) and not all(map(hangul, words)), (term.slug, words)


def test_keywords_point_to_concepts_without_naming_them(vocabulary):
    """The examples of the vocabulary's own comment: 클라우드 펀딩 names crowdfunding; 시카고 only
    points to North America, so it is a keyword, not an alias."""
    assert "클라우드 펀딩" in vocabulary.themes["crowdfunding"].aliases
    assert "시카고" in vocabulary.regions["north-america"].keywords
    assert "시카고" not in vocabulary.regions["north-america"].names


def write_vocabulary(tmp_path: Path, themes: str, regions: str = "[{slug: r, en: Region R, ko: 지역 가}]",
                     kinds: str = "[{slug: k, en: K, ko: 바}]") -> Path:
    """A small themes.yml with these themes (its region and stakeholder names are used by no theme)."""
    path = tmp_path / "themes.yml"
    path.write_text(f"themes:\n{themes}regions: {regions}\nstakeholders: [{{slug: s, en: Stakeholder S, ko: 관계자 가}}]\n"
                    f"kinds: {kinds}\nsource_types: [{{slug: t, en: T, ko: 사}}]\n", encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(BuildRefused) as refused:
        load_vocabulary(path, "themes.yml")
    return [str(p) for p in refused.value.problems]


def test_an_alias_on_two_concepts_is_an_error_naming_both_lines(tmp_path: Path):
    path = write_vocabulary(tmp_path, (
        "  - slug: financing\n    en: Financing\n    ko: 재원 조달\n    aliases: [재원, funding]\n"
        "  - slug: crowdfunding\n    en: Crowdfunding\n    ko: 크라우드펀딩\n    aliases: [클라우드 펀딩, Fund-ing]\n"))
    messages = problems_of(path)
    assert any(m.startswith("themes.yml:6:") and "'Fund-ing' names both theme 'financing' (line 2)"
               " and theme 'crowdfunding'" in m for m in messages), messages


def test_an_alias_equal_to_another_concepts_label_is_an_error_across_lists(tmp_path: Path):
    path = write_vocabulary(tmp_path, "  - {slug: europe-policy, en: EU policy, ko: 유럽 정책, aliases: [유럽]}\n",
                            regions="[{slug: europe, en: Europe, ko: 유럽}]")
    messages = problems_of(path)
    assert any("'유럽' names both theme 'europe-policy' (line 2) and region 'europe'" in m for m in messages)


def test_spelling_variants_of_a_concepts_own_names_are_not_clashes(vocabulary, tmp_path: Path):
    path = write_vocabulary(tmp_path, "  - {slug: c, en: Crowdfunding, ko: 크라우드펀딩, aliases: [크라우드 펀딩, crowd funding]}\n")
    assert load_vocabulary(path).themes["c"].aliases == ("크라우드 펀딩", "crowd funding")


@pytest.mark.parametrize("themes, kinds, expected", [
    ("  - {slug: a, en: A, ko: 가, aliases: 재원}\n", "[{slug: k, en: K, ko: 바}]",
     "themes.yml:2: error: aliases of 'a' must be a list of words"),
    ("  - {slug: a, en: A, ko: 가, keywords: [비용, '']}\n", "[{slug: k, en: K, ko: 바}]",
     "themes.yml:2: error: keywords of 'a' must be a list of words"),
    ("  - {slug: a, en: A, ko: 가}\n", "[{slug: k, en: K, ko: 바, aliases: [관찰함]}]",
     "themes.yml:5: error: kinds have no aliases"),
])
def test_malformed_aliases_and_keywords_are_errors(tmp_path: Path, themes, kinds, expected):
    messages = problems_of(write_vocabulary(tmp_path, themes, kinds=kinds))
    assert any(m.startswith(expected) for m in messages), messages


@pytest.mark.parametrize("slug", [r'"crowdfunding\n"', r'"crowdfunding\nfinancing"', r'"\ncrowdfunding"'])
def test_newline_in_a_tag_value_is_refused(tmp_path: Path, slug):
    """A slug is checked whole: '$' would let "crowdfunding\\n" through to URLs and download names."""
    path = write_vocabulary(tmp_path, f"  - {{slug: {slug}, en: Crowdfunding, ko: 크라우드펀딩}}\n")
    with pytest.raises(BuildRefused) as refused:
        load_vocabulary(path, "themes.yml")
    [problem] = refused.value.problems
    assert str(problem).startswith("themes.yml:2: error: slug ") and "must be lowercase words joined by '-'" in str(problem)


def test_a_cycle_of_parents_is_refused(tmp_path: Path):
    """findings_by_theme follows parents to any depth: a chain that comes back to itself is an error."""
    path = write_vocabulary(tmp_path,
                           "  - {slug: a, en: A, ko: 가, parent: c}\n"
                           "  - {slug: b, en: B, ko: 나, parent: a}\n"
                           "  - {slug: c, en: C, ko: 다, parent: b}\n"
                           "  - {slug: d, en: D, ko: 라, parent: d}\n"
                           "  - {slug: e, en: E, ko: 마, parent: a}\n")
    with pytest.raises(BuildRefused) as refused:
        load_vocabulary(path, "themes.yml")
    assert [str(p) for p in refused.value.problems] == [
        "themes.yml:2: error: themes are their own ancestors: a → c → b → a "
        "(a theme's parent must be a broader theme: remove one 'parent' of the cycle)",
        "themes.yml:5: error: themes are their own ancestors: d → d "
        "(a theme's parent must be a broader theme: remove one 'parent' of the cycle)",
    ]


def test_a_three_level_chain_of_parents_is_allowed(tmp_path: Path):
    path = write_vocabulary(tmp_path,
                           "  - {slug: a, en: A, ko: 가}\n"
                           "  - {slug: b, en: B, ko: 나, parent: a}\n"
                           "  - {slug: c, en: C, ko: 다, parent: b}\n")
    assert load_vocabulary(path, "themes.yml").themes["c"].parent == "b"
