"""Suppressions: the filter between the linter and the reporters that drops the findings a
team has deliberately accepted, and keeps the reason for the report.

Three forms (documented in the README, "Suppressing findings"):

* **Markers in a reply's text** (canned responses, chat logs): an HTML comment, invisible in
  rendered Markdown, or a ``#`` line in plain text::

      <!-- cslint-disable runaround -- the FAQ link is the answer here -->
      ...
      <!-- cslint-enable runaround -->
      <!-- cslint-disable-next-line empty-apology -- legal wording -->
      Some text <!-- cslint-disable-line blame -->
      # cslint-disable-next-line runaround -- reason

  Rule ids are separated by commas or spaces; none means every rule. ``disable`` lasts until
  a matching ``enable`` or the end of the conversation; ``disable-next-line`` covers the next
  non-blank line; ``disable-line`` the line it is on. Findings inside a marker are dropped.

* **A field on a reply** (``cslint_disable`` in a turn object of JSON/JSONL or a YAML/JSON
  collection: ``Turn.meta``) covers that reply.

* **A field on a conversation** (``cslint_disable`` at the top of a conversation object, or in
  the front matter of a Markdown canned response: ``Conversation.meta``) covers all of it.

A field holds ``"rule-id -- reason"``, a list of those, or a mapping ``{rule-id: reason}``.
An unknown rule id is an input error (exit 2), with a did-you-mean, so a typo cannot
silently disable nothing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cslint.model import Conversation, Finding, InputError

FIELD = "cslint_disable"
ALL_RULES = ("all", "*")

DIRECTIVES = ("disable", "enable", "disable-line", "disable-next-line")

# Any ``cslint-<word>`` is taken as a marker, so that a misspelt directive is reported
# instead of silently doing nothing.
# The comment body is bounded: an unclosed "<!-- cslint-..." would otherwise be scanned to the
# end of the text from every such opening (quadratic: 1,000 of them took 2.5 s).
_MARKER = re.compile(
    r"""<!--[ \t]*cslint-(?P<kind>[A-Za-z-]{1,40})(?P<body>.{0,1000}?)-->
      |^[ \t]*\#[ \t]*cslint-(?P<hkind>[A-Za-z-]{1,40})(?P<hbody>[^\n]*)$""",
    re.VERBOSE | re.MULTILINE | re.DOTALL,
)


@dataclass(frozen=True)
class Directive:
    kind: str
    #: Rule ids; empty means every rule.
    rules: tuple[str, ...]
    reason: str | None
    turn: int
    start: int
    end: int
    line: int | None = None

    def covers(self, rule: str) -> bool:
        return not self.rules or rule in self.rules


@dataclass
class Suppressed:
    """A finding that a suppression accepted, with why and how."""

    finding: Finding
    reason: str | None
    how: str

    def to_dict(self) -> dict[str, Any]:
        data = self.finding.to_dict()
        data["suppressed_by"] = self.how
        data["reason"] = self.reason
        return data


@dataclass
class Outcome:
    kept: list[Finding] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


def split_spec(text: str) -> tuple[tuple[str, ...], str | None]:
    """``"runaround, blame -- reason"`` -> (("runaround", "blame"), "reason")."""
    ids_part, sep, reason = text.partition("--")
    ids = tuple(part for part in re.split(r"[\s,]+", ids_part.strip()) if part)
    if any(i.lower() in ALL_RULES for i in ids):
        ids = ()
    return ids, (reason.strip() or None) if sep else None


def parse_markers(conversation: Conversation) -> list[Directive]:
    directives = []
    for ti, turn in enumerate(conversation.turns):
        if "cslint-" not in turn.text:
            continue
        for match in _MARKER.finditer(turn.text):
            kind = match.group("kind") or match.group("hkind")
            body = match.group("body") if match.group("kind") else match.group("hbody")
            ids, reason = split_spec(body)
            line = turn.source.locate(match.start()).line
            directives.append(Directive(kind, ids, reason, ti, match.start(), match.end(), line))
    return directives


def _field_specs(value: Any) -> list[tuple[tuple[str, ...], str | None]] | None:
    """The (ids, reason) pairs of a ``cslint_disable`` field, or None if malformed."""
    if isinstance(value, str):
        return [split_spec(value)]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [split_spec(v) for v in value]
    if isinstance(value, dict) and all(
        isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in value.items()
    ):
        return [(split_spec(k)[0], (v or "").strip() or None) for k, v in value.items()]
    return None


class Suppressor:
    """Applies the suppressions of each conversation to its findings."""

    def __init__(self, known_rules: Iterable[str]) -> None:
        self.known_rules = sorted(known_rules)

    def _unknown(
        self, ids: Iterable[str], conversation: Conversation, where: str, line: int | None
    ) -> list[InputError]:
        errors = []
        for rule_id in ids:
            if rule_id not in self.known_rules:
                close = difflib.get_close_matches(rule_id, self.known_rules, n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                errors.append(
                    InputError(
                        conversation.path,
                        f"conversation {conversation.id}: unknown rule {rule_id!r} in {where}{hint}",
                        line,
                    )
                )
        return errors

    def apply(self, conversation: Conversation, findings: list[Finding]) -> Outcome:
        outcome = Outcome()
        directives = parse_markers(conversation)
        for d in directives:
            if d.kind not in DIRECTIVES:
                close = difflib.get_close_matches(d.kind, DIRECTIVES, n=1, cutoff=0.6)
                hint = (
                    f" (did you mean 'cslint-{close[0]}'?)"
                    if close
                    else f" (use one of: {', '.join('cslint-' + k for k in DIRECTIVES)})"
                )
                outcome.errors.append(
                    InputError(
                        conversation.path,
                        f"conversation {conversation.id}: unknown marker 'cslint-{d.kind}'{hint}",
                        d.line,
                    )
                )
                continue
            outcome.errors.extend(self._unknown(d.rules, conversation, f"cslint-{d.kind} marker", d.line))
        directives = [d for d in directives if d.kind in DIRECTIVES]
        conv_specs = self._field(conversation.meta, conversation, "the conversation's cslint_disable field", outcome)
        turn_specs = {
            ti: self._field(turn.meta, conversation, f"turn {ti}'s cslint_disable field", outcome)
            for ti, turn in enumerate(conversation.turns)
            if FIELD in turn.meta
        }
        if not (directives or conv_specs or turn_specs):
            outcome.kept = list(findings)
            return outcome
        lines = _LineIndex(conversation)
        for f in findings:
            if any(d.turn == f.turn and d.start <= f.start < d.end for d in directives):
                continue  # words inside a marker are not part of the reply
            hit = (
                _by_field(turn_specs.get(f.turn, []), f.rule, "reply field")
                or _by_field(conv_specs, f.rule, "conversation field")
                or _by_marker(directives, f, lines)
            )
            if hit:
                outcome.suppressed.append(Suppressed(f, hit[0], hit[1]))
            else:
                outcome.kept.append(f)
        return outcome

    def _field(self, meta: dict[str, Any], conversation: Conversation, where: str, outcome: Outcome) -> list:
        if FIELD not in meta:
            return []
        specs = _field_specs(meta[FIELD])
        if specs is None:
            outcome.errors.append(
                InputError(
                    conversation.path,
                    f"conversation {conversation.id}: {where} must be 'rule-id -- reason', a list of those, or {{rule-id: reason}}",
                )
            )
            return []
        for ids, _reason in specs:
            outcome.errors.extend(self._unknown(ids, conversation, where, None))
        return specs


def _by_field(specs: list[tuple[tuple[str, ...], str | None]], rule: str, how: str) -> tuple[str | None, str] | None:
    for ids, reason in specs:
        if not ids or rule in ids:
            return reason, how
    return None


class _LineIndex:
    """The lines of a conversation's turns in order, to find "the next non-blank line"."""

    def __init__(self, conversation: Conversation) -> None:
        self.lines: list[tuple[int, int, int, bool]] = []  # (turn, start, end, blank)
        for ti, turn in enumerate(conversation.turns):
            start = 0
            for part in turn.text.split("\n"):
                self.lines.append((ti, start, start + len(part), not part.strip()))
                start += len(part) + 1

    def index_of(self, turn: int, offset: int) -> int:
        for i, (t, s, e, _blank) in enumerate(self.lines):
            if t == turn and s <= offset <= e:
                return i
        return -1

    def next_content_line(self, turn: int, marker_end: int) -> int:
        """Index of the line a ``disable-next-line`` marker covers: the first non-blank line
        after the line the marker ends on (possibly in the next turn)."""
        j = self.index_of(turn, max(0, marker_end - 1)) + 1
        while j < len(self.lines) and self.lines[j][3]:
            j += 1
        return j


def _by_marker(directives: list[Directive], f: Finding, lines: _LineIndex) -> tuple[str | None, str] | None:
    finding_line = lines.index_of(f.turn, f.start)
    for d in directives:
        if not d.covers(f.rule):
            continue
        if d.kind == "disable-line" and lines.index_of(d.turn, d.start) == finding_line:
            return d.reason, f"cslint-disable-line marker (line {d.line})"
        if d.kind == "disable-next-line" and lines.next_content_line(d.turn, d.end) == finding_line:
            return d.reason, f"cslint-disable-next-line marker (line {d.line})"
    # disable/enable regions: replay the markers before the finding, in order.
    all_off: Directive | None = None
    off: dict[str, Directive] = {}
    exempt: set[str] = set()
    for d in directives:
        if d.kind not in ("disable", "enable") or (d.turn, d.start) >= (f.turn, f.start):
            continue
        if d.kind == "disable" and not d.rules:
            all_off, exempt = d, set()
        elif d.kind == "disable":
            off.update((r, d) for r in d.rules)
            exempt -= set(d.rules)
        elif not d.rules:
            all_off, off, exempt = None, {}, set()
        else:
            for r in d.rules:
                off.pop(r, None)
            if all_off is not None:
                exempt |= set(d.rules)
    chosen = off.get(f.rule) or (all_off if all_off is not None and f.rule not in exempt else None)
    if chosen is not None:
        return chosen.reason, f"cslint-disable marker (line {chosen.line})"
    return None
