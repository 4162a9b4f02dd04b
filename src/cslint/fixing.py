"""``cslint fix``: apply the safe better wordings of rules to the files they came from.

Only ``better:`` entries marked ``safe: true`` are applied: replacements that are correct
wherever the phrase occurs (e.g. "any inconvenience" -> "the inconvenience"). A fix changes
nothing but the matched words; case of the first letter is kept. Only formats whose turn
text is a verbatim slice of the file (canned ``.md``/``.txt`` responses, chat logs) can be
edited; JSON and other structured inputs are reported as not fixable. Suppressions, the
config's ``select``/``ignore``/``per_path`` and ``exclude`` apply as in ``cslint check``.

By default a unified diff is printed and nothing is written; ``--write`` replaces each
changed file atomically.
"""

from __future__ import annotations

import bisect
import codecs
import difflib
import functools
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from cslint.advice import match_case, safe_betters
from cslint.atomicfile import FileState
from cslint.model import Finding, Turn
from cslint.ruleset.rule import Rule


@dataclass(frozen=True)
class Edit:
    """Replace ``[start, end)`` of the file text with ``replacement``."""

    start: int
    end: int
    replacement: str
    rule: str
    line: int


@dataclass
class FilePlan:
    path: str
    before: str
    edits: list[Edit] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    raw: RawFile | None = None
    #: The starts of ``edits``, sorted, and the edit at each start (overlap checks by bisection).
    _starts: list[int] = field(default_factory=list)
    _by_start: dict[int, Edit] = field(default_factory=dict)

    def overlaps(self, edit: Edit) -> bool:
        i = bisect.bisect_left(self._starts, edit.start)
        after = self._by_start[self._starts[i]] if i < len(self._starts) else None
        before = self._by_start[self._starts[i - 1]] if i > 0 else None
        return (after is not None and after.start < edit.end) or (before is not None and before.end > edit.start)

    def add(self, edit: Edit) -> None:
        bisect.insort(self._starts, edit.start)
        self._by_start[edit.start] = edit
        self.edits.append(edit)

    @functools.cached_property
    def line_starts(self) -> list[int]:
        return line_starts(self.before)

    @property
    def after(self) -> str:
        return apply_edits(self.before, self.edits)


def _word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] == "_")


def phrase_matches(text: str, rule: Rule) -> list[tuple[int, int, str]]:
    """(start, end, replacement) of every safe phrase of ``rule`` in ``text``, as whole words,
    sorted by start."""
    out = []
    for better in safe_betters(rule):
        for m in re.finditer(re.escape(better["instead_of"]), text, re.IGNORECASE):
            start, end = m.start(), m.end()
            if _word_char(text, start - 1) or _word_char(text, end):
                continue
            out.append((start, end, match_case(text[start:end], better["say"])))
    out.sort()
    return out


class PhraseIndex:
    """The safe phrases of each (turn, rule), found once: a turn with thousands of findings is
    scanned once per rule, not once per finding."""

    def __init__(self) -> None:
        self._matches: dict[tuple[int, str], tuple[Turn, list[tuple[int, int, str]], list[int]]] = {}

    def overlapping(self, finding: Finding, turn: Turn, rule: Rule) -> list[tuple[int, int, str]]:
        key = (id(turn), rule.id)
        known = self._matches.get(key)
        if known is None or known[0] is not turn:  # the Turn is kept, so its id is not reused
            matches = phrase_matches(turn.text, rule)
            known = self._matches[key] = (turn, matches, [m[0] for m in matches])
        _, matches, starts = known
        # Phrases are short: one that overlaps the finding starts less than its length before it.
        longest = max((len(b["instead_of"]) for b in safe_betters(rule)), default=0)
        lo = bisect.bisect_left(starts, finding.start - longest)
        hi = bisect.bisect_left(starts, finding.end)
        return [m for m in matches[lo:hi] if m[1] > finding.start]


def turn_edits(
    finding: Finding, turn: Turn, rule: Rule, index: PhraseIndex | None = None
) -> list[tuple[int, int, str]]:
    """(start, end, replacement) in the turn's text for each safe phrase that overlaps the
    finding, as whole words."""
    return (index or PhraseIndex()).overlapping(finding, turn, rule)


def line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    return starts


def file_offset(starts: list[int], line: int, column: int) -> int | None:
    if not 1 <= line <= len(starts):
        return None
    return starts[line - 1] + column - 1


def apply_edits(text: str, edits: list[Edit]) -> str:
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: e.start):
        out.append(text[pos : e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def plan_edits(plan: FilePlan, turn: Turn, finding: Finding, rule: Rule, index: PhraseIndex | None = None) -> None:
    """Add the file edits of one finding to ``plan``, checking that each maps to the same
    words in the file (never editing anything else)."""
    starts = plan.line_starts
    for start, end, replacement in turn_edits(finding, turn, rule, index):
        begin = turn.source.locate(start)
        offset = file_offset(starts, begin.line, begin.column)
        expected = turn.text[start:end]
        if offset is None or plan.before[offset : offset + len(expected)] != expected:
            plan.problems.append(
                f"{plan.path}:{begin.line}: the text of this reply does not map to the file; fix not applied"
            )
            continue
        edit = Edit(offset, offset + len(expected), replacement, finding.rule, begin.line)
        if plan.overlaps(edit):
            continue  # the same words, found by another finding
        plan.add(edit)


@dataclass
class RawFile:
    """A file's text exactly as stored (line ends kept), for editing in place."""

    text: str
    encoding: str
    bom: str
    #: The file as read: ``fix --write`` replaces it only if it is still so.
    state: FileState | None = None


#: A BOM, and the encoding that writes the text after it back in the same byte order.
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def read_raw(path: str, encoding: str | None) -> RawFile:
    from cslint.boundedio import read_regular_file
    from cslint.readers.base import MAX_WHOLE_FILE_BYTES

    state = FileState.of(path)
    return raw_text(read_regular_file(path, MAX_WHOLE_FILE_BYTES), encoding, state)


def raw_text(data: bytes, encoding: str | None, state: FileState | None = None) -> RawFile:
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            return RawFile(data[len(bom) :].decode(bom_encoding), bom_encoding, "\ufeff", state)
    enc = encoding or "utf-8"
    return RawFile(data.decode(enc), enc, "", state)


def unified_diff(path: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), fromfile=f"a/{path}", tofile=f"b/{path}"
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


@dataclass
class FixSummary:
    files_changed: int = 0
    fixes: int = 0
    #: Safe fixes found in inputs whose format cannot be edited.
    not_fixable: int = 0
    problems: list[str] = field(default_factory=list)

    def count(self, plan: FilePlan) -> None:
        self.files_changed += 1
        self.fixes += len(plan.edits)


def run_fix(
    request, write: bool, stdout: IO[str], err: Callable[[str], None], stdin: Callable[[], bytes] | None = None
) -> int:
    """Lint ``request.paths`` like ``cslint check`` and apply (or show) the safe fixes. A
    draft on standard input (``-``, the only path then) is printed with its fixes applied."""
    from cslint.atomicfile import FileChangedError, atomic_writer
    from cslint.errors import CslintError
    from cslint.exitstatus import ExitStatus
    from cslint.readers.discover import choose_reader
    from cslint.session import LintSession

    if "-" in request.paths and len(request.paths) > 1:
        err("error: cslint fix - prints the fixed draft from standard input; give no other path with it")
        return ExitStatus.ERROR
    try:
        session = LintSession(request, err, stdin=stdin or (lambda: sys.stdin.buffer.read()))
    except CslintError as exc:
        err(f"error: {exc}")
        return ExitStatus.ERROR
    fixable = {}
    stdin_sources = {s.display: s for s in session.inputs.sources if s.path == "-"}
    for source in session.inputs.sources:
        try:
            fixable[source.display] = choose_reader(source, session.read_options).fixable
        except CslintError:
            fixable[source.display] = False
    errors = []

    def on_error(error) -> None:
        errors.append(error)
        err(f"error: {error}")

    summary = FixSummary()
    plans: dict[str, FilePlan] = {}
    try:
        _plan_all(session, request, plans, summary, fixable, stdin_sources, on_error)
    except CslintError as exc:  # the run cannot go on (a worker process died): write nothing
        err(f"error: {exc}")
        return ExitStatus.ERROR

    for plan in plans.values():
        summary.problems.extend(plan.problems)
        if not plan.edits:
            continue
        after = plan.after
        if plan.path in stdin_sources:
            summary.count(plan)
            continue  # printed whole below
        if not write:
            stdout.write(unified_diff(plan.path, plan.before, after))
            summary.count(plan)
            continue
        raw = plan.raw
        if raw is None:  # every plan is made from a file it read: never so
            continue
        try:
            # strict: a fix the file's encoding cannot hold leaves the file as it was.
            with atomic_writer(plan.path, encoding=raw.encoding, errors="strict", expect=raw.state) as out:
                out.write(raw.bom + after)
        except FileChangedError as exc:
            on_error(str(exc))
        except OSError as exc:
            on_error(f"{plan.path}: cannot write: {exc.strerror or exc}")
        except UnicodeEncodeError as exc:
            on_error(
                f"{plan.path}: not fixed: the new wording has {exc.object[exc.start : exc.end]!r}, which {raw.encoding} cannot hold"
            )
        else:  # counted only once written: a failed write applied nothing
            summary.count(plan)

    for name, source in stdin_sources.items():
        # The draft is printed whole, fixed or not, so an editor can replace its buffer with it.
        draft_plan = plans.get(name)
        stdout.write(draft_plan.after if draft_plan is not None else _stdin_text(source.data or b"", request.encoding))
    for problem in summary.problems:
        err(f"warning: {problem}")
    if summary.not_fixable:
        err(
            f"note: {summary.not_fixable} safe fix(es) in formats that cannot be edited in place (JSON, e-mail, exports): only canned .md/.txt responses and chat logs are fixable"
        )
    verb = "applied" if write or stdin_sources else "available"
    files = f"{summary.files_changed} file{'s' if summary.files_changed != 1 else ''}"
    err(
        f"{summary.fixes} safe fix(es) {verb} in {files}"
        + ("" if write or stdin_sources or not summary.fixes else "; run with --write to apply")
    )
    if errors or session.rule_errors:
        return ExitStatus.ERROR
    return ExitStatus.decide(errors=False, findings=bool(summary.fixes and not write and not stdin_sources))


def _stdin_text(data: bytes, encoding: str | None) -> str:
    try:
        return raw_text(data, encoding).text
    except (UnicodeDecodeError, LookupError):
        return data.decode("utf-8", "replace")


def _plan_all(
    session, request, plans: dict[str, FilePlan], summary: FixSummary, fixable: dict, stdin_sources: dict, on_error
) -> None:
    """Lint every input and plan the safe fixes of each fixable file (or draft) into ``plans``."""
    from cslint.boundedio import ReadLimitError

    for linted in session.lint(on_error):
        conv = linted.conversation
        index = PhraseIndex()  # per conversation: turns are not kept past their conversation
        candidates = [f for f in linted.findings if safe_betters(session.rules[f.rule])]
        if not candidates:
            continue
        if not fixable.get(conv.path):
            summary.not_fixable += sum(
                len(turn_edits(f, conv.turns[f.turn], session.rules[f.rule], index)) for f in candidates
            )
            continue
        plan = plans.get(conv.path)
        if plan is None:
            try:
                if conv.path in stdin_sources:
                    raw = raw_text(stdin_sources[conv.path].data or b"", request.encoding)
                else:
                    raw = read_raw(conv.path, request.encoding)
            except (OSError, ReadLimitError, UnicodeError, ValueError, LookupError) as exc:
                on_error(f"{conv.path}: cannot read for fixing: {exc}")
                continue
            if "\r" in raw.text.replace("\r\n", ""):
                summary.problems.append(f"{conv.path}: has bare carriage returns as line ends; not fixed")
                continue
            plan = plans[conv.path] = FilePlan(conv.path, raw.text, raw=raw)
        for f in candidates:
            plan_edits(plan, conv.turns[f.turn], f, session.rules[f.rule], index)
