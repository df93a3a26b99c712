"""An in-memory index of the FAQ's example questions: IDF-weighted term coverage, per entry and per example.

Two views of the same evidence are combined:
- entry level: how much of the question's weight an entry's vocabulary explains, each word counted by how
  many of the entry's examples use it (saturating), so a word that one cross-reference example mentions
  ("what is the difference to Bürgergeld?" under housing benefit) counts only half;
- example level: the single best example question of the entry, by the share of the question it covers
  and the share of itself the question covers;
- for the few best entries, how close the best example's wording is (word order, word forms): it decides
  close calls between entries whose vocabulary explains a question equally well.
Words are stemmed (terms.py); filler words weigh little, stop words nothing; words unknown as written are
tried without Arabic clitics, by transliteration key (German loanwords in other scripts) and, at a
discount, as typos.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.matching.normalise import normalise, normalise_whole
from bot.matching.terms import (
    FILLER_FACTOR,
    MIN_SKELETON,
    STOP_WORDS,
    UkrainianStemmer,
    clitic_variants,
    cyrillic_readings,
    is_filler,
    latin_skeleton,
    other_skeletons,
    reads_as,
    script_of,
    script_of_language,
    stem,
    stems,
    stop_words,
)

CLITIC_SIMILARITY = 0.95
MIN_TOWN_SKELETON = 5  # "Gangelt" is KNKLT; shorter keys would hide ordinary words
SKELETON_SIMILARITY = 0.85
TRANSLIT_SIMILARITY = 0.9  # Russian or Ukrainian written in Latin letters, read back into Cyrillic
PREFIX_SIMILARITY = 0.8
PREFIX_MIN = 5
FUZZY_DISCOUNT = 0.7  # a typo match is evidence, but weaker than the word itself
KEYWORD_EXAMPLES = 3.0  # a keyword or title word counts like this many example questions
SATURATION = 1.0  # tf / (tf + SATURATION): one example 0.5, three 0.75, nine 0.9


@dataclass(frozen=True)
class IndexedText:
    """One text that points to an entry: an example question, a keyword or a title."""

    entry_id: str
    text: str
    is_question: bool = True
    language: str | None = None
    examples: float = 0.0  # an answer text: how many example questions it counts as (0: not an answer)


@dataclass(frozen=True)
class Scored:
    entry_id: str
    score: float
    coverage: float
    phrase: float
    evidence: float = 0.0  # share of the question this entry explains with words it has, not typo matches


@dataclass(frozen=True)
class Ranking:
    """Entries best first, and what the question itself looked like (for the confidence)."""

    scored: list[Scored]
    words: int  # content words (not stop words, towns)
    unknown_share: float  # share of the question's weight that no FAQ word explains
    topical: bool = True  # False: only numbers that name no topic ("15 mal 17"), never answered directly


@dataclass(frozen=True)
class QueryWord:
    word: str
    weight: float
    matches: tuple[tuple[str, float], ...]  # (term, similarity 0..1)
    factor: float = 1.0  # FILLER_FACTOR for a filler word


_Reading = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, str] | None]
_NOTHING = (0.0, 0.0)


def _any_of(parts: set[str]) -> re.Pattern[str]:
    """A pattern found in a text that contains any of `parts` (none: found nowhere)."""
    return re.compile("|".join(re.escape(part) for part in sorted(parts)) if parts else "(?!)")


def _fuzzy_cutoff(length: int) -> float:
    return 75.0 if length >= 9 else 80.0


class MatchIndex:
    """Built once per knowledge version; queries are read-only and safe to run concurrently."""

    ENTRY_WEIGHT = 0.5
    EXAMPLE_FLOOR = 2.0  # in an example, even a common word the question lacks is a real difference
    WORDING = 0.2  # share of the score for the wording of the entry's best example (order, word forms)
    WORDING_SHORTLIST = 4
    EVIDENCE = 3.5  # known-word weight a question needs for its full score: one common word is not enough
    MAX_WORDS = 40  # a question's first content words; a pasted letter beyond that only costs time
    UNSEEN_FACTOR = 0.6  # an unknown word weighs like a fairly rare one: it is why out-of-scope questions score low
    EXAMPLE_COVERAGE = 0.5  # of the example score; the rest is how much of the example the question covers
    LONG_MESSAGE = 12  # content words from which a message is a story around a question
    ANSWER_COMMON = 0.2  # share of entries whose answers may use a word for it to count (see __init__)
    NUMBER_MISMATCH = 0.8  # example score left when the question and the example name different numbers
    FOCUS = 1.6  # weight factor for the words of a long message's question sentence (usually its last one)
    # In a long message (LONG_MESSAGE content words or more) some short example of almost any entry has all its
    # words somewhere in the story, so the best example's share of itself (and the wording's set ratio) says
    # little; how much of the message the entry's vocabulary explains says more. Chosen on the matcher choose
    # sets (blind round 40: seven in ten stories of 40-120 words): questions of 35+ words answered right 596 ->
    # 631 of 788, wrong 3 -> 2; the held-out sets, only measured: 315 -> 328 of 385, all questions 5,039 ->
    # 5,061 of 5,636 answered right, wrong 18 -> 19, out of scope answered 23 of 858 as before
    LONG_ENTRY_WEIGHT = 0.7
    LONG_WORDING = 0.1

    def __init__(
        self, texts: Iterable[IndexedText], ignore_words: Iterable[str] = (), no_topic: Iterable[str] = ()
    ) -> None:
        """`no_topic`: ids whose examples are questions nobody answers (out of scope): a number they ask about
        alone ("15 mal 17") names no topic."""
        self.ignore = frozenset(
            variant for word in ignore_words for token in normalise(word).split() for variant in (token, *stems(token))
        )
        # town names as other scripts transliterate them ("هاینزبرگ", "гайнсберзі"): by consonant skeleton
        self._town_memo = lru_cache(maxsize=1 << 16)(self._is_town)
        self.ignore_keys = frozenset(
            key
            for token in self.ignore
            if script_of(token) == "latin"
            for key in (latin_skeleton(token),)
            if len(key) >= MIN_TOWN_SKELETON
        )
        # what a word must contain to be a town with clitics (see _is_town): a town key in its own skeleton, or a
        # town's written form (a leading "ا" aside: the Arabic stemmer writes "يستخدم" as "استخدم") in its letters
        # (each set as one regular expression: a search in C instead of a loop over some sixty words)
        self._town_keys = _any_of({key[1:] if key[0] == "F" else key for key in self.ignore_keys})
        self._town_words = _any_of({w.lstrip("ا") for w in self.ignore})
        entry_numbers: dict[str, int] = {}
        tf: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        asked: dict[str, set[int]] = defaultdict(set)  # entries whose questions, keywords or titles use a term
        example_terms: list[frozenset[str]] = []
        example_text: list[str] = []
        example_fillers: list[frozenset[str]] = []  # request verbs weigh little in an example too
        example_owner: list[int] = []
        questions: dict[str, list[str]] = defaultdict(list)
        skeletons: dict[str, set[str]] = defaultdict(set)
        latin_languages: dict[str, set[str | None]] = defaultdict(set)  # Latin terms -> languages using them
        answer_terms: dict[int, set[str]] = defaultdict(set)
        answer_share: dict[int, float] = {}
        seen_answers: dict[tuple[str, str | None], frozenset[str]] = {}  # copies share their answers' words
        # what a word of an example, keyword or title contributes, per (word, language, is a question): most words
        # recur in many examples; working each out once took a tenth off the build
        reading: dict[tuple[str, str | None, bool], _Reading | None] = {}
        for item in texts:
            if item.examples:  # an answer: its words, without stop words and towns, as weak evidence
                number = entry_numbers.setdefault(item.entry_id, len(entry_numbers))
                answer = (item.text, item.language)
                if answer not in seen_answers:
                    stop = stop_words(None)
                    # on one line: a line break is unprintable, and normalise() reads unprintable text character
                    # by character
                    tokens = set(normalise_whole(" ".join(item.text.split())).split())
                    seen_answers[answer] = frozenset(
                        stem(token, item.language)
                        for token in tokens
                        if token not in stop and token not in self.ignore and not token.isdigit()
                    )
                answer_terms[number].update(seen_answers[answer])
                answer_share[number] = item.examples
                continue
            norm = normalise(item.text)
            if not norm:
                continue
            number = entry_numbers.setdefault(item.entry_id, len(entry_numbers))
            terms: set[str] = set()
            fillers: set[str] = set()
            content: list[str] = []
            for token in norm.split():
                read = (token, item.language, item.is_question)
                if read not in reading:
                    reading[read] = self._read(token, item.language, item.is_question)
                found = reading[read]
                if found is None:
                    continue
                content.append(token)
                token_terms, token_fillers, latin, skeleton = found
                terms.update(token_terms)
                fillers.update(token_fillers)
                for term in latin:
                    latin_languages[term].add(item.language if item.is_question else None)
                if skeleton:
                    skeletons[skeleton[0]].add(skeleton[1])
            if not terms:
                continue
            for term in terms:
                tf[term][number] += 1.0 if item.is_question else KEYWORD_EXAMPLES
                asked[term].add(number)
            if item.is_question:
                questions[item.entry_id].append(norm)
                example_terms.append(frozenset(terms))
                example_fillers.append(frozenset(fillers))
                example_text.append(" ".join(content))
                example_owner.append(number)
        # answer words most entries' answers use (documents, appointment, office) tell topics apart no better than
        # stop words, and would make every query visit every entry
        answer_df: dict[str, int] = defaultdict(int)
        for words in answer_terms.values():
            for term in words:
                answer_df[term] += 1
        common = max(3, self.ANSWER_COMMON * len(entry_numbers))
        for number, words in answer_terms.items():
            for term in words:
                if answer_df[term] <= common:
                    tf[term][number] += answer_share[number]
        self.entry_ids: tuple[str, ...] = tuple(entry_numbers)
        self.questions: dict[str, tuple[str, ...]] = {e: tuple(dict.fromkeys(q)) for e, q in questions.items()}
        count = max(len(self.entry_ids), 1)
        # rarity from the questions, keywords and titles: answers mention many topics in passing
        self.idf: dict[str, float] = {t: math.log((count + 1) / (len(asked.get(t) or e) + 0.5)) for t, e in tf.items()}
        self.unseen_weight = math.log((count + 1) / 0.5) * self.UNSEEN_FACTOR
        self.entry_tf: dict[str, tuple[tuple[int, float], ...]] = {
            t: tuple((n, c / (c + SATURATION)) for n, c in e.items()) for t, e in tf.items()
        }
        postings: dict[str, list[int]] = defaultdict(list)
        for number, example in enumerate(example_terms):
            for term in example:
                postings[term].append(number)
        self.postings: dict[str, tuple[int, ...]] = {t: tuple(p) for t, p in postings.items()}
        self.example_owner = tuple(example_owner)
        self.example_text = tuple(example_text)
        # the numbers an example names ("ich bin 16"): a question about a 9-year-old is not that example
        self.example_numbers = tuple(frozenset(t for t in text.split() if t.isdigit()) for text in example_text)
        # numbers that are a topic's name: an example asks about them alone ("was ist 116117", "112 или 110")
        answerless = {entry_numbers[e] for e in no_topic if e in entry_numbers}
        self.topic_numbers = frozenset(
            number
            for text, numbers, owner in zip(example_text, self.example_numbers, example_owner, strict=True)
            if numbers and len(numbers) == len(text.split()) and owner not in answerless
            for number in numbers
        )
        self.example_weight = tuple(
            # summed in a fixed order: a set's order changes with the hash seed, and so would the last bits
            sum(max(self.idf[t], self.EXAMPLE_FLOOR) * (FILLER_FACTOR if t in fillers else 1) for t in sorted(example))
            or 1.0
            for example, fillers in zip(example_terms, example_fillers, strict=True)
        )
        self.skeletons = {key: tuple(sorted(terms)) for key, terms in skeletons.items()}
        # words only Russian and Ukrainian examples in Latin letters use: also read as Cyrillic when asked
        self.translit_terms = frozenset(t for t, used in latin_languages.items() if used <= {"ru", "uk"})
        buckets: dict[tuple[str, int], list[str]] = defaultdict(list)  # (first letter, length) -> terms
        for term in sorted(self.idf):  # sorted once: each bucket, and so each window below, in term order
            if len(term) >= 4:
                buckets[term[0], len(term)].append(term)
        # (first letter, length) -> the terms a typo of that length may be: two letters shorter to two longer. Put
        # together once here; gathering them per unknown word was half the time of the typo search
        self.typo_candidates: dict[tuple[str, int], tuple[str, ...]] = {}
        for first, length in {(first, length + shift) for first, length in buckets for shift in range(-2, 3)}:
            window = [t for size in range(length - 2, length + 3) for t in buckets.get((first, size), ())]
            if window:
                self.typo_candidates[first, length] = tuple(window)
        self._lookup = lru_cache(maxsize=50_000)(self._lookup_uncached)

    def _read(self, token: str, language: str | None, is_question: bool) -> _Reading | None:
        """What one word of an example question (or of a keyword or title, `is_question` False) adds to the index:
        its terms, the terms that are filler, the Latin terms (their languages are recorded), and the German word's
        key as other scripts transliterate it. None: a stop word, a town or another ignored word."""
        stop = stop_words(language if is_question else None)
        translit = is_question and script_of_language(language) == "cyrillic"
        if token in stop or token in self.ignore or self.is_town(token) or (translit and reads_as(token, stop)):
            return None
        latin = script_of(token) == "latin"
        if is_question:
            term = stem(token, language)
            token_terms: tuple[str, ...] = (term,)
            token_fillers: tuple[str, ...] = (term,) if is_filler(token) else ()
        else:  # keywords and titles: language unknown or mixed, so every stemmer of the script
            token_terms, token_fillers = stems(token), ()
        skeleton = None
        if language in (None, "de") and latin and not token.isdigit():
            key = latin_skeleton(token)  # German words, as other scripts transliterate them
            if len(key) >= MIN_SKELETON:
                skeleton = (key, stem(token, "de"))
        return token_terms, token_fillers, token_terms if latin else (), skeleton

    @property
    def size(self) -> int:
        return sum(len(q) for q in self.questions.values())

    def _known(self, token: str) -> tuple[str, ...]:
        return tuple(s for s in stems(token) if s in self.idf)

    def _lookup_uncached(self, token: str) -> tuple[tuple[str, float], ...]:
        """Terms that are this word (as stem), a clitic-free form, a transliteration or a likely misspelling."""
        known = self._known(token)
        script = script_of(token)
        if known:
            found = tuple((term, 1.0) for term in known)
            if all(t in self.translit_terms for t in known):  # "dytyny": a few Latin examples; "дитини": many
                found += tuple((t, TRANSLIT_SIMILARITY) for r in cyrillic_readings(token) for t in self._known(r))
            return found
        for variant in clitic_variants(token):
            known = self._known(variant)
            if known:
                return tuple((term, CLITIC_SIMILARITY) for term in known)
        if script in ("arabic", "cyrillic"):
            for variant in (token, *clitic_variants(token)):
                for key in other_skeletons(variant):
                    if len(key) >= MIN_SKELETON and key in self.skeletons:
                        return tuple((term, SKELETON_SIMILARITY) for term in self.skeletons[key])
        if script == "latin":
            for reading in cyrillic_readings(token):
                known = self._known(reading)
                if known:
                    return tuple((term, TRANSLIT_SIMILARITY) for term in known)
        if len(token) < 4:
            return ()
        shortest = max(PREFIX_MIN, (len(token) + 1) // 2)
        for end in range(len(token) - 1, shortest - 1, -1):  # agglutination: "basvurabilirim" -> "basvur"
            if token[:end] in self.idf:  # a stem that starts the word
                return ((token[:end], PREFIX_SIMILARITY),)
        found = self._similar(stems(token)[0])
        if not found and script == "latin":  # "nimeckogo": the reading lacks the soft sign of "німецького"
            for reading in cyrillic_readings(token)[:2]:
                found = self._similar(stems(reading)[0])
                if found:
                    break
        return found

    def _similar(self, probe: str) -> tuple[tuple[str, float], ...]:
        """Index terms spelled like `probe` (a typo), discounted by how alike they are."""
        candidates = self.typo_candidates.get((probe[0], len(probe)), ())
        found = process.extract(probe, candidates, scorer=fuzz.ratio, score_cutoff=_fuzzy_cutoff(len(probe)), limit=4)
        return tuple((term, FUZZY_DISCOUNT * score / 100.0) for term, score, _ in found)

    def is_ignored(self, token: str, stop: frozenset[str]) -> bool:
        """Town names (with clitics), and stop words: of the question's language, or of any language when
        the index does not know the word (English "is" is kept for Turkish "iş" only if Turkish uses it)."""
        if token in self.ignore or token in stop or any(s in self.ignore for s in stems(token)):
            return True
        if self._known(token):
            return False
        if token in STOP_WORDS:
            return True
        if reads_as(token, STOP_WORDS):  # "gde", "mne", "shcho"
            return True
        if token[0] in "وف" and token[1:] in STOP_WORDS:  # "وشو", "وما": a conjunction glued to a stop word
            return True
        return self.is_town(token)

    def is_town(self, token: str) -> bool:
        """A town with clitics ("بإركلنز") or as another script transliterates it ("هاینزبرگ", "гайнсберзі").
        Remembered per token (bounded): the build asks it for every word of every example."""
        return self._town_memo(token)

    def _is_town(self, token: str) -> bool:
        script = script_of(token)
        if script == "latin":  # Latin spellings are in `ignore` already, as written or stemmed
            return False
        # Most words are no town, and looking at every clitic-free form and stem of them was a sixth of the index
        # build. Each clitic-free form is a part of the word, and so is each stem in skeleton letters (the stemmers
        # cut; the Arabic one may write "يست" as "است", a vowel more), so its skeleton is a part of the word's: a
        # word whose skeleton holds no town key (nor one without its leading "F", which a "و" at the start gives)
        # and whose letters hold no town's written form cannot be a town. The one stem that spells other letters is
        # Ukrainian "-рзи" -> "-рг". tests/test_matching.py holds the stemmers to this.
        if self._town_keys.search(other_skeletons(token)[0]) or (
            script == "arabic" and self._town_words.search(token)  # only Arabic has clitics
        ):
            variants = clitic_variants(token)
            if any(v in self.ignore or stem(v, "ar") in self.ignore for v in variants):  # only the first stemmer
                return True
            forms: tuple[str, ...] = (token, *variants, *stems(token))
        elif token.endswith(UkrainianStemmer.LOCATIVE_RG):
            forms = stems(token)
        else:
            return False
        # a skeleton has at most one letter per character (and "و" at the start, none of its own, gives one):
        # a word shorter than a town's key cannot have it, and most clitic-free forms and stems are that short
        return any(
            key in self.ignore_keys for v in forms if len(v) >= MIN_TOWN_SKELETON for key in other_skeletons(v)
        )

    def analyse(self, text: str, language: str | None = None) -> list[QueryWord]:
        """The question's content words with their weights and the index terms they match."""
        stop = stop_words(language)
        words = [t for t in dict.fromkeys(normalise(text).split()) if not self.is_ignored(t, stop)]
        if script_of_language(language) == "cyrillic":  # Russian in Latin letters: "mne nuzhen termin"
            words = [t for t in words if not reads_as(t, stop)]
        focus = _focus_words(text) if len(words) >= self.LONG_MESSAGE else frozenset()
        if len(words) > self.MAX_WORDS:  # a pasted story: keep its question, then its first words
            kept = set([w for w in words if w in focus][: self.MAX_WORDS])
            kept.update([w for w in words if w not in kept][: self.MAX_WORDS - len(kept)])
            words = [w for w in words if w in kept]
        found = [self._lookup(w) for w in words]
        joined: list[tuple[str, tuple[tuple[str, float], ...]]] = []
        i = 0
        while i < len(words):  # "job center", "بورغر غيلد": halves of one compound the index knows
            if i + 1 < len(words):
                joint = words[i] + words[i + 1]
                if _weak(found[i]) or _weak(found[i + 1]):
                    both = self._lookup(joint)
                else:  # both halves known on their own: only the compound as written (cheap, no typo search),
                    # and only one that an example question has: "bürgergeld antrag" must not become a compound
                    # that only an answer text writes, which no example shares
                    both = tuple((term, 1.0) for term in self._known(joint) if self.postings.get(term))
                # the joint must be read as a whole: a stem that starts the first half ("سالشه" in "سالشهتنها")
                # would swallow the second word
                if both and both[0][1] >= SKELETON_SIMILARITY and any(len(t) > len(words[i]) for t, _ in both):
                    joined.append((words[i] + words[i + 1], both))
                    i += 2
                    continue
            joined.append((words[i], found[i]))
            i += 1
        result = []
        for word, matches in joined:
            factor = FILLER_FACTOR if is_filler(word) else 1.0
            if matches:  # the commonest reading: a stemmer's odd stem of a common word is not a rare word
                weight = min(self.idf[t] for t, _ in matches)
            else:  # an unknown word counts like a rare one; short particles and typos of them less
                weight = self.unseen_weight if len(word) > 2 or word.isdigit() else 1.0
            if focus and (word in focus or any(word.startswith(f) and word[len(f) :] in focus for f in focus)):
                factor *= self.FOCUS
            result.append(QueryWord(word, weight * factor, matches, factor))
        return result

    def score(self, text: str, limit: int = 5, language: str | None = None) -> list[Scored]:
        """Entries ranked by how well they and their best example explain the question, best first.

        `language` is the question's language as detected from its text (it selects the stop words)."""
        return self.rank(text, limit, language).scored

    def rank(self, text: str, limit: int = 5, language: str | None = None) -> Ranking:
        words = self.analyse(text, language)
        total = sum(w.weight for w in words)
        if total <= 0:
            return Ranking([], len(words), 1.0)
        unknown = sum(w.weight for w in words if not _solid(w.matches)) / total  # typo guesses are no knowledge
        query = " ".join(w.word for w in words)  # content words only: stop words make any two texts alike
        # a sum, an age or a date alone ("was ist 15 mal 17") is no question the FAQ answers, however alike
        # it is to an example that names the same numbers
        topical = any(not w.word.isdigit() or w.word in self.topic_numbers for w in words)
        return Ranking(self._ranked(words, total, limit, query), len(words), unknown, topical)

    def _ranked(self, words: list[QueryWord], total: float, limit: int, query: str = "") -> list[Scored]:
        # The hot loop of matching: a common word's postings hold hundreds of examples, so the work per example is
        # kept to dict operations done in C where possible (dict.fromkeys) and local names.
        entry_cover: dict[int, float] = defaultdict(float)
        entry_solid: dict[int, float] = defaultdict(float)  # the part explained by words, not by typo matches
        example_cover: dict[int, float] = {}
        example_hit: dict[int, float] = {}
        cover_get, hit_get = example_cover.get, example_hit.get
        postings, entry_tf, idf, floor = self.postings, self.entry_tf, self.idf, self.EXAMPLE_FLOOR
        for word in words:
            if not word.matches:
                continue
            share = word.weight / total
            solid = max(similarity for _, similarity in word.matches) >= PREFIX_SIMILARITY  # not a typo match
            best_entry: dict[int, float] = {}
            best_example: dict[int, tuple[float, float]] = {}
            for term, similarity in word.matches:
                for number, saturation in entry_tf[term]:
                    value = similarity * saturation
                    if value > best_entry.get(number, 0.0):
                        best_entry[number] = value
                examples = postings.get(term, ())
                found = (similarity, similarity * max(idf[term], floor) * word.factor)
                if not best_example:  # the usual case: the word's first reading with examples
                    best_example = dict.fromkeys(examples, found)
                    continue
                for example in examples:  # a later reading counts where it is more alike than an earlier one
                    if similarity > best_example.get(example, _NOTHING)[0]:
                        best_example[example] = found
            for number, value in best_entry.items():
                entry_cover[number] += share * value
                if solid:
                    entry_solid[number] += share * value
            for example, (similarity, hit) in best_example.items():
                example_cover[example] = cover_get(example, 0.0) + share * similarity
                example_hit[example] = hit_get(example, 0.0) + hit
        if not entry_cover:
            return []
        best: dict[int, float] = {}
        owner_example: dict[int, int] = {}
        a = self.EXAMPLE_COVERAGE
        b = 1 - a
        asked_numbers = frozenset(word.word for word in words if word.word.isdigit())
        weights, owners, named_numbers = self.example_weight, self.example_owner, self.example_numbers
        # both dicts got their examples in the same order
        for (example, covered), hit in zip(example_cover.items(), example_hit.values(), strict=True):
            itself = hit / weights[example]
            value = a * covered + b * (itself if itself < 1.0 else 1.0)
            if asked_numbers:
                named = named_numbers[example]
                if named and not asked_numbers & named:
                    value *= self.NUMBER_MISMATCH
            owner = owners[example]
            if value > best.get(owner, 0.0):
                best[owner] = value
                owner_example[owner] = example
        long = len(words) >= self.LONG_MESSAGE
        w = self.LONG_ENTRY_WEIGHT if long else self.ENTRY_WEIGHT
        evidence = sum(word.weight for word in words if word.matches)
        damp = min(1.0, evidence / self.EVIDENCE) ** 0.5 if self.EVIDENCE else 1.0
        scores = {n: damp * (w * covered + (1 - w) * best.get(n, 0.0)) for n, covered in entry_cover.items()}
        # sorted stably (ties keep their order), and only the leaders made into results: most entries are dropped
        leaders = sorted(scores, key=scores.__getitem__, reverse=True)[: max(limit, self.WORDING_SHORTLIST)]
        ranked = [
            Scored(self.entry_ids[n], scores[n], entry_cover[n], best.get(n, 0.0), entry_solid[n]) for n in leaders
        ]
        wording_share = self.LONG_WORDING if long else self.WORDING
        if wording_share and query:  # close calls: the example worded most like the question
            numbers = {self.entry_ids[n]: n for n in owner_example}
            head = ranked[: self.WORDING_SHORTLIST]
            for i, item in enumerate(head):
                example = owner_example.get(numbers.get(item.entry_id, -1), -1)
                wording = _wording(query, self.example_text[example]) if example >= 0 else 0.0
                score = (1 - wording_share) * item.score + wording_share * damp * wording
                head[i] = Scored(item.entry_id, score, item.coverage, item.phrase, item.evidence)
            ranked = sorted(head, key=lambda s: s.score, reverse=True) + ranked[self.WORDING_SHORTLIST :]
        return ranked[:limit]


def _wording(query: str, example: str) -> float:
    """Word order and forms (sort ratio), and half credit for containing the example's words whatever else the
    question says (set ratio): a long message around a short FAQ question is worded like it, not unlike it."""
    return (fuzz.token_sort_ratio(query, example) + fuzz.token_set_ratio(query, example)) / 200.0


_SENTENCE_END = re.compile(r"(?<=[.!?؟;])\s+|\n+")


def _focus_words(text: str) -> frozenset[str]:
    """The words of a long message's question: its last sentence with a question mark, else its last sentence.
    People tell their story first and ask at the end ("... we arrived in May. Can I get Kindergeld?")."""
    sentences = [s for s in _SENTENCE_END.split(text) if normalise(s)]
    if len(sentences) < 2:
        return frozenset()
    asked = [s for s in sentences if "?" in s or "؟" in s]
    return frozenset(normalise((asked or sentences)[-1]).split())


def _weak(matches: tuple[tuple[str, float], ...]) -> bool:
    return not matches or max(s for _, s in matches) < SKELETON_SIMILARITY


def _solid(matches: tuple[tuple[str, float], ...]) -> bool:
    return bool(matches) and max(s for _, s in matches) >= PREFIX_SIMILARITY
