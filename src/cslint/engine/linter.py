"""Run compiled rules over conversations and yield findings.

The pipeline and the matchers are built once; turns are streamed through ``nlp.pipe`` in
batches that span conversations. Turn-level detectors run per turn, conversation-level
detectors run once per conversation with every analysed turn in view.
"""

from __future__ import annotations

import bisect
import functools
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from cslint.advice import fix_for
from cslint.engine.cache import DEFAULT_ENTRIES, AnalysisCache
from cslint.engine.kinds import KINDS, CompileContext, ConversationCondition, Kind, uses_lemmas
from cslint.engine.matching import ANY_TURN, Reader, Selection, Trigger
from cslint.engine.views import ConversationView, TurnView
from cslint.errors import RuleError
from cslint.model import CONTEXT_META, Conversation, Finding, Severity
from cslint.ruleset.rule import Advice, Rule
from cslint.textsafety import clean_conversation
from cslint.vocabulary import Vocabulary

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: Keys of ``Linter.timings`` for the analysis shared by all rules.
TIME_PIPELINE = "(spaCy pipeline)"
TIME_MATCHERS = "(phrase and pattern matchers)"
#: What most rules ask of a turn first (which regular expressions occur, the content's bounds
#: and word count), worked out once and kept: timed on its own so that no rule is charged.
TIME_TURN_FACTS = "(turn facts shared by the rules)"

#: Turns analysed per ``nlp.pipe`` batch; conversations are never split across batches.
BATCH_TURNS = 512
#: Longer turns (a pasted log, a 50 MB "message") are linted on their first part only, with a
#: notice: no customer-service message is that long, and analysing it would cost minutes.
MAX_TURN_CHARS = 1_000_000
#: spaCy's tokenizer peels prefixes and suffixes off a token one character at a time, rescanning
#: the rest each time: a run of 4,000 punctuation characters ("!!!!", "#####", ":):):)") took
#: 1.5 s, a megabyte of them would take days. For analysis such a run gets a space every
#: PUNCT_RUN characters (one character for one: offsets do not move); findings still quote the
#: turn's own text.
PUNCT_RUN = 64
_LONG_PUNCT_RUN = re.compile(rf"[^\w\s]{{{PUNCT_RUN},}}")


def _break_punct_runs(text: str) -> str:
    def spaced(match: re.Match) -> str:
        run = match.group()
        return "".join(" " if i % PUNCT_RUN == PUNCT_RUN - 1 else ch for i, ch in enumerate(run))

    return _LONG_PUNCT_RUN.sub(spaced, text)


def reader_of(rule: Rule, spec: dict[str, Any]) -> Reader:
    """Which turns read what a detector of ``rule`` registers (see matching/readers.py): the
    rule's in-scope turns for a turn-level detector or exception (findings, conversation-level
    ones too, land only there); any turn for a kind that sees the whole conversation, unless
    it says of a nested list that it reads it on the rule's turns (``CompileContext.compile``)."""
    kind = KINDS.get(spec.get("kind", ""))
    if kind is None or kind.conversational or kind.contextual:
        return ANY_TURN
    return rule.id


@dataclass
class CompiledRule:
    rule: Rule
    detectors: list[Kind]
    exceptions: list[tuple[Kind, str]]
    severity: Severity
    #: What must occur in a turn for any detector of the rule to fire there; None when some
    #: detector may fire without (e.g. an absence).
    trigger: Trigger | None = None
    #: The advice of each detector (its own ``fix``/``better``, else the rule's), by index.
    advice: tuple[Advice, ...] = ()

    def __post_init__(self) -> None:
        found = [d.trigger for d in self.detectors]
        if found and all(t is not None for t in found):
            self.trigger = Trigger(
                frozenset().union(*(t.keys for t in found if t is not None)),
                frozenset().union(*(t.regex_ids for t in found if t is not None)),
            )

    @property
    def id(self) -> str:
        return self.rule.id

    def may_fire(self, conversation: ConversationView, in_scope: list[bool]) -> bool:
        """False when no detector of the rule can fire in the conversation: none of their
        phrases, patterns or regular expressions occurs in any turn the rule looks at. Most
        rules find nothing in most conversations; this answers that with one set test."""
        return self.trigger is None or not self.trigger.items.isdisjoint(conversation.present_in(in_scope))

    def applies_to(self, conversation: Conversation) -> list[bool]:
        """Which turns of ``conversation`` this rule looks at."""
        scope = self.rule.scope
        turns = conversation.turns
        if not scope.covers_channel(conversation.channel):
            return [False] * len(turns)
        flags = [(t.lintable or CONTEXT_META in t.meta) and t.speaker in scope.speakers for t in turns]
        if scope.position != "any" and any(flags):
            chosen = flags.index(True) if scope.position == "first" else len(flags) - 1 - flags[::-1].index(True)
            flags = [i == chosen for i in range(len(flags))]
        return flags


#: ``Linter.counts`` key: turns that English-only rules skipped as not English.
NOT_ENGLISH = "not English"
#: Conversation shapes whose plans a linter keeps (a shape: the channel and each turn's speaker
#: and whether it is linted; a run sees a few hundred at most).
MAX_PLANS = 4096


class _Plan(NamedTuple):
    """What the rules' scopes decide for conversations of one shape. Shared by every such
    conversation, so never changed once made."""

    #: per compiled rule, which turns it looks at (``CompiledRule.applies_to``)
    scopes: list[list[bool]]
    #: per turn, the matchers its analysis runs; None: no rule needs the turn analysed
    selections: list[Selection | None]
    #: per turn, the regular expressions its scan covers (``MatchingService.regex_selection``)
    regex_selections: list[frozenset[int] | None]
    #: indices of the compiled rules that look at some turn
    active: tuple[int, ...]
    #: per turn, whether a rule scoped to English looks at it (its skips are counted)
    english: tuple[bool, ...]


@dataclass
class Linter:
    rules: list[Rule]
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    #: The team's accepted/rejected terms (config ``vocabulary``), for detectors that use them.
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    errors: list[RuleError] = field(default_factory=list)
    #: How many distinct turn texts to keep analysed (0 disables the cache).
    cache_entries: int = DEFAULT_ENTRIES
    #: Account time per rule and per analysis step in ``timings`` (``--statistics``).
    profile: bool = False
    #: "auto": rules scoped to English skip turns that do not read as English (counted in
    #: ``counts[NOT_ENGLISH]``); "en": every turn is taken to be English (``--language en``).
    language: str = "auto"
    #: A team's model folder for the learned kinds (``--models``); None: built-in only.
    models: str | None = None

    def __post_init__(self) -> None:
        from cslint.engine.matching.service import MatchingService
        from cslint.engine.nlp import build_pipeline
        from cslint.learning.store import ModelStore

        needs_lemmas = any(uses_lemmas(spec) for rule in self.rules for spec in rule.detect + rule.unless)
        self.nlp = build_pipeline(lemmas=needs_lemmas)
        #: Every phrase list, token pattern and regular expression of the rules (this linter's own).
        self.matching = MatchingService(self.nlp)
        #: The models the learned kinds read, loaded on first use (this linter's own).
        self.model_store = ModelStore(self.models)
        self.compiled: list[CompiledRule] = []
        for rule in self.rules:
            try:
                self.compiled.append(self._compile(rule))
            except RuleError as exc:
                self.errors.append(exc)
        self.needs_all_turns = any(d.conversational or d.reads_other_turns for c in self.compiled for d in c.detectors)
        self.cache = AnalysisCache(self.cache_entries)
        #: One-line notices for the user (e.g. a turn too long to lint whole).
        self.notices: list[str] = []
        #: Seconds spent, with ``profile`` on: ``TIME_PIPELINE``, ``TIME_MATCHERS`` and each rule id.
        self.timings: defaultdict[str, float] = defaultdict(float)
        #: With ``profile`` on, the time spent making docs on demand (taken out of the rules').
        self._on_demand_time = 0.0
        #: Events the user is told about in the summary (``NOT_ENGLISH``: turns skipped).
        self.counts: Counter = Counter()
        self._english_rules = [
            i for i, c in enumerate(self.compiled) if c.rule.scope.language == "en" and self.language == "auto"
        ]
        #: conversation shape -> its plan (see ``_plan``)
        self._plans: dict[tuple, _Plan] = {}

    def _compile(self, rule: Rule) -> CompiledRule:
        def build(section: str, i: int, spec: dict[str, Any]) -> Kind:
            ctx = CompileContext(
                nlp=self.nlp,
                service=self.matching.for_reader(reader_of(rule, spec)),
                rule_turns_service=self.matching.for_reader(rule.id),
                rule_id=rule.id,
                kinds=KINDS,
                options=rule.options,
                vocabulary=self.vocabulary,
                models=self.model_store,
            )
            try:
                detector = KINDS[spec["kind"]](spec, ctx)
                detector.message = detector.filled_message()
                return detector
            except RuleError as exc:
                raise RuleError(
                    f"{section}[{i}]: {exc.message}", rule.path, rule.line_of(section, i, *exc.subpath)
                ) from None

        detectors = [build("detect", i, spec) for i, spec in enumerate(rule.detect)]
        exceptions = [(build("unless", i, spec), spec.get("within", "sentence")) for i, spec in enumerate(rule.unless)]
        severity = self.severity_overrides.get(rule.id, rule.severity)
        advice = tuple(rule.advice_for(i) for i in range(len(detectors)))
        return CompiledRule(rule, detectors, exceptions, severity, advice=advice)

    # -- running ---------------------------------------------------------------------------

    def preload(self) -> None:
        """Compile and read now everything a run otherwise compiles or reads on first use (RE2
        sets, word lists, models). Called before worker processes fork: they then share one
        copy of it, where each would otherwise build or read its own. A single process skips
        it, so that a draft never reads a list no rule of it asks for."""
        for compiled in self.compiled:
            for detector in compiled.detectors:
                detector.preload()
            for exception, _within in compiled.exceptions:
                exception.preload()
        self.matching.preload()

    def lint(self, conversations: Iterable[Conversation]) -> Iterator[tuple[Conversation, list[Finding]]]:
        """Yield each conversation with its findings, in input order."""
        batch: list[Conversation] = []
        size = 0
        for conversation in conversations:
            batch.append(conversation)
            size += len(conversation.turns)
            if size >= BATCH_TURNS:
                yield from self._lint_batch(batch)
                batch, size = [], 0
        if batch:
            yield from self._lint_batch(batch)

    def lint_one(self, conversation: Conversation) -> list[Finding]:
        return next(iter(self._lint_batch([conversation])))[1]

    def _lint_batch(self, batch: list[Conversation]) -> Iterator[tuple[Conversation, list[Finding]]]:
        # Readers already do this; a conversation built in code may still hold a lone
        # surrogate (e.g. from json.loads), which RE2, hashing and every output would reject.
        batch = [clean_conversation(c) for c in batch]
        plans = [self._plan(conv) for conv in batch]
        scopes = [plan.scopes for plan in plans]
        wanted: list[tuple[int, int]] = []
        for ci, plan in enumerate(plans):
            wanted.extend((ci, ti) for ti, selection in enumerate(plan.selections) if selection is not None)
        views: list[list[TurnView | None]] = [[None] * len(conv.turns) for conv in batch]
        # Analyse each distinct text once per set of matchers its turns need (see
        # matching/readers.py): cached from earlier batches, or piped now.
        analysed: dict[tuple[str, Selection], tuple] = {}
        missing: list[tuple[str, Selection]] = []
        for ci, ti in wanted:
            text = self._analysable(batch[ci], ti)
            entry = (text, plans[ci].selections[ti])
            if not entry[1]:
                continue  # nothing to match in it: analysed only if a kind reads its doc
            if entry in analysed and self.cache.entries > 0:
                self.cache.stats.lookups += 1
                self.cache.stats.hits += 1
                continue
            cached = self.cache.get(*entry)
            if cached is not None:
                analysed[entry] = cached
            else:
                analysed[entry] = ()
                missing.append(entry)
        if self.profile:
            self._analyse_timed(missing, analysed)
        else:
            texts = [text for text, _ in missing]
            for entry, doc in zip(missing, self.nlp.pipe(texts, batch_size=256)):
                analysed[entry] = (doc, self.matching.run(doc, entry[1]))
                self.cache.put(entry[0], analysed[entry], entry[1])
        for ci, ti in wanted:
            turn = batch[ci].turns[ti]
            text, selection = self._analysable(batch[ci], ti, note=False), plans[ci].selections[ti]
            regex_ids = plans[ci].regex_selections[ti]
            if selection:
                doc, matches = analysed[(text, selection)]
                views[ci][ti] = TurnView(ti, turn, doc, matches, self.matching, regex_ids)
            else:
                analyse = functools.partial(self._analyse_on_demand, text, selection)
                views[ci][ti] = TurnView(ti, turn, None, {}, self.matching, regex_ids, analyse=analyse)  # type: ignore[arg-type]  # (doc made on demand)
        for ci, conv in enumerate(batch):
            self._count_not_english(views[ci], plans[ci].english)
            findings: list[Finding] = []
            conversation_view = ConversationView(conv, views[ci])
            lintable = [t.lintable for t in conv.turns]
            if self.profile:
                self._time_turn_facts(views[ci])
            # A rule that looks at no turn of the conversation cannot find anything in it
            # (every hit lands on an in-scope turn): only the others run.
            for index in plans[ci].active:
                compiled, in_scope = self.compiled[index], scopes[ci][index]
                if self.profile:
                    started, on_demand = time.perf_counter(), self._on_demand_time
                    findings.extend(self._run_rule(compiled, conversation_view, in_scope, lintable))
                    # A doc made on demand while the rule ran is pipeline time, not the rule's.
                    spent = time.perf_counter() - started - (self._on_demand_time - on_demand)
                    self.timings[compiled.id] += spent
                else:
                    findings.extend(self._run_rule(compiled, conversation_view, in_scope, lintable))
            findings.sort(key=Finding.sort_key)
            yield conv, findings

    def _analyse_on_demand(self, text: str, selection: Selection) -> Doc:
        """The doc of a turn nothing is matched in, made the first time a kind reads it (the
        same pipeline, one text at a time; an empty selection matches nothing)."""
        started = time.perf_counter() if self.profile else 0.0
        cached = self.cache.get(text, selection)
        if cached is None:
            made = self.nlp(text)
            cached = (made, self.matching.run(made, selection))
            self.cache.put(text, cached, selection)
        if self.profile:
            elapsed = time.perf_counter() - started
            self.timings[TIME_PIPELINE] += elapsed
            self._on_demand_time += elapsed
        doc: Doc = cached[0]
        return doc

    def _time_turn_facts(self, views: list[TurnView | None]) -> None:
        """With ``profile`` on, work out the turn facts the rules share before any rule runs:
        otherwise the first rule to ask (alphabetically, apathy) is charged for every turn's
        regular-expression scan and content bounds, and ``--timings`` names it the slowest."""
        started = time.perf_counter()
        for view in views:
            if view is not None:
                view.present()
                if view.analysed:  # (a turn analysed on demand is charged when it is)
                    view.word_count()
        self.timings[TIME_TURN_FACTS] += time.perf_counter() - started

    def _count_not_english(self, views: list[TurnView | None], english: tuple[bool, ...]) -> None:
        """Count the turns that English-only rules would lint but skip as not English."""
        for view, flag in zip(views, english):
            if flag and view is not None and not view.is_english():
                self.counts[NOT_ENGLISH] += 1

    def _plan(self, conversation: Conversation) -> _Plan:
        """Which rules look at which turns of ``conversation``, and what each turn needs
        matched: the same for every conversation of the same shape (see ``_Plan``), so worked
        out once per shape rather than per conversation and rule."""
        turns = conversation.turns
        shape = (conversation.channel, tuple((t.lintable or CONTEXT_META in t.meta, t.speaker) for t in turns))
        plan = self._plans.get(shape)
        if plan is None:
            scopes = [c.applies_to(conversation) for c in self.compiled]
            selections: list[Selection | None] = []
            regex_selections: list[frozenset[int] | None] = []
            for ti in range(len(turns)):
                readers = frozenset(c.id for c, flags in zip(self.compiled, scopes) if flags[ti])
                needed = self.needs_all_turns or bool(readers)
                selections.append(self.matching.selection(readers) if needed else None)
                regex_selections.append(self.matching.regex_selection(readers))
            active = tuple(i for i, flags in enumerate(scopes) if any(flags))
            english = tuple(any(scopes[i][ti] for i in self._english_rules) for ti in range(len(turns)))
            plan = _Plan(scopes, selections, regex_selections, active, english)
            if len(self._plans) >= MAX_PLANS:
                self._plans.clear()  # many shapes (long, varied conversations): start over
            self._plans[shape] = plan
        return plan

    def _analyse_timed(
        self, missing: list[tuple[str, Selection]], analysed: dict[tuple[str, Selection], tuple]
    ) -> None:
        """The analysis loop of ``_lint_batch``, with its time split between the spaCy
        pipeline and the shared matchers."""
        matching = 0.0
        started = time.perf_counter()
        texts = [text for text, _ in missing]
        for (text, selection), doc in zip(missing, self.nlp.pipe(texts, batch_size=256)):
            before = time.perf_counter()
            analysed[(text, selection)] = (doc, self.matching.run(doc, selection))
            matching += time.perf_counter() - before
            self.cache.put(text, analysed[(text, selection)], selection)
        self.timings[TIME_PIPELINE] += time.perf_counter() - started - matching
        self.timings[TIME_MATCHERS] += matching

    def _analysable(self, conv: Conversation, ti: int, note: bool = True) -> str:
        """The text spaCy analyses for a turn: its first MAX_TURN_CHARS characters, with long
        punctuation runs broken up."""
        text = conv.turns[ti].text
        if len(text) > MAX_TURN_CHARS:
            if note:
                self.notices.append(
                    f"{conv.path}: conversation {conv.id} turn {ti} has {len(text):,} characters; "
                    f"only the first {MAX_TURN_CHARS:,} were linted"
                )
            text = text[:MAX_TURN_CHARS]
        return _break_punct_runs(text)

    def _run_rule(
        self, compiled: CompiledRule, conversation: ConversationView, in_scope: list[bool], lintable: list[bool]
    ) -> list[Finding]:
        """The rule's findings in the conversation; ``lintable``: each turn's ``lintable``."""
        conv, views = conversation.conversation, conversation.turns
        if not compiled.may_fire(conversation, in_scope):
            return []
        if compiled.rule.scope.language == "en" and self.language == "auto":
            in_scope = conversation.english_in(in_scope)
        # turn -> [(start, end, message, whether the rule's `unless` may cancel it, confidence,
        # the detector's advice)]
        hits: dict[int, list[tuple[int, int, str | None, bool, float | None, Advice]]] = {}
        every_turn: list[bool] | None = None
        for detector, advice in zip(compiled.detectors, compiled.advice):
            # Positions (first, last) count the context turns of a draft; findings never land there.
            if detector.turn != "any":
                turns = [flag and ok for flag, ok in zip(detector.select_turns(in_scope), lintable)]
            else:
                # Most detectors look at all the rule's turns: one list for all of them (read only).
                if every_turn is None:
                    every_turn = [flag and ok for flag, ok in zip(in_scope, lintable)]
                turns = every_turn
            if detector.conversational:
                for hit in detector.find_in_conversation(conversation, turns):
                    if not turns[hit.turn]:
                        continue  # findings land on in-scope turns only: the exceptions are matched there
                    # A conversation-level hit may carry its own message (e.g. the reply gap).
                    message = hit.message or detector.message
                    hits.setdefault(hit.turn, []).append(
                        (hit.start, hit.end, message, detector.apply_unless, hit.confidence, advice)
                    )
                continue
            trigger = detector.trigger
            # What the detector needs occurs in none of its turns (the usual case): it cannot
            # find anything, so it is not asked turn by turn.
            if trigger is not None and trigger.items.isdisjoint(conversation.present_in(turns)):
                continue
            for ti, matched in detector.find_in_turns(conversation, turns):
                for start, end in matched:
                    hits.setdefault(ti, []).append((start, end, detector.message, detector.apply_unless, None, advice))
        findings = []
        for ti, spans in sorted(hits.items()):
            view = views[ti]
            if view is not None and compiled.exceptions:
                exceptions = ExceptionSpans(compiled, view, conversation, ti)
                spans = [s for s in spans if not (s[3] and exceptions.cancel(s[0], s[1]))]
            text = conv.turns[ti].text
            whole = [(s[0], _tidy_end(text, s[0], s[1]), s[2], s[4], s[5]) for s in spans]
            for start, end, message, confidence, advice in _merge(whole):
                findings.append(self._finding(compiled, conv, ti, start, end, message, confidence, advice))
        return findings

    def _finding(
        self,
        compiled: CompiledRule,
        conv: Conversation,
        ti: int,
        start: int,
        end: int,
        message: str | None,
        confidence: float | None = None,
        advice: Advice | None = None,
    ) -> Finding:
        rule = compiled.rule
        turn = conv.turns[ti]
        where = turn.source.locate(start)
        passage = turn.text[start:end]
        return Finding(
            rule=rule.id,
            severity=compiled.severity,
            path=conv.path,
            conversation=conv.id,
            turn=ti,
            speaker=turn.speaker,
            line=where.line,
            column=where.column,
            start=start,
            end=end,
            text=passage,
            message=message or rule.message,
            fix=fix_for(advice or rule.advice_for(-1), passage),
            turn_text=turn.text,
            agent=turn.name if turn.speaker == "agent" else None,
            title=conv.title,
            confidence=confidence,
        )


Span = tuple[int, int, str | None, float | None, Advice]

#: A word a passage may stop inside: a link or a placeholder, which the tokenizer can split
#: ("https://" + "t.co/…" when it does not recognise the link; "<" + "tel_num" + ">").
_LINK_OR_PLACEHOLDER = re.compile(r"(?:https?://|www\.)\S+|<[\w.-]+>|\[[\w .-]+\]|\{\{?[\w .-]+\}\}?|%\{[\w.-]+\}")
#: Opening brackets: a passage ending in one after a space stops before the bracket ("…at this
#: moment. (" is "…at this moment." — the bracket opens a thread counter or an aside).
_OPENING = "([{<"
#: Not part of a link at its end (the sentence's punctuation after it).
_TRAILING = ".,;:!?…\"'”’"


def _tidy_end(text: str, start: int, end: int) -> int:
    """``end``, moved so that a passage does not stop inside a link or a placeholder ("contact us
    at <" becomes "contact us at <tel_num>", "this thread: https://" takes the whole link) nor on
    an opening bracket after a space."""
    if not start < end < len(text) or text[end].isspace():
        return end
    word_start = end
    while word_start > start and not text[word_start - 1].isspace():
        word_start -= 1
    word = _LINK_OR_PLACEHOLDER.match(text, word_start)
    if word is not None and word.end() > end:
        stop = word.end()
        while stop > end and text[stop - 1] in _TRAILING:
            stop -= 1
        return stop
    if end - 1 == word_start and text[end - 1] in _OPENING and word_start > start:
        return len(text[start : end - 1].rstrip()) + start
    return end


def _merge(spans: list[Span]) -> list[Span]:
    """Merge overlapping spans of one rule in one turn into one finding each. A merged span
    that a pattern matched is certain (no confidence); otherwise it keeps the highest score.
    It keeps the message and advice of the span that starts first (the longest, at a tie),
    the trigger the reader sees first."""
    merged: list[Span] = []
    for start, end, message, confidence, advice in sorted(spans, key=lambda s: (s[0], -s[1])):
        if merged and start < merged[-1][1]:
            prev = merged[-1]
            both = None if prev[3] is None or confidence is None else max(prev[3], confidence)
            merged[-1] = (prev[0], max(prev[1], end), prev[2], both, prev[4])
        else:
            merged.append((start, end, message, confidence, advice))
    return merged


class ExceptionSpans:
    """The spans of a rule's ``unless`` detectors in one turn, computed once, so that checking
    many matches against them stays cheap (a long turn can have thousands of matches)."""

    def __init__(self, compiled: CompiledRule, view: TurnView, conversation: ConversationView, ti: int) -> None:
        self.view = view
        self.conversation = conversation
        self.ti = ti
        self.by_within: list[tuple[str, list[int], list[int]]] = []
        #: Exceptions that judge the matched words against the conversation (said-before, ...).
        self.contextual = [
            detector for detector, _ in compiled.exceptions if isinstance(detector, ConversationCondition)
        ]
        for detector, within in compiled.exceptions:
            if detector.contextual:
                continue
            spans = sorted(detector.find_in_turn(view))
            if not spans:
                continue
            starts = [s for s, _ in spans]
            # max_end[i]: the furthest end among the first i+1 spans (by start).
            max_end, furthest = [], -1
            for _, e in spans:
                furthest = max(furthest, e)
                max_end.append(furthest)
            self.by_within.append((within, starts, max_end))

    @staticmethod
    def _overlaps(starts: list[int], max_end: list[int], lo: int, hi: int) -> bool:
        """Whether any span overlaps [lo, hi)."""
        i = bisect.bisect_left(starts, hi)
        return i > 0 and max_end[i - 1] > lo

    def cancel(self, start: int, end: int) -> bool:
        if self.contextual:
            matched = self.view.text[start:end]
            if any(d.cancels(self.conversation, self.ti, matched) for d in self.contextual):
                return True
        for within, starts, max_end in self.by_within:
            if within == "turn":
                return True
            if within == "match":
                lo, hi = start, end
            else:
                # within: sentence — the exception must lie in the sentence(s) the match lies in.
                sentences = self.view.sentence_starts()
                first = bisect.bisect_right(sentences, start) - 1
                last = bisect.bisect_right(sentences, max(start, end - 1)) - 1
                lo = sentences[first] if first >= 0 else 0
                hi = sentences[last + 1] if last + 1 < len(sentences) else len(self.view.text)
            if self._overlaps(starts, max_end, lo, hi):
                return True
        return False
