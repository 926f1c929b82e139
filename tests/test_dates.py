"""Tests for diplograph.extract.dates (issue 5), on sentences written for them."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diplograph.extract.dates import event_time, find_times, infer_published, is_since, load_lexicon
from diplograph.extract.model import TimeValue

# A Wednesday.
PUB = dt.date(2025, 4, 23)


def one(text: str, published: dt.date | None = PUB) -> TimeValue:
    """The single time expression of ``text``, with raw == the original slice."""
    found = find_times(text, published)
    assert len(found) == 1, [(t.raw, t.value) for t in found]
    tv = found[0]
    assert text[tv.start : tv.end] == tv.raw
    return tv


def value(text: str, published: dt.date | None = PUB) -> str | None:
    return one(text, published).value


# --- Gregorian months: both series, pairs, spelling variants -----------------

MONTHS = [
    ("يناير/كانون الثاني", 1), ("فبراير/شباط", 2), ("مارس/آذار", 3), ("أبريل/نيسان", 4), ("مايو/أيار", 5),
    ("يونيو/حزيران", 6), ("يوليو/تموز", 7), ("أغسطس/آب", 8), ("سبتمبر/أيلول", 9),
    ("أكتوبر/تشرين الأول", 10), ("نوفمبر/تشرين الثاني", 11), ("ديسمبر/كانون الأول", 12),
]


@pytest.mark.parametrize(("pair", "month"), MONTHS)
def test_month_pairs_and_each_series(pair: str, month: int) -> None:
    western, levantine = pair.split("/")
    for written in (pair, western, levantine, pair.replace("/", "/ "), pair.replace("/", " / ")):
        tv = one(f"وقع الطرفان الاتفاق في 9 {written} 2022 بحضور الوسطاء")
        assert tv.value == f"2022-{month:02d}-09", written
        assert tv.raw == f"9 {written} 2022"


@pytest.mark.parametrize(
    ("written", "month"),
    [("ابريل", 4), ("إبريل", 4), ("اغسطس", 8), ("كانون ثان", 1), ("كانون ثاني", 1), ("تشرين أول", 10),
     ("تشرين ثان", 11), ("كانون أول", 12), ("يونيه", 6), ("يوليه", 7), ("جانفي", 1)],
)
def test_month_spelling_variants(written: str, month: int) -> None:
    assert value(f"انعقدت القمة في 3 {written} 2021") == f"2021-{month:02d}-03"


def test_pair_with_slash_and_spaces_keeps_exact_raw() -> None:
    text = "وعقدت الجولة الأولى في 5 أبريل/ نيسان الجاري بحضور الوسيط"
    tv = one(text)
    assert tv.raw == "5 أبريل/ نيسان الجاري"
    assert tv.value == "2025-04-05"


def test_paired_month_and_year_without_day() -> None:
    assert value("وتوصل الطرفان إلى تهدئة ثانية في فبراير/ شباط 2024") == "2024-02"


def test_month_that_is_also_a_verb_needs_a_date_context() -> None:
    assert find_times("مارس الوزير ضغوطا على الحكومة", PUB) == []
    assert value("وزار العاصمة في مارس") == "2025-03"


# --- digits and years ----------------------------------------------------------


@pytest.mark.parametrize("day_year", [("12", "2024"), ("١٢", "٢٠٢٤"), ("۱۲", "۲۰۲۴")])
def test_latin_arabic_indic_and_persian_digits(day_year: tuple[str, str]) -> None:
    d, y = day_year
    text = f"وصل المبعوث إلى الرياض في {d} يونيو {y}"
    tv = one(text)
    assert tv.value == "2024-06-12"
    assert tv.raw == f"{d} يونيو {y}"


def test_year_after_aam() -> None:
    assert value("وقعت الدولتان معاهدة الصداقة عام 2009") == "2009"
    assert value("منذ توقيع الاتفاق في العام 1994") == "1994"


def test_last_year() -> None:
    assert value("وتراجعت المبادلات التجارية العام الماضي") == "2024"
    assert value("وتعتزم الحكومة إجراء الانتخابات العام المقبل") == "2026"


def test_since_date_is_found_but_marked() -> None:
    tv = one("ويستمر الحصار منذ 7 أكتوبر/ تشرين الأول 2023 دون انقطاع")
    assert tv.raw == "منذ 7 أكتوبر/ تشرين الأول 2023"
    assert tv.value == "2023-10-07"
    assert is_since(tv)


# --- relative to publication -----------------------------------------------------


def test_month_last_is_strictly_before_the_publication_month() -> None:
    # Published in April 2025: "last May" is May 2024, "last March" March 2025.
    assert value("وكان الرئيس قد زار المنطقة في مايو الماضي") == "2024-05"
    assert value("وكان الرئيس قد زار المنطقة في مارس الماضي") == "2025-03"
    # Same month name as publication: a year back (for this month the text says "الجاري").
    assert value("وزار الوزير بغداد في أبريل الماضي") == "2024-04"


def test_month_next_is_strictly_after_the_publication_month() -> None:
    assert value("ويزور الأمين العام المنطقة في يونيو المقبل") == "2025-06"
    assert value("ويعقد المؤتمر في فبراير القادم") == "2026-02"


def test_current_and_next_month() -> None:
    assert value("وتنتهي المهلة الشهر الجاري") == "2025-04"
    assert value("ويبدأ تطبيق القرار الشهر المقبل") == "2025-05"
    assert value("ووصلت الشحنة الشهر الماضي") == "2025-03"


def test_ordinal_day_of_current_month() -> None:
    assert value("وقد سقطت المدينة في الثامن من الشهر الجاري") == "2025-04-08"
    assert value("ودخلت الهدنة حيز التنفيذ في السابع والعشرين من يناير الماضي") == "2025-01-27"


@pytest.mark.parametrize(
    ("word", "expected"),
    [("أمس", "2025-04-22"), ("اليوم", "2025-04-23"), ("غدا", "2025-04-24"), ("غداً", "2025-04-24"),
     ("مساء أمس", "2025-04-22"), ("أول أمس", "2025-04-21"), ("بعد غد", "2025-04-25")],
)
def test_relative_days(word: str, expected: str) -> None:
    tv = one(f"وقال المتحدث {word} إن المحادثات مستمرة")
    assert tv.value == expected
    assert tv.raw == word


def test_today_as_a_noun_is_not_a_date() -> None:
    assert find_times("وفي اليوم التالي غادر الوفد", PUB) == []
    assert find_times("بمناسبة اليوم العالمي للاجئين", PUB) == []


def test_weekdays() -> None:
    # PUB is a Wednesday.
    assert value("والسبت، التقى الوزيران في روما") == "2025-04-19"
    assert value("ويصل الوفد الأربعاء إلى عمان") == "2025-04-23"  # up to publication: the same day
    assert value("ويصل الوفد الثلاثاء المقبل") == "2025-04-29"
    assert value("وتواصل الوزيران الخميس الماضي") == "2025-04-17"
    assert value("ومساء الثلاثاء، أصدرت الرئاسة بيانا") == "2025-04-22"
    assert value("وكان الرئيس قد استقبل، أمس الثلاثاء، السفير") == "2025-04-22"
    assert value("ويتوجه اليوم الأربعاء إلى أنقرة") == "2025-04-23"


def test_weeks() -> None:
    assert value("وعقدت لقاءات عديدة هذا الأسبوع") == "2025-04-21/2025-04-27"
    assert value("وجرت الاتصالات الأسبوع الماضي") == "2025-04-14/2025-04-20"
    assert value("ويستأنف الحوار الأسبوع المقبل") == "2025-04-28/2025-05-04"


# --- ranges and parts of months -------------------------------------------------------


def test_range_between_days() -> None:
    tv = one("ويقوم الرئيس بجولة في الخليج بين 13 و16 مايو/ أيار المقبل تشمل ثلاث دول")
    assert tv.raw == "بين 13 و16 مايو/ أيار المقبل"
    assert tv.value == "2025-05-13/2025-05-16"


def test_range_from_to() -> None:
    assert value("وتستمر المناورات من 28 أبريل إلى 3 مايو 2025") == "2025-04-28/2025-05-03"
    assert value("وتنعقد الدورة من 2 حتى 5 يونيو المقبل") == "2025-06-02/2025-06-05"
    assert value("وجرت الانتخابات 13-16 مارس 2022") == "2022-03-13/2022-03-16"


def test_range_of_month_parts() -> None:
    text = "وتجري الزيارة بين أواخر سبتمبر/أيلول ومطلع أكتوبر/تشرين الأول المقبلين"
    assert value(text) == "2025-09/2025-10"


def test_parts_of_months_keep_month_precision() -> None:
    assert value("ويعقد المنتدى مطلع يونيو المقبل") == "2025-06"
    assert value("وأبرمت الهدنة أواخر ديسمبر 2023") == "2023-12"
    assert value("وانطلقت المبادرة منتصف الشهر الماضي") == "2025-03"


def test_two_dates_in_a_list_stay_two() -> None:
    found = find_times("ونجحت الوساطة في هدنتين أواخر ديسمبر/ كانون أول 2023، ويناير/ كانون ثان 2025", PUB)
    assert [t.value for t in found] == ["2023-12", "2025-01"]
    assert found[1].raw == "يناير/ كانون ثان 2025"


# --- Hijri ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("في 15 رمضان 1446هـ", "2025-03-15"), ("الموافق 3 شعبان 1445 هـ", "2024-02-13"),
     ("في العاشر من ذي الحجة 1445هـ", "2024-06-16"), ("في 1 محرم 1446 هـ", "2024-07-07")],
)
def test_hijri_dates(text: str, expected: str) -> None:
    assert value(text, None) == expected


def test_hijri_month_and_year_are_intervals() -> None:
    assert value("خلال شهر محرم 1446 هـ", None) == "2024-07-07/2024-08-04"
    assert value("في عام 1445هـ", None) == "2023-07-19/2024-07-06"


def test_gregorian_and_hijri_equivalent_is_one_expression() -> None:
    text = "استقبل الرئيس، أمس الثلاثاء الموافق 3 شعبان 1445هـ، رئيس الوزراء"
    tv = one(text, dt.date(2024, 2, 14))
    assert tv.raw == "أمس الثلاثاء الموافق 3 شعبان 1445هـ"
    assert tv.value == "2024-02-13"
    # Without a publication date, the Hijri half still dates it.
    assert one(text, None).value == "2024-02-13"


# --- durations ---------------------------------------------------------------------------


def test_durations_from_the_sentence_date() -> None:
    text = "بدأ الوزير، اليوم الأربعاء، زيارة رسمية تستغرق ثلاثة أيام"
    found = find_times(text, PUB)
    assert found[-1].raw == "تستغرق ثلاثة أيام"
    assert found[-1].value == "2025-04-23/2025-04-25"
    text = "واختتمت اليوم الأربعاء محادثات استمرت يومين"
    assert find_times(text, PUB)[-1].value == "2025-04-22/2025-04-23"


# --- no publication date -----------------------------------------------------------------


def test_no_publication_date_keeps_relative_unresolved() -> None:
    for text, raw in [("وصل الوفد أمس الثلاثاء", "أمس الثلاثاء"), ("في مايو الماضي", "مايو الماضي"),
                      ("الشهر المقبل", "الشهر المقبل"), ("هذا الأسبوع", "هذا الأسبوع"),
                      ("بين 13 و16 مايو المقبل", "بين 13 و16 مايو المقبل")]:
        tv = one(text, None)
        assert tv.value is None
        assert tv.raw == raw
    assert value("في 12 مايو 2025", None) == "2025-05-12"


def test_window_offsets_are_into_the_whole_text() -> None:
    text = "تمهيد. ووصل الوفد في 4 مايو 2024 إلى القاهرة. ثم غادر في 6 مايو 2024."
    start = text.index("ووصل")
    end = text.index("ثم")
    found = find_times(text, None, start, end)
    assert [t.raw for t in found] == ["4 مايو 2024"]
    assert text[found[0].start : found[0].end] == "4 مايو 2024"


def test_diacritics_and_tatweel() -> None:
    tv = one("وَصَلَ الوفدُ أمْسِ إلى بيروت")
    assert tv.raw == "أمْسِ"
    assert tv.value == "2025-04-22"
    assert value("في 3 شعبـان 1445هـ", None) == "2024-02-13"


# --- event_time ------------------------------------------------------------------------------


def pick(text: str, trigger: str, published: dt.date | None = PUB, nth: int = 0) -> str | None:
    """Run find_times + event_time on a one-sentence text; the value chosen."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(trigger, at + 1)
    times = find_times(text, published)
    tv = event_time(times, (at, at + len(trigger)), (0, len(text)), text=text)
    return tv.value if tv is not None else None


def test_event_time_date_belongs_to_the_withdrawal_not_the_sentence() -> None:
    text = ("وهذه ثالث جولة بين الجانبين منذ انسحاب الحكومة السابقة خلال ولايتها الثانية، "
            "من اتفاق التجارة الحرة عام 2016، والذي نص على خفض الرسوم")
    assert pick(text, "انسحاب") == "2016"
    assert pick(text, "جولة") is None  # the 2016 date sits in the "منذ ..." phrase


def test_event_time_date_after_the_event_in_the_same_clause() -> None:
    text = "واحتضنت الدوحة أولى جلسات الحوار بين الحكومة والمعارضة في 6 أبريل/ نيسان الجاري، حيث لقيت ارتياحا واسعا"
    assert pick(text, "احتضنت") == "2025-04-06"
    assert pick(text, "لقيت") is None  # a clause of its own after "حيث"


def test_event_time_fronted_time_covers_the_sentence() -> None:
    text = "والسبت، استضافت العاصمة النمساوية الجولة الثالثة من المحادثات في مقر البعثة الدولية"
    assert pick(text, "استضافت") == "2025-04-19"
    assert pick(text, "مقر") == "2025-04-19"
    text = "ومساء الثلاثاء، أعلنت الرئاسة عزم الرئيس القيام بجولة بين 13 و16 مايو المقبل"
    assert pick(text, "أعلنت") == "2025-04-22"
    assert pick(text, "بجولة") == "2025-05-13/2025-05-16"


def test_event_time_parenthetical_time_reaches_through_haythu() -> None:
    text = "استقبل وزير الخارجية، أمس الثلاثاء، نظيره العماني بمقر الوزارة، حيث بحث الجانبان الملف اليمني"
    assert pick(text, "استقبل") == "2025-04-22"
    assert pick(text, "بحث") == "2025-04-22"


def test_event_time_not_through_a_cause() -> None:
    text = "استدعت الخارجية، أمس الثلاثاء، السفير احتجاجا على تصريحات الوزير المسيئة"
    assert pick(text, "استدعت") == "2025-04-22"
    assert pick(text, "تصريحات") is None


def test_event_time_since_is_never_chosen() -> None:
    text = "وتشن القوات منذ 7 أكتوبر/ تشرين الأول 2023 عمليات واسعة في الإقليم"
    assert pick(text, "تشن") is None
    assert pick(text, "عمليات") is None


def test_event_time_relative_clause_about_something_else() -> None:
    text = "وأكد الرئيس التزامه بالاتفاق الذي وقعه الطرفان في 2 مارس 2020"
    assert pick(text, "أكد") is None
    text = "وطالب باحترام اتفاق الهدنة الذي دخل حيز التنفيذ في الخامس من يناير الماضي"
    assert pick(text, "الهدنة") == "2025-01-05"
    assert pick(text, "طالب") is None


def test_event_time_coordinated_verb_shares_an_earlier_time() -> None:
    text = "الوزير زار أنقرة في فبراير الماضي، وأجرى مباحثات مع القيادة، ووزير الدفاع كان في أنقرة مؤخرا أيضا"
    assert pick(text, "زار") == "2025-02"
    assert pick(text, "وأجرى") == "2025-02"
    assert pick(text, "ووزير الدفاع") is None  # a new subject: not the February visit


def test_event_time_later_coordinated_verb_keeps_its_own_time() -> None:
    text = "وتؤدي مصر دور الوسيط بين الطرفين ونجحت في التوصل إلى تهدئة أواخر نوفمبر 2023"
    assert pick(text, "الوسيط") is None
    assert pick(text, "تهدئة") == "2023-11"


def test_event_time_reported_clause() -> None:
    text = "وقال المتحدث في مقابلة إن زيارة الوزير إلى عمان في مارس الماضي كانت ناجحة"
    assert pick(text, "قال") is None
    assert pick(text, "زيارة") == "2025-03"


def test_event_time_planned_event_after_min_al_muqarrar() -> None:
    text = "ومن المقرر أن يزور الرئيس الجزائر مطلع يونيو المقبل، لترؤس اللجنة المشتركة"
    assert pick(text, "ومن") == "2025-06"
    assert pick(text, "لترؤس") == "2025-06"


def test_event_time_dateline_is_not_an_event_date() -> None:
    text = "عمّان، 23 أبريل/نيسان 2025 – بحث وزير الخارجية مع نظيره الأردني سبل التعاون"
    assert pick(text, "بحث") is None


def test_event_time_lead_date_continues_with_the_two_sides() -> None:
    text = ("الرباط، 23 أبريل/نيسان 2025 – استقبل وزير الخارجية، أمس الثلاثاء، نظيره الموريتاني. "
            "وبحث الجانبان سبل تعزيز التعاون. وأشاد رئيس البرلمان بالعلاقات الثنائية.")
    times = find_times(text, PUB)
    second = text.index("وبحث")
    sent2 = (second, text.index(".", second) + 1)
    tv = event_time(times, (second, second + 4), sent2, text=text)
    assert tv is not None and tv.value == "2025-04-22"
    third = text.index("وأشاد")
    assert event_time(times, (third, third + 5), (third, len(text)), text=text) is None


def test_event_time_without_text_uses_position() -> None:
    text = "استضافت الدوحة الاجتماع في 3 مايو 2024 ثم في 9 مايو 2024"
    times = find_times(text, None)
    at = text.index("استضافت")
    tv = event_time(times, (at, at + 7), (0, len(text)))
    assert tv is not None and tv.value == "2024-05-03"
    assert event_time([], (0, 3), (0, len(text))) is None


def test_event_time_unresolved_time_is_still_chosen() -> None:
    text = "والسبت، استضافت العاصمة الجولة الثانية من المحادثات"
    times = find_times(text, None)
    at = text.index("استضافت")
    tv = event_time(times, (at, at + 7), (0, len(text)), text=text)
    assert tv is not None and tv.value is None and tv.raw == "السبت"


# --- infer_published ---------------------------------------------------------------------------


def test_infer_published_from_dateline() -> None:
    text = "عنوان الخبر\n\nالقاهرة، 14 مايو/أيار 2025 – استقبل الوزير أمس نظيره."
    date, basis = infer_published(text)
    assert date == dt.date(2025, 5, 14)
    assert basis is not None and "14 مايو/أيار 2025" in basis


def test_infer_published_from_a_date_line() -> None:
    text = "عنوان الخبر\nالأربعاء 14 مايو 2025\nاستقبل الوزير أمس نظيره."
    assert infer_published(text)[0] == dt.date(2025, 5, 14)
    text = "عنوان\n١٤/٥/٢٠٢٥\nنص الخبر."
    assert infer_published(text)[0] == dt.date(2025, 5, 14)


def test_infer_published_ignores_dates_inside_sentences_and_missing_dates() -> None:
    assert infer_published("عنوان\nوقعت الاتفاقية في 12 مايو 2020 بعد مفاوضات طويلة.") == (None, None)
    assert infer_published("عنوان\nنص بلا تاريخ.") == (None, None)
    assert infer_published("") == (None, None)


# --- lexicon --------------------------------------------------------------------------------------


def test_lexicon_loads_once_and_covers_the_calendars() -> None:
    lex = load_lexicon()
    assert load_lexicon() is lex
    assert set(lex.greg_months.values()) == set(range(1, 13))
    assert set(lex.hijri_months.values()) == set(range(1, 13))
    assert set(lex.weekdays.values()) == set(range(7))


# --- properties -----------------------------------------------------------------------------------

_ARABIC_BITS = st.sampled_from(
    ["مايو", "أيار", "/", " ", "،", "13", "٢٠٢٤", "۱۲", "الماضي", "المقبل", "بين", "و", "من", "إلى", "منذ",
     "أمس", "اليوم", "الثلاثاء", "هـ", "رمضان", "1445", "عام", "الشهر", "الأسبوع", "هذا", "-", "تستغرق",
     "يومين", "الموافق", "مطلع", "\u064e", "\u0640", "\n", "التاسع", "والعشرين"]
)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_find_times_never_crashes_on_unicode(text: str) -> None:
    for pub in (None, PUB):
        for tv in find_times(text, pub):
            assert 0 <= tv.start < tv.end <= len(text)
            assert text[tv.start : tv.end] == tv.raw


@settings(max_examples=300, deadline=None)
@given(st.lists(_ARABIC_BITS, max_size=25).map("".join), st.integers(0, 30), st.integers(0, 60))
def test_find_times_offsets_inside_window_and_non_overlapping(text: str, a: int, b: int) -> None:
    start, end = min(a, len(text)), min(max(a, b), len(text))
    found = find_times(text, PUB, start, end)
    last = start
    for tv in found:
        assert start <= tv.start < tv.end <= end
        assert tv.start >= last
        assert text[tv.start : tv.end] == tv.raw
        last = tv.end
        if tv.value is not None:
            for part in tv.value.split("/"):
                assert len(part) in (4, 7, 10)


@settings(max_examples=100, deadline=None)
@given(st.lists(_ARABIC_BITS, max_size=25).map("".join), st.integers(0, 40), st.integers(0, 40))
def test_event_time_returns_one_of_the_times(text: str, a: int, b: int) -> None:
    times = find_times(text, PUB)
    trig = (min(a, len(text)), min(a + 3, len(text)))
    tv = event_time(times, trig, (0, len(text)), text=text)
    assert tv is None or tv in times
    infer_published(text)


# --- the benchmark on the shared gold, when it is there --------------------------------------------

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.mark.skipif(not (SHARED / "eval" / "dev_gold.json").is_file(), reason="../shared/eval is absent")
def test_gold_time_accuracy_meets_the_goal() -> None:
    spec = importlib.util.spec_from_file_location(
        "time_accuracy", Path(__file__).resolve().parents[1] / "benchmarks" / "time_accuracy.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    right, total, _, _ = mod.run(SHARED)
    assert right / total >= 0.95
