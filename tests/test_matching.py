"""The matcher: normalisation per script, language detection, robustness, and quality floors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.knowledge import load_knowledge
from bot.matching import Decision, Matcher, detect_language, normalise
from bot.matching.evaluation import evaluate_file
from bot.matching.index import Scored
from bot.matching.matcher import OUT_OF_SCOPE
from bot.matching.normalise import normalise_whole
from bot.matching.stopwords import FILLER, STOP
from bot.matching.terms import (
    STOP_BY_LANGUAGE,
    UkrainianStemmer,
    cyrillic_readings,
    is_filler,
    other_skeletons,
    script_of,
    stems,
)
from tests.conftest import KNOWLEDGE, ROOT

DEVSET = Path(__file__).parent / "data" / "devset.yaml"
VALSET = Path(__file__).parent / "data" / "matcher_val.yaml"
VALSET2 = Path(__file__).parent / "data" / "matcher_val2.yaml"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    knowledge, _ = load_knowledge(KNOWLEDGE)
    return Matcher(knowledge)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Bürgergeld", "Buergergeld"),
        ("Bürgergeld", "burgergeld"),
        ("Straße", "STRASSE"),
        ("كِيندَرغِيلْد", "كيندرغيلد"),  # Arabic diacritics
        ("الإقامة", "الاقامة"),  # hamza forms of alef
        ("تـــأشيرة", "تاشيره"),  # tatweel, hamza, ta marbuta
        ("کیندرگلد", "كيندرغلد"),  # Persian kaf/yeh/gaf vs Arabic
        ("ёлка", "елка"),
        ("кіндергельд", "киндергельд"),  # Ukrainian і
        ("İŞ ARIYORUM", "is ariyorum"),  # Turkish dotted/dotless i and cedillas
        ("hallooooo!!!", "halo"),  # repeated letters, punctuation
        ("Kita\u200b-Platz\u202e", "kita platz"),  # zero-width and RTL controls
        ("عالمدرسة", "المدرسة"),  # spoken "على ال" is cut like the article
        ("عالمية", "عالميه"),  # ... but not from a short word ("international")
        ("e\u0301cole naïve", "ecole naive"),  # composed or not, accents go (the non-ASCII path)
        ("Termin\tmorgen\nbitte_jetzt", "termin morgen bitte jetzt"),  # control characters, underscore
        ("کیتا\u200dکجاست", "کیتا کجاست"),  # a zero-width joiner pasted inside Persian text
    ],
)
def test_normalisation_makes_variants_equal(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_a_whole_answer_reads_as_the_same_words_as_its_words_one_by_one() -> None:
    """The index reads each answer text in one go; word by word (as it did before) gave the same words."""
    knowledge, _ = load_knowledge(KNOWLEDGE)
    answers = [text for entry in knowledge.entries.values() for text in entry.answer.values.values()]
    assert len(answers) > 300
    for text in answers:
        whole = set(normalise_whole(" ".join(text.split())).split())
        assert whole == {token for word in text.split() for token in normalise(word).split()}


@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=20))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_any_long_text_reads_as_the_same_words_whole_or_word_by_word(words: list[str]) -> None:
    text = " ".join(words)
    whole = set(normalise_whole(" ".join(text.split())).split())
    assert whole == {token for word in text.split() for token in normalise(word).split()}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("wo kann ich mich anmelden", "de"),
        ("how can i find a doctor", "en"),
        ("كيف بدي سجل عنواني", "ar"),
        ("چطور کیندرگلد بگیرم", "fa"),
        ("як отримати кіндергельд", "uk"),
        ("как получить пособие", "ru"),
        ("nasıl iş bulabilirim", "tr"),
        ("😀👍", None),
        # Russian and Ukrainian in Latin letters: not English because of "i"
        ("gde mne vzyat spravku i kak dolgo zhdat", "ru"),
        ("shcho meni robyty yakshcho i syn khvoryi", "uk"),
        ("i need to go to the doctor with my son", "en"),
        ("man mikham kar peyda konam ba in madrak", None),  # Finglish stays unguessed
        ("ana bdi a3mel anmeldung w ma ba3ref wen", None),  # so does Arabizi
    ],
)
def test_language_detection(text: str, language: str | None) -> None:
    assert detect_language(text) == language


def test_latin_letters_are_read_as_russian_or_ukrainian() -> None:
    assert cyrillic_readings("pomogite") == ("помогите",)
    assert cyrillic_readings("shcho") == ("що",)
    assert set(cyrillic_readings("hochu")) == {"хочу", "гочу"}  # Russian "х", Ukrainian "г"
    assert cyrillic_readings("3ndi") == ()  # Arabizi digits are not Cyrillic
    assert "убьет" in cyrillic_readings("ubyet")
    assert "семья" in cyrillic_readings("semya")
    assert is_filler("poluchit")
    assert not is_filler("kvartiru")


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("mne nuzhen perevodchik na termin", "interpreters"),  # was: bank account
        ("de shukaty likarya dlya dytyny", "find-doctor"),  # was: "did you mean"
        ("kak zapisat rebenka v shkolu", "school-enrollment"),
    ],
)
def test_russian_and_ukrainian_in_latin_letters_are_answered(matcher: Matcher, question: str, entry: str) -> None:
    result = matcher.match(question)
    assert result.decision is Decision.ANSWER
    assert result.candidates[0].entry_id == entry


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("kita platz", "daycare-place"),
        ("Kindergeld beantragen", "child-benefit"),
        ("як отримати кіндергельд", "child-benefit"),
        ("كيف بطلع كيندرغيلد", "child-benefit"),
        ("112", "emergency-numbers"),
    ],
)
def test_loanwords_and_transliterations(matcher: Matcher, question: str, entry: str) -> None:
    result = matcher.match(question)
    assert result.candidates[0].entry_id == entry


@pytest.mark.parametrize(
    "question",
    ["what's the weather tomorrow", "schreib mir ein gedicht", "напиши стих про кота", "كم الساعة في نيويورك"],
)
def test_out_of_scope_is_not_answered(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).decision is not Decision.ANSWER


def test_common_words_alone_never_decide(matcher: Matcher) -> None:
    for question in ("how do i get", "wie bekomme ich", "كيف بقدر", "як мені"):
        assert matcher.match(question).decision is not Decision.ANSWER, question


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=4096))
def test_any_text_gets_a_decision(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert result.decision in set(Decision)
    assert len(result.candidates) <= 3
    if result.decision is Decision.ANSWER:
        assert result.entry_id in matcher.index.questions


@pytest.mark.parametrize(
    "text", ["", "   ", "a" * 4096, "😀" * 1000, "\u200b\u200c\u200d\u202e\u2066", "\x00" * 50, "Kita\x00Platz"]
)
def test_bad_input_never_raises(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).decision in set(Decision)


def test_quality_floors_on_the_development_set(matcher: Matcher) -> None:
    """Floors a little under what the matcher reaches on the dev split (#12, third round: 97.1 % top-1,
    91.8 % answered, 0.7 % confidently wrong, 0.9 % out-of-scope answered; every language >= 93 % top-1 and
    >= 90 % answered)."""
    report = evaluate_file(matcher, DEVSET, baseline=True)
    total = report.total
    assert total.in_scope >= 750
    assert total.out_of_scope >= 100
    assert total.rate("top1") >= 0.96
    assert total.rate("answered_right") >= 0.90
    assert total.rate("confident_wrong") <= 0.012
    assert total.rate("out_of_scope_answered") <= 0.03
    for language, tally in report.ours.items():  # no language may be left behind
        assert tally.rate("top1") >= 0.92, language
        assert tally.rate("answered_right") >= 0.87, language
    assert total.rate("top1") > report.baseline_total.rate("top1")


def test_quality_floors_on_the_validation_split(matcher: Matcher) -> None:
    """The validation split (written without reading the FAQ; partly tuned on since) guards against tuning to
    the dev set: 96.7 % top-1, 89.0 % answered, 0.8 % wrong, 2.4 % out-of-scope answered at the third round."""
    report = evaluate_file(matcher, VALSET, baseline=False)
    total = report.total
    assert total.in_scope >= 350
    assert total.rate("top1") >= 0.95
    assert total.rate("answered_right") >= 0.86
    assert total.rate("confident_wrong") <= 0.015
    assert total.rate("out_of_scope_answered") <= 0.05


def test_quality_floors_on_the_second_validation_split(matcher: Matcher) -> None:
    """Paraphrases without official terms, long stories, dialects; never tuned on question by question (only
    its figures were read). Untouched: 89.5 % top-1, 74.4 % answered, 1.3 % wrong, 11.4 % out-of-scope answered;
    third round: 92.8 / 81.1 / 1.0 / 6.8 %. Out of scope stays weak: "ticket" for match and plane tickets."""
    total = evaluate_file(matcher, VALSET2, baseline=False).total
    assert total.in_scope >= 350
    assert total.rate("top1") >= 0.91
    assert total.rate("answered_right") >= 0.78
    assert total.rate("confident_wrong") <= 0.02
    assert total.rate("out_of_scope_answered") <= 0.1


def test_a_long_message_weighs_its_question_more(monkeypatch: pytest.MonkeyPatch) -> None:
    """The story names one topic, the closing question another: the question's words weigh more."""
    from bot.matching.index import IndexedText, MatchIndex

    texts = [
        IndexedText("school", "school registration papers"),
        IndexedText("school", "school teachers and classes"),
        IndexedText("doctor", "where do i find a doctor"),
        IndexedText("doctor", "doctor appointment"),
    ]
    story = (
        "My daughter needs school registration papers, the teachers said so, and her classes start soon. "
        "But first: she has fever. Where do I find a doctor?"
    )

    def doctor() -> float:
        return next(s.score for s in MatchIndex(texts).score(story, 2) if s.entry_id == "doctor")

    focused = doctor()
    monkeypatch.setattr(MatchIndex, "FOCUS", 1.0)
    assert focused > doctor() * 1.03


def test_a_long_message_leans_on_the_entry_vocabulary_not_one_short_example(monkeypatch: pytest.MonkeyPatch) -> None:
    """A story names a phone contract on the way and asks about debts: the short example "phone contract" is wholly
    inside the story, while the debts entry explains far more of it with no single example covered. With the
    weights every message had before session 42 (entry 0.5, wording 0.2) the short example won."""
    from bot.matching.index import IndexedText, MatchIndex

    texts = [
        IndexedText("contract", "phone contract"),
        IndexedText("contract", "cancel internet contract"),
        IndexedText("debts", "inkasso sends letters and reminders about unpaid invoices"),
        IndexedText("debts", "cannot pay bills, counselling for debtors"),
        IndexedText("debts", "credit instalments too high, worried about money"),
    ]
    story = (
        "We moved here last year with the children, I signed a phone contract and bought furniture on credit, "
        "now Inkasso letters come every week, I cannot pay the bills and I am worried about money, what now?"
    )

    def best() -> str:
        return MatchIndex(texts).score(story, 2)[0].entry_id

    assert best() == "debts"
    monkeypatch.setattr(MatchIndex, "LONG_ENTRY_WEIGHT", MatchIndex.ENTRY_WEIGHT)
    monkeypatch.setattr(MatchIndex, "LONG_WORDING", MatchIndex.WORDING)
    assert best() == "contract"


def test_an_answer_text_is_weak_evidence_for_its_entry() -> None:
    """A word that only an entry's answer uses still points to that entry, at a fraction of an example."""
    from bot.matching.index import IndexedText, MatchIndex

    texts = [
        IndexedText("rent", "help with my landlord"),
        IndexedText("rent", "You can ask the tenants' association about the deposit.", False, "en", examples=0.2),
        IndexedText("work", "how do i find a job"),
    ]
    index = MatchIndex(texts)
    ranked = index.score("deposit", 2)
    assert [s.entry_id for s in ranked] == ["rent"]
    assert ranked[0].coverage < 0.5  # an answer word counts less than one example would (0.5)


def test_an_example_naming_another_age_counts_less(monkeypatch: pytest.MonkeyPatch) -> None:
    """'mein sohn ist 16' is not the example for a 9-year-old."""
    from bot.matching.index import IndexedText, MatchIndex

    texts = [
        IndexedText("school-16-18", "mein sohn ist 16 welche schule", language="de"),
        IndexedText("school-16-18", "berufskolleg internationale klasse", language="de"),
        IndexedText("school", "welche schule fur mein kind", language="de"),
    ]

    def teen(question: str) -> float:
        return MatchIndex(texts).score(question, 1, "de")[0].score

    penalised, same_age = teen("mein sohn ist 9 welche schule"), teen("mein sohn ist 16 welche schule")
    monkeypatch.setattr(MatchIndex, "NUMBER_MISMATCH", 1.0)
    assert penalised < teen("mein sohn ist 9 welche schule") * 0.95
    assert same_age == teen("mein sohn ist 16 welche schule")


@pytest.mark.parametrize(
    ("words", "language"),
    [
        (("отримати", "отримують", "отримувати", "отримує"), "uk"),  # one verb, four endings
        (("джобцентр", "джобцентрі", "джобцентру"), "uk"),
        (("школа", "школі", "школу"), "uk"),
    ],
)
def test_ukrainian_word_forms_share_a_stem(words: tuple[str, ...], language: str) -> None:
    from bot.matching.terms import stem

    assert len({stem(normalise(w), language) for w in words}) == 1


@pytest.mark.parametrize(
    ("word", "base"),
    [("هالشهر", "شهر"), ("دفعلي", "دفع"), ("بيستحقه", "ستحق"), ("معو", None), ("فبالمدرسه", "مدرسه")],
)
def test_arabic_dialect_clitics_are_tried(word: str, base: str | None) -> None:
    from bot.matching.terms import clitic_variants

    variants = clitic_variants(normalise(word))
    assert (base in variants) if base else not variants


def test_confidence_is_calibrated_on_the_development_set(matcher: Matcher) -> None:
    """Of the questions the matcher is at least 95 % sure about, at least 97 % are right."""
    report = evaluate_file(matcher, DEVSET, baseline=False)
    sure = [b for b in report.calibration if b.low >= 0.95]
    unsure = [b for b in report.calibration if b.high <= 0.4]
    assert sum(b.n for b in sure) >= 500
    assert sum(b.right for b in sure) / sum(b.n for b in sure) >= 0.97
    assert sum(b.right for b in unsure) / sum(b.n for b in unsure) <= 0.3


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # #12 cause 1: one cross-reference example must not win ("Bürgergeld" in a housing-benefit example)
        ("як оформити бюргергельд", "citizens-income"),
        ("wer bekommt bürgergeld", "citizens-income"),
        ("appointment at the immigration office", "foreigners-office-appointment"),
        # cause 2: filler words ("wie bekomme ich einen", "wo gibt es") do not decide
        ("Wo gibt es einen Integrationskurs?", "integration-course"),
        ("wie bekomme ich einen kitaplatz", "daycare-place"),
        # cause 4: German loanwords in Persian/Arabic script, Arabic clitics
        ("اوسبیلدونگ چیست", "apprenticeship"),
        ("جوب سنتر کجاست", "jobcenter-offices"),
        ("کمک کرایه خانه وونگلد", "housing-benefit"),
    ],
)
def test_answers_that_used_to_go_wrong(matcher: Matcher, question: str, entry: str) -> None:
    result = matcher.match(question)
    assert result.decision is Decision.ANSWER, (question, result.candidates)
    assert result.entry_id == entry


@pytest.mark.parametrize(
    "question",
    [
        "بدي انتحر",  # "I want to kill myself": a typo-distance match to "internet" must never answer
        "بدي انتحار",
    ],
)
def test_thin_evidence_is_never_a_confident_answer(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).decision is not Decision.ANSWER


def test_town_names_with_arabic_clitics_are_not_topic_words(matcher: Matcher) -> None:
    for town in ("بهوكلهوفن", "بالهوكلهوفن", "وهوكلهوفن", "хюккельхофене", "Hückelhoven"):
        assert matcher.index.analyse(f"kindergeld {town}") == matcher.index.analyse("kindergeld"), town


def test_towns_in_other_scripts_and_word_forms_are_found_and_ordinary_words_are_not(matcher: Matcher) -> None:
    towns = ("у гайнсберзі", "в хайнсберге", "وبالهاینزبرگ", "لهاينسبرغ", "هاینزبرگم", "وويغبيرغ", "ваСЕНберг")
    for text in towns:
        assert matcher.index.is_ignored(normalise(text).split()[-1], frozenset()), text
    for word in ("kindergeld", "кіндергельд", "المدرسة", "مدرسه", "черзі", "вегетарианский", "بيرغر"):
        assert not matcher.index.is_ignored(normalise(word), frozenset()), word


def test_stems_spell_only_letters_of_their_word() -> None:
    """The town check (MatchIndex._is_town) skips the stems of a word whose skeleton holds no town key: it counts
    on every stemmer of Arabic and Cyrillic script cutting the word (Arabic may write "يست" as "است"), so a stem's
    skeleton is part of the word's. Ukrainian "-рзи" -> "-рг" is the one exception, and is looked at apart."""
    knowledge, _ = load_knowledge(KNOWLEDGE)
    texts = [q for entry in knowledge.entries.values() for qs in entry.questions.values() for q in qs]
    words = {w for text in texts for w in normalise(text).split() if script_of(w) in ("arabic", "cyrillic")}
    assert len(words) > 3_000
    for word in sorted(words):
        if word.endswith(UkrainianStemmer.LOCATIVE_RG):
            continue
        whole = other_skeletons(word)[0]
        for word_stem in stems(word):
            assert other_skeletons(word_stem)[0] in whole, (word, word_stem)
    locative = normalise("гайнсберзі")
    assert other_skeletons(stems(locative)[-1])[0] not in other_skeletons(locative)[0]


def test_a_typo_counts_less_than_the_word_itself(matcher: Matcher) -> None:
    """#12 cause 3: "geflüchtet" is close to "geflüchtete" (one entry uses it) but must not carry it."""
    exact = {w.word: w for w in matcher.index.analyse("integrationskurs")}["integrationskurs"]
    typo = {w.word: w for w in matcher.index.analyse("integrazionskurs")}["integrazionskurs"]
    assert exact.matches[0][1] == 1.0
    assert 0 < max(s for _, s in typo.matches) < 0.8


def test_unknown_expected_entries_are_skipped_not_counted(matcher: Matcher, tmp_path: Path) -> None:
    labelled = tmp_path / "labelled.yaml"
    labelled.write_text(
        "questions:\n"
        "  - {q: kindergeld beantragen, lang: de, expect: child-benefit}\n"
        "  - {q: zwangsheirat hilfe, lang: de, expect: topic-not-written-yet}\n"
        "  - {q: wetter morgen, lang: de, expect: null}\n",
        encoding="utf-8",
    )
    report = evaluate_file(matcher, labelled, baseline=False)
    assert report.skipped == {"topic-not-written-yet": 1}
    assert report.total.in_scope == 1
    assert report.total.out_of_scope == 1
    assert "skipped (unknown entry): 1" in report.format("dev")


def test_eval_reports_the_frozen_test_split_apart(kb_dir: Path, tmp_path: Path) -> None:
    test = tmp_path / "testset.yaml"
    test.write_text("questions:\n  - {q: kindergeld beantragen, lang: de, expect: child-benefit}\n", encoding="utf-8")
    quick = ["--lexical", "--no-classifier"]  # the report's shape: no embeddings needed in the subprocess
    command = [sys.executable, "-m", "bot", "eval", "--knowledge", str(kb_dir), "--no-baseline", *quick, "--test"]
    with_test = subprocess.run([*command, str(test)], capture_output=True, text=True, cwd=ROOT, timeout=120, check=True)
    assert "== dev" in with_test.stdout
    assert "== test (frozen)" in with_test.stdout
    test_part = with_test.stdout.split("== test (frozen)")[1]
    assert "ALL       1  100.0%  100.0%" in test_part
    without = subprocess.run(
        [*command, str(tmp_path / "missing.yaml")], capture_output=True, text=True, cwd=ROOT, timeout=120, check=True
    )
    assert "== test (frozen)" not in without.stdout


def test_eval_names_a_labelled_set_that_does_not_exist(tmp_path: Path) -> None:
    missing = str(tmp_path / "devsett.yaml")
    for arguments in ([missing], ["--crisis", missing]):
        command = [sys.executable, "-m", "bot", "eval", "--lexical", "--no-classifier", *arguments]
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert result.returncode == 2
        assert result.stderr.strip() == f"no such labelled set: {missing}"


def test_eval_reports_the_validation_split_apart_without_its_mistakes(kb_dir: Path, tmp_path: Path) -> None:
    val = tmp_path / "val.yaml"
    val.write_text("questions:\n  - {q: wetter in kabul morgen, lang: de, expect: child-benefit}\n", encoding="utf-8")
    quick = ["--lexical", "--no-classifier"]
    command = [sys.executable, "-m", "bot", "eval", "--knowledge", str(kb_dir), "--no-baseline", *quick, "--test", ""]
    val2 = tmp_path / "val2.yaml"
    val2.write_text(
        "questions:\n  - {q: kindergeld beantragen, lang: de, expect: child-benefit}\n"
        "  - {q: schnee in kabul morgen, lang: de, expect: child-benefit}\n",
        encoding="utf-8",
    )
    arguments = [*command, "--errors", "--validation", str(val), "--validation2", str(val2)]
    result = subprocess.run(arguments, capture_output=True, text=True, cwd=ROOT, timeout=120, check=True)
    val_part = result.stdout.split("== validation\n")[1]
    assert "ALL       1    0.0%" in val_part
    val2_part = result.stdout.split("== validation 2\n")[1]
    assert "ALL       2   50.0%" in val2_part
    assert "wetter in kabul" not in result.stdout  # figures only: nobody tunes on its mistakes
    assert "schnee in kabul" not in result.stdout


def test_confidence_fit_learns_the_direction_of_its_features() -> None:
    from bot.matching.confidence import FEATURES, fit

    high = tuple(0.9 if i == 0 else 0.0 for i in range(len(FEATURES)))
    low = tuple(0.1 if i == 0 else 0.0 for i in range(len(FEATURES)))
    samples = [(high, True)] * 30 + [(low, False)] * 30 + [(high, False)] * 3 + [(low, True)] * 3
    weights, _ = fit(samples)
    assert weights[0] > 1.0


def test_every_example_question_finds_its_own_entry(matcher: Matcher) -> None:
    misses = []
    answered_out_of_scope = []
    for entry_id, questions in matcher.index.questions.items():
        for question in questions:
            result = matcher.match(question)
            if entry_id == OUT_OF_SCOPE:  # a question of out_of_scope.yaml is never answered
                if result.decision is Decision.ANSWER:
                    answered_out_of_scope.append(question)
            elif not result.candidates or result.candidates[0].entry_id != entry_id:  # "who are you": stop words
                misses.append((entry_id, question))
    total = sum(len(q) for q in matcher.index.questions.values())
    assert len(misses) / total <= 0.02, misses[:20]
    assert answered_out_of_scope == []


def test_ask_command_json(kb_dir: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "ask",
            "--knowledge",
            str(kb_dir),
            "--json",
            "--lang",
            "de",
            "kindergeld beantragen",
            "wetter morgen",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    keys = {"question", "language", "crisis", "decision", "entry", "score", "candidates"}
    assert [set(line) for line in lines] == [keys] * 2
    assert lines[0]["crisis"] is None
    assert lines[0]["decision"] == "answer"
    assert lines[0]["entry"] == "child-benefit"
    assert lines[0]["language"] == "de"
    assert lines[1]["entry"] is None
    assert lines[1]["decision"] in ("fallback", "suggest")


def test_ask_shows_the_crisis_nets_before_the_answer(kb_dir: Path) -> None:
    """The bot sends the emergency numbers before anything else; `ask` said only what the matcher decided, so an
    editor trying a new phrase of crisis.yaml saw "suggest citizenship" for "ich will nicht mehr leben"."""
    command = [sys.executable, "-m", "bot", "ask", "--knowledge", str(kb_dir), "--lexical"]
    questions = ["ich will nicht mehr leben", "kindergeld beantragen"]
    text = subprocess.run([*command, *questions], capture_output=True, text=True, cwd=ROOT, timeout=60, check=True)
    lines = text.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("crisis   suicide via crisis.yaml:")
    assert lines[0].endswith("<- ich will nicht mehr leben")
    assert not lines[1].startswith("crisis")
    assert lines[1].endswith("<- ich will nicht mehr leben")
    assert lines[2].startswith("answer")
    assert "child-benefit" in lines[2]
    found = subprocess.run(
        [*command, "--json", *questions], capture_output=True, text=True, cwd=ROOT, timeout=60, check=True
    )
    crisis = [json.loads(line)["crisis"] for line in found.stdout.splitlines()]
    assert crisis[0]["kind"] == "suicide"
    assert crisis[0]["source"].startswith("crisis.yaml:")
    assert crisis[1] is None


def test_ask_reads_stdin(kb_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--knowledge", str(kb_dir)],
        input="kindergeld beantragen\n\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    assert result.stdout.startswith("answer")
    assert "child-benefit" in result.stdout


def test_scores_do_not_depend_on_the_hash_seed() -> None:
    """Python orders sets by a per-process hash seed; a sum over a set then differs in its last bits, and a tie
    between two examples went to a different one from run to run (4 of 2,262 questions changed scores)."""
    questions = [item["q"] for item in yaml.safe_load(DEVSET.read_text(encoding="utf-8"))["questions"]]
    outputs = []
    for seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-m", "bot", "ask", "--json", "--lexical"],
            input="\n".join(q.replace("\n", " ") for q in questions) + "\n",
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.append([json.loads(line)["candidates"] for line in result.stdout.splitlines()])
    assert len(outputs[0]) == len(questions)
    assert outputs[0] == outputs[1]


def test_every_listed_stop_and_filler_word_counts() -> None:
    """The lists were once normalised as one text, which normalise() cuts at 1,000 characters: the end of the
    Arabic, German and Persian lists was silently lost."""
    for language, words in STOP.items():
        listed = {token for word in words.split() for token in normalise(word).split()}
        assert listed <= STOP_BY_LANGUAGE[language], language
    assert {normalise(word) for word in ("damit", "deshalb", "vielleicht")} <= STOP_BY_LANGUAGE["de"]
    assert {normalise(word) for word in ("wallah", "3ndi")} <= STOP_BY_LANGUAGE["ar"]
    for words in FILLER.values():
        assert all(is_filler(normalise(word).split()[0]) for word in words.split())


def test_repeated_digits_are_kept() -> None:
    """Letters typed twice are one letter ("hallooo"); digits are not: "112" is no child's age "12"."""
    assert normalise("112 116117 110") == "112 116117 110"
    assert normalise("۱۱۲") == "112"


def test_numbers_alone_are_answered_only_when_they_name_a_topic(matcher: Matcher) -> None:
    """A sum, an age or a date alone is no FAQ question, however alike an example naming the same numbers is;
    a number the FAQ asks about on its own (the on-call doctors' 116117) is."""
    for question in ("was ist 15 mal 17", "17", "2023 2024", "ich bin 16 17"):
        assert matcher.match(question).decision is not Decision.ANSWER, question
    result = matcher.match("was ist 116117")
    assert result.decision is Decision.ANSWER
    assert result.candidates[0].entry_id == "find-doctor"


def test_two_words_are_joined_only_when_the_index_reads_the_whole(matcher: Matcher) -> None:
    """"job center" is one known compound; but a stem that only starts the first word ("سالشه" in
    "سالشهتنها") must not swallow the second word."""
    words = [w.word for w in matcher.index.analyse("برادرم ۱۷ سالشه تنها آمده آلمان", "fa")]
    assert "سالشه" in words or any(w.startswith("سالش") and len(w) <= 5 for w in words), words
    assert not any(len(w) > 6 and w.startswith("سالشه") for w in words), words
    assert "jobcenter" in [w.word for w in matcher.index.analyse("wo ist das job center", "de")]


def test_two_known_words_stay_apart_when_no_example_question_has_their_compound(matcher: Matcher) -> None:
    """An answer text writes "Bürgergeldantrag", no example question does: joined, "bürgergeld antrag" lost
    the examples that have both words ("bürgergeld antrag stellen") and was not answered."""
    assert not any(matcher.index.postings.get(t) for t in matcher.index._known("burgergeldantrag"))
    assert [w.word for w in matcher.index.analyse("bürgergeld antrag", "de")] == ["burgergeld", "antrag"]
    result = matcher.match("bürgergeld antrag")
    assert result.decision is Decision.ANSWER
    assert result.entry_id == "citizens-income"


def test_spoken_forms_of_what_and_to_be_are_stop_words() -> None:
    assert {normalise(w) for w in ("чё", "чо", "ща")} <= STOP_BY_LANGUAGE["ru"]
    assert {normalise(w) for w in ("هستی", "هستید")} <= STOP_BY_LANGUAGE["fa"]


def test_a_rival_vocabulary_is_waived_only_for_a_clear_and_confident_lead(matcher: Matcher) -> None:
    """The best entry's own words explain slightly less than a rival's: a close race is not answered, but a lead
    of 0.1 score that the calibrated confidence backs is (on 2026-12-01's choose sets 26 right answers, none wrong)."""
    t = matcher.thresholds
    best = Scored("housing-search", 0.75, coverage=0.7, phrase=0.9, evidence=0.7)
    rival = Scored("housing-benefit", 0.5, coverage=0.72, phrase=0.5, evidence=0.6)
    assert t.coverage_waiver_lead <= 0.25
    assert matcher.decide([best, rival], sure=t.lead_confidence) is Decision.ANSWER
    assert matcher.decide([best, rival], sure=t.lead_confidence - 0.01) is not Decision.ANSWER
    close = Scored("housing-benefit", 0.75 - t.coverage_waiver_lead / 2, coverage=0.72, phrase=0.5, evidence=0.6)
    assert matcher.decide([best, close], sure=1.0) is not Decision.ANSWER
    behind = Scored("housing-benefit", 0.5, coverage=0.68, phrase=0.5, evidence=0.6)
    assert matcher.decide([best, behind], sure=0.0) is Decision.ANSWER  # its own words lead: no confidence needed


def test_to_fetch_is_a_filler_word_in_german(matcher: Matcher) -> None:
    """"holen" is how family reunification is asked ("meine Frau nach Deutschland holen"), but also how anything
    is fetched: at full weight it answered "wo kann ich meine Aufenthaltserlaubnis holen" with family reunification."""
    assert matcher.match("wo kann ich meine aufenthaltserlaubnis holen").entry_id == "residence-permit"
    assert matcher.match("fahrkarte wo holen").entry_id != "family-reunification"
    assert matcher.match("wie kann ich meine frau nach deutschland holen").entry_id == "family-reunification"
