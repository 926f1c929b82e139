"""Normalization and tokenization keep every offset pointing into the original."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from diplograph.extract.normalize import fold_char, normalize, normalize_with_map, strip_al, to_latin_digits
from diplograph.extract.tokenize import sentences_with_tokens, split_sentences, tokenize


def test_normalize_folds_what_carries_no_meaning() -> None:
    assert normalize("إِسْرَائِيل") == "اسرائيل"
    assert normalize("الدوحــــة") == "الدوحه"
    assert normalize("مصطفى") == "مصطفي"
    assert normalize("\u200fقطر\u200e") == "قطر"
    assert normalize("ﻻ") == "لا"  # presentation-form ligature
    assert normalize("﴾قطر﴿") == "﴾قطر﴿"  # ornate brackets NFKC keeps as they are
    assert to_latin_digits("١٢ نيسان ۲۰۲۵") == "12 نيسان 2025"
    assert strip_al("الدوحه") == "دوحه"


# Letters with what normalization drops or expands: harakat, tanwin, shadda,
# tatweel, bidi marks, Arabic-Indic digits, a lam-alef ligature, presentation forms.
_MARKED = st.text(alphabet=st.sampled_from(list("قطرمصرأإآىة ١٢٣") + ["\u064b", "\u064e", "\u0651", "\u0652",
                                                                     "\u0640", "\u200f", "\ufefb", "\ufe8d", "\ufd3e"]))


@given(st.one_of(st.text(), _MARKED))
def test_normalize_map_points_inside_the_text(text: str) -> None:
    norm, offsets = normalize_with_map(text)
    assert len(offsets) == len(norm) + 1
    assert all(0 <= o <= len(text) for o in offsets)
    assert offsets == sorted(offsets)
    # Character by character, the definition the fast paths must keep: each output
    # character points at the input character whose folded form it belongs to.
    assert offsets[:-1] == [i for i, ch in enumerate(text) for _ in fold_char(ch)]
    assert norm == "".join(fold_char(ch) for ch in text)


def test_sentences_split_on_arabic_punctuation_not_on_abbreviations() -> None:
    text = "قال د. أحمد إن الوضع صعب؟ نعم. ارتفع المؤشر 3.5 في المئة، وتراجع الدولار!\n– بند أول\nمساحة إعلانية\nالأخير"
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == [
        "قال د. أحمد إن الوضع صعب؟",
        "نعم.",
        "ارتفع المؤشر 3.5 في المئة، وتراجع الدولار!",
        "بند أول",
        "الأخير",
    ]


def test_closing_quote_stays_with_its_sentence() -> None:
    text = "وقال: «نرحب بالاتفاق.» وأضاف أن الجولة المقبلة قريبة."
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == ["وقال: «نرحب بالاتفاق.»", "وأضاف أن الجولة المقبلة قريبة."]


def test_tokens_split_punctuation_and_keep_clitics() -> None:
    toks = tokenize("التقى الوزير، أمس، «نظيره» في مايو/أيار والقاهرة.")
    assert [t.text for t in toks] == ["التقى", "الوزير", "،", "أمس", "،", "«", "نظيره", "»", "في", "مايو", "/", "أيار", "والقاهرة", "."]
    assert toks[0].norm == "التقي"


@given(st.text(alphabet=st.sampled_from(list("قطر ومصر، .؟!«»\n–١٢ ـَ")), max_size=200))
def test_tokens_and_sentences_are_exact_spans(text: str) -> None:
    for sent in sentences_with_tokens(text, max_tokens=20):
        assert text[sent.start : sent.end] == sent.text
        assert len(sent.tokens) <= 20
        for tok in sent.tokens:
            assert text[tok.start : tok.end] == tok.text
            assert tok.norm == normalize(tok.text)
            assert sent.start <= tok.start < tok.end <= sent.end
