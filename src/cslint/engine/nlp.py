"""The spaCy pipeline cslint runs: blank English, sentences, lookup lemmas. Built once per run.

No trained model and no download: tokenisation comes from blank English (``spacy.blank("en")``), sentence
boundaries from the rule-based sentencizer's rule plus line breaks, and lemmas from the lookup
table that the ``spacy-lookups-data`` package ships; one component sets both in one pass.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy
from spacy.attrs import LEMMA, NORM, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

#: Chat messages and canned replies often end a sentence with a line break and no full stop
#: ("Dear Customer,\n\nThanks for ..."); line breaks therefore also start a sentence.
_SENTENCES_AND_LEMMAS = "cslint_sentences_and_lemmas"
#: Distinct token texts whose sentence-and-lemma facts are kept (~200 bytes each): a run's
#: frequent words fit; an export whose every turn holds new words (ids, references) would
#: otherwise keep growing them.
MAX_WORDS = 20_000


@functools.lru_cache(maxsize=1)
def _lemma_table():
    """The English lookup-lemma table: ``.get(word, default)``.

    Read straight from the ``spacy-lookups-data`` file as a plain dict (~10 ms) rather than
    through ``load_lookups``, which scans installed packages' entry points and hashes every
    key into a ``Table`` (~70 ms, on the start-up path of every run). The file and its
    entries are the same; a spacy-lookups-data that moved its file falls back to spaCy.
    """
    import srsly

    try:
        from importlib.resources import files

        data = files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz"
        if data.is_file():
            table = srsly.read_gzip_json(str(data))
            if isinstance(table, dict) and table:
                return table
    except (ImportError, OSError, ValueError, TypeError):
        pass
    from spacy.lookups import load_lookups

    return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")


class _SentencesAndLemmas:
    """Sentence starts and lower-cased lookup lemmas, in one pass over the doc's token ids.

    Sentences: spaCy's rule-based sentencizer (a sentence ends after a run of sentence-final
    punctuation), and a line break also starts one. So does a capitalised word after a bare
    link ("... here: https://t.co/x If that doesn't work, ...") or after a mixed-case word with
    a full stop that the tokenizer kept whole ("... our SaaS. To ensure ..."): otherwise two
    sentences are measured and matched as one. Lemmas: ``token.lemma_`` and ``token.norm_``
    become the lower-cased lookup lemma. spaCy's own lookup lemmatizer keys on the exact text,
    so "Went" and "went" would differ; matching rules are case-insensitive, so we look up the
    lower-cased form. ``NORM`` carries the same value so that a PhraseMatcher on ``NORM``
    matches phrases by lemma.

    These were three components (sentencizer, line breaks, lemmas), each walking the doc. All
    they read is a function of the token's text, so one walk over its text ids, with what each
    distinct text is worked out once, does the work of three; the results are written back in
    one ``from_array`` (a Python Token per token cost as much as tokenising, and setting
    ``token.is_sent_start`` checks the whole document each time: quadratic).
    """

    def __init__(self, lemmas: bool) -> None:
        from spacy.pipeline import Sentencizer

        self._ends_sentence = frozenset(Sentencizer.default_punct_chars)
        self._table = _lemma_table() if lemmas else None
        #: text id -> what the pass needs of that text (a run sees few distinct texts per
        #: doc); the pipeline's own, like its vocabulary.
        self._words: dict[int, _Word] = {}

    def _word(self, orth: int, doc: Doc) -> _Word:
        lexeme = doc.vocab[orth]
        text = lexeme.orth_
        lemma = 0
        if self._table is not None:
            lower = lexeme.lower_
            lemma = doc.vocab.strings.add(self._table.get(lower, lower))
        word = _Word(
            text in self._ends_sentence,
            lexeme.is_punct,
            lexeme.is_space,
            "\n" in text,
            lemma,
            lexeme.is_title,
            lexeme.like_url or _unsplit_stop(text),
        )
        if len(self._words) >= MAX_WORDS:
            self._words.clear()  # new vocabulary: start over rather than grow without end
        self._words[orth] = word
        return word

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        words = self._words
        starts = [-1] * len(doc)
        lemmas = []
        # The sentencizer's rule: after sentence-final punctuation, the next token that is
        # not punctuation starts a sentence (the first token always does).
        sentence_start = 0
        seen_end = False
        # The line-break rule: the first non-space token after a space holding "\n"; and a
        # capitalised word after a bare link or an unsplit "SaaS." (spaces in between allowed).
        after_break = False
        after_stop = False
        for i, orth in enumerate(doc.to_array(ORTH).tolist()):
            word = words.get(orth) or self._word(orth, doc)
            if seen_end and not word.is_punct and not word.ends_sentence:
                starts[sentence_start] = 1
                sentence_start = i
                seen_end = False
            elif word.ends_sentence:
                seen_end = True
            if word.is_space:
                after_break = word.breaks_line
            else:
                if after_break or (after_stop and word.is_title):
                    starts[i] = 1
                after_break = False
                after_stop = word.stops_before_capital
            lemmas.append(word.lemma)
        starts[sentence_start] = 1
        # One array filled column by column (numpy.stack costs ~10 us a doc in its Python
        # checks); the -1 of "not a start" wraps to uint64 as spaCy's own arrays hold it.
        rows = numpy.empty((len(starts), 1 if self._table is None else 3), dtype=numpy.uint64)
        rows[:, 0] = numpy.array(starts, dtype=numpy.int64)
        if self._table is None:
            doc.from_array([SENT_START], rows)  # type: ignore[arg-type]  # (stubs: thinc Ints2d)
            return doc
        rows[:, 1] = lemmas
        rows[:, 2] = rows[:, 1]
        doc.from_array([SENT_START, LEMMA, NORM], rows)  # type: ignore[arg-type]  # (stubs: thinc Ints2d)
        return doc


class _Word(NamedTuple):
    """What the sentence-and-lemma pass needs to know of one token text."""

    ends_sentence: bool
    is_punct: bool
    is_space: bool
    breaks_line: bool
    lemma: int
    is_title: bool
    #: A bare link, or a word and its full stop the tokenizer kept whole: a capitalised word
    #: after it starts a sentence.
    stops_before_capital: bool


def _unsplit_stop(text: str) -> bool:
    """Whether a token is a word and its full stop that the tokenizer left together: a capital
    before the stop and a lower-case letter in the word ("SaaS.", "PhD."), which is neither an
    initialism ("U.S.") nor an abbreviation spaCy knows ("Dr.", "Inc.")."""
    return len(text) > 2 and text[-1] == "." and text[-2].isupper() and any(c.islower() for c in text)


@Language.factory(_SENTENCES_AND_LEMMAS)
def _make_sentences_and_lemmas(nlp: Language, name: str, lemmas: bool) -> _SentencesAndLemmas:
    return _SentencesAndLemmas(lemmas)


def build_pipeline(lemmas: bool = True) -> Language:
    """Blank English with sentence boundaries and (optionally) lemmas."""
    from spacy.lang.en import English

    # The same as spacy.blank("en"), without resolving and validating a config (~8 ms of a
    # single draft's start-up).
    nlp = English()
    nlp.add_pipe(_SENTENCES_AND_LEMMAS, config={"lemmas": lemmas})
    # Very long single turns (pasted logs, a 50 MB message) must not be refused.
    nlp.max_length = 10**9
    return nlp
