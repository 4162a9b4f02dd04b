"""The spaCy pipeline cslint runs: blank English, sentences, lookup lemmas. Built once per run.

No trained model and no download: tokenisation comes from blank English (``spacy.blank("en")``), sentence
boundaries from the rule-based sentencizer plus line breaks, and lemmas from the lookup table
that the ``spacy-lookups-data`` package ships.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy
from spacy.attrs import IS_SPACE, IS_TITLE, LEMMA, LIKE_URL, LOWER, NORM, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

#: Chat messages and canned replies often end a sentence with a line break and no full stop
#: ("Dear Customer,\n\nThanks for ..."); line breaks therefore also start a sentence.
_SENTENCIZER = "sentencizer"
_LINEBREAKS = "cslint_linebreak_sentences"
_LEMMAS = "cslint_lower_lemmas"


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


class _LinebreakSentences:
    """A line break starts a sentence. So does a capitalised word after a bare link ("... here:
    https://t.co/x If that doesn't work, ...") or after a mixed-case word with a full stop that
    the tokenizer kept whole ("... our SaaS. To ensure ..."): otherwise two sentences are
    measured and matched as one. Read and written back as arrays: a Python Token per token
    cost as much as tokenising, and setting ``token.is_sent_start`` checks the whole document
    each time (quadratic)."""

    def __init__(self) -> None:
        #: A whitespace token's text id -> whether it holds a line break (a run sees few
        #: distinct whitespace tokens); the pipeline's own, like its vocabulary.
        self._breaks: dict[int, bool] = {}
        #: A token's text id -> whether it is a mixed-case word ending in a full stop.
        self._unsplit_stops: dict[int, bool] = {}

    def _unsplit_stop(self, orth: int, strings: Any) -> bool:
        """Whether a token is a word and its full stop that the tokenizer left together: a
        capital before the stop and a lower-case letter in the word ("SaaS.", "PhD."), which is
        neither an initialism ("U.S.") nor an abbreviation spaCy knows ("Dr.", "Inc.")."""
        known = self._unsplit_stops.get(orth)
        if known is None:
            text = strings[orth]
            known = len(text) > 2 and text[-1] == "." and text[-2].isupper() and any(c.islower() for c in text)
            if len(self._unsplit_stops) >= 100_000:
                self._unsplit_stops.clear()
            self._unsplit_stops[orth] = known
        return known

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) < 2:
            return doc
        rows = doc.to_array([ORTH, IS_SPACE, SENT_START, LIKE_URL, IS_TITLE])
        strings = doc.vocab.strings
        known = self._breaks
        changed = False
        after_break = False
        after_stop = False
        for i, (orth, space, start, url, title) in enumerate(rows.tolist()):
            if not space:
                if (after_break or (after_stop and title)) and start != 1:
                    rows[i, 2] = 1
                    changed = True
                after_break = False
                after_stop = bool(url) or self._unsplit_stop(orth, strings)
                continue
            breaks = known.get(orth)
            if breaks is None:
                breaks = "\n" in strings[orth]
                if len(known) >= 10_000:
                    known.clear()
                known[orth] = breaks
            after_break = breaks
        if changed:
            doc.from_array([SENT_START], rows[:, 2:3].copy())  # type: ignore[arg-type]  # (stubs: thinc Ints2d)
        return doc


@Language.factory(_LINEBREAKS)
def _make_linebreak_sentences(nlp: Language, name: str) -> _LinebreakSentences:
    return _LinebreakSentences()


class _LowerLemmas:
    """Sets ``token.lemma_`` and ``token.norm_`` to the lower-cased lookup lemma.

    spaCy's own lookup lemmatizer keys on the exact text, so "Went" and "went" would differ;
    matching rules are case-insensitive, so we look up the lower-cased form. ``NORM`` carries
    the same value so that a PhraseMatcher on ``NORM`` matches phrases by lemma. Read and
    written as arrays of string ids: a Python Token per token cost as much as tokenising.
    """

    def __init__(self) -> None:
        #: lower-case string id -> lemma string id
        self._ids: dict[int, int] = {}
        self._table = _lemma_table()

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        cache = self._ids
        table = self._table
        strings = doc.vocab.strings
        lemmas = []
        for lower_id in doc.to_array([LOWER]).tolist():
            lemma = cache.get(lower_id)
            if lemma is None:
                lower = strings[lower_id]
                lemma = strings.add(table.get(lower, lower))
                if len(cache) >= 100_000:
                    cache.clear()  # new vocabulary: start over rather than grow without end
                cache[lower_id] = lemma
            lemmas.append(lemma)
        column = numpy.array(lemmas, dtype=numpy.uint64)
        doc.from_array([LEMMA, NORM], numpy.stack([column, column], axis=1))  # type: ignore[arg-type]  # (stubs: thinc Ints2d)
        return doc


@Language.factory(_LEMMAS)
def _make_lower_lemmas(nlp: Language, name: str) -> _LowerLemmas:
    return _LowerLemmas()


def build_pipeline(lemmas: bool = True) -> Language:
    """Blank English with sentence boundaries and (optionally) lemmas."""
    from spacy.lang.en import English

    # The same as spacy.blank("en"), without resolving and validating a config (~8 ms of a
    # single draft's start-up).
    nlp = English()
    nlp.add_pipe(_SENTENCIZER)
    nlp.add_pipe(_LINEBREAKS)
    if lemmas:
        nlp.add_pipe(_LEMMAS)
    # Very long single turns (pasted logs, a 50 MB message) must not be refused.
    nlp.max_length = 10**9
    return nlp
