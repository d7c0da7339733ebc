from projects.parsing.finnish import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    Term,
    clean,
    fold,
    lemma_prefixes,
    lemmas,
    lemmas_and_parts,
    lemmas_and_parts_of,
    name_key,
    parse_query,
    words,
)


def test_clean_drops_nul_bidi_marks_zero_width_and_lone_surrogates():
    assert clean("työ\x00\u200f\u202etä\u200b\ud800 \t\n hanke") == "työtä hanke"


def test_clean_unifies_compatibility_forms_and_keeps_emoji():
    assert clean("ｔｙöｔä 🙂") == "työtä 🙂"


def test_fold_removes_diacritics_as_typed_without_finnish_keys():
    assert fold("Työllistyminen Åland") == "tyollistyminen aland"


def test_words_are_lower_case_runs_of_letters_and_digits():
    assert words("S21114: Kummin kanssa työkokeiluun (KAKE-hanke)") == [
        "s21114",
        "kummin",
        "kanssa",
        "työkokeiluun",
        "kake",
        "hanke",
    ]


def test_a_minen_noun_and_its_inflections_share_the_verb_as_lemma():
    assert lemmas("työllistyminen") == lemmas("työllistymisen") == {"työllistyä"}


def test_a_compound_gives_its_lemma_and_the_lemmas_of_its_parts():
    assert {"työllistymispalvelu", "työllistyä", "palvelu"} <= lemmas_and_parts(
        "työllistymispalvelut"
    )
    assert "maahanmuuttaja" in lemmas_and_parts("maahanmuuttajataustaisten")


def test_function_words_and_unknown_words_give_no_lemmas():
    assert lemmas("ja") == lemmas("ei") == lemmas("omnia") == set()


def test_lemmas_of_a_text_are_distinct():
    assert lemmas_and_parts_of("hankkeen hankkeet hankkeessa") == {"hanke"}


def test_lemma_prefix_is_what_a_word_shares_with_its_lemma():
    assert lemma_prefixes("työllistyminen") == {"työllisty"}
    assert lemma_prefixes("työ") == set()


def test_name_key_compares_names_by_their_folded_words():
    assert name_key("Väylä  työhön!") == name_key("vayla tyohon") == "vayla tyohon"


def test_words_must_all_match_and_each_is_its_own_clause():
    query = parse_query("maahanmuuttaja työllistyminen")
    assert query.clauses == ((Term(("maahanmuuttaja",)),), (Term(("työllistyminen",)),))


def test_quoted_words_are_a_phrase_with_any_kind_of_quotes():
    assert parse_query('"Hyvä alku"').terms == [Term(("hyvä", "alku"))]
    assert parse_query("”Hyvä alku”").terms == [Term(("hyvä", "alku"))]
    assert parse_query('"hyvä alku').terms == [Term(("hyvä", "alku"))]


def test_a_hyphenated_word_is_a_phrase_of_its_parts():
    assert parse_query("ELY-keskus").terms == [Term(("ely", "keskus"))]


def test_a_minus_excludes_a_word_or_a_phrase():
    query = parse_query('maahanmuuttaja -hyvä -"paras alku"')
    assert [str(term) for term in query.terms] == ["maahanmuuttaja", "-hyvä", '-"paras alku"']
    assert [term.excluded for term in query.terms] == [False, True, True]


def test_or_joins_the_words_on_either_side_into_one_clause():
    query = parse_query("kumina OR omnia työ")
    assert query.clauses == ((Term(("kumina",)), Term(("omnia",))), (Term(("työ",)),))
    assert str(query) == "kumina or omnia työ"


def test_or_at_the_edges_and_stray_symbols_are_ignored():
    assert str(parse_query("or ' & | ! :* ( ) <-> hanke or")) == "hanke"


def test_exclusions_alone_are_nothing_to_search_for():
    assert not parse_query("-hanke -työ")
    assert not parse_query("🙂 ¡¿ ---")
    assert parse_query("hanke -työ")


def test_a_ten_kilobyte_query_is_cut_and_marked_shortened():
    query = parse_query("työllistyminen " * 700)
    assert query.shortened
    assert len(query.terms) == MAX_TERMS
    assert len(str(query)) <= MAX_QUERY_LENGTH


def test_a_short_query_is_not_marked_shortened():
    assert not parse_query("hanke").shortened


def test_replacing_a_word_keeps_phrases_and_exclusions():
    query = parse_query('tyollistyminen -hyvä "hyvä alku"')
    corrected = query.replace_words({"tyollistyminen": "työllistyminen"})
    assert str(corrected) == 'työllistyminen -hyvä "hyvä alku"'
