"""``--format text`` (default): findings grouped by file and conversation, for people.

Each finding shows where it is, who said it, the passage with the flagged words highlighted,
why it is a problem and the fix; a summary per rule (and per agent, when names are known)
closes the run. Colour only when writing to a terminal (or ``--color always``).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import COLOR_SYSTEMS, Console
from rich.markup import escape
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from cslint.advice import paragraph_of
from cslint.model import Conversation, Finding, Severity
from cslint.reporters.base import Reporter, ReportOptions, register
from cslint.results import CheckResults
from cslint.scorecard import UNNAMED_AGENT
from cslint.textsafety import one_line

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
#: Joins lines as ``Text.__rich_console__`` does (see ``TextReporter._line``).
_JOINER = Text("\n")
#: How much of the turn to show around a flagged passage, in characters each side.
CONTEXT_CHARS = 80


def excerpt(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> tuple[str, int, int]:
    """The line(s) holding [start, end), trimmed to ``context`` characters each side,
    with the new offsets of the flagged part."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    lo = max(line_start, start - context)
    hi = min(line_end, end + context)
    prefix = "…" if lo > line_start else ""
    suffix = "…" if hi < line_end else ""
    shown = prefix + text[lo:hi] + suffix
    return shown, len(prefix) + start - lo, len(prefix) + min(end, hi) - lo


@register
class TextReporter(Reporter):
    name = "text"
    streams = True
    description = "findings grouped by file and conversation, with the passage and the fix"
    for_humans = True

    def __init__(self, stream, color: bool | None = None, options: ReportOptions | None = None) -> None:
        super().__init__(stream, color, options)
        self.console = Console(
            file=stream,
            force_terminal=True if color else None,
            no_color=color is False,
            color_system="auto" if color is not False else None,
            highlight=False,
            # Long messages wrap in the terminal itself; piped output keeps one line each.
            soft_wrap=True,
        )
        self._last_path: str | None = None
        #: The advice paragraphs of each rule shown (one per trigger that matched), for
        #: ``--fixes once`` (printed once at the end).
        self._fixes: dict[str, dict[str, None]] = {}

    def on_conversation(self, conversation: Conversation, findings: list[Finding]) -> None:
        if self.options.fixes == "once":
            for f in findings:
                self._fixes.setdefault(f.rule, {})[paragraph_of(f.fix)] = None
        if not findings or self.options.summary_only or self.options.summary == "line":
            return
        if conversation.path != self._last_path:
            if self._last_path is not None:
                self._line(Text())
            self._line(Text(one_line(conversation.path), style="bold underline"))
            self._last_path = conversation.path
        label = f"conversation {conversation.id}"
        if conversation.title:
            label += f" — “{conversation.title}”"
        # Every field goes out as one line, control characters shown, never acted on: a line
        # break in an id or a name must not start a line of its own (GitHub Actions reads
        # "::error" at the start of any line of a step's output as a command).
        self._line(Text(one_line(f"  {label}"), style="bold"))
        for f in findings:
            self._finding(f)

    def _line(self, text: Text) -> None:
        """Write ``text``, one line, as ``console.print(text)`` would, byte for byte.

        ``console.print`` measures, wraps and locks for every call: ~150 µs a line, which made
        the findings' text take longer to write than to find (0.2 s for 689 findings, where
        JSON took a few ms). A line of findings output never needs any of that (it holds no
        line break or tab, see ``one_line``, and long lines are left to the terminal), so its
        segments are styled and written directly. The Windows legacy console is styled by
        calls, not escape codes: rich does that."""
        console = self.console
        if console.legacy_windows:
            console.print(text)
            return
        system = COLOR_SYSTEMS.get(console.color_system or "")
        if system is None:
            console.file.write(text.plain + "\n")
            return
        # As print does: the text's own style becomes a span (``render`` alone would drop it).
        segments: Iterable[Segment] = _JOINER.join([text]).render(console)
        if console.no_color:
            segments = Segment.remove_color(segments)
        console.file.write(
            "".join(seg.style.render(seg.text, color_system=system) if seg.style else seg.text for seg in segments)
            + "\n"
        )

    def _finding(self, f: Finding) -> None:
        who = f.speaker + (f" ({f.agent})" if f.agent else "")
        head = Text("    ")
        head.append(one_line(f"{f.path}:{f.line}:{f.column}"), style="bold")
        head.append(one_line(f"  turn {f.turn} · {who}  "), style="dim")
        head.append(f.severity.label, style=SEVERITY_STYLE[f.severity])
        head.append(one_line(f"  {f.rule}"), style="magenta")
        self._line(head)
        shown, lo, hi = excerpt(
            f.turn_text or f.text, f.start if f.turn_text else 0, f.end if f.turn_text else len(f.text)
        )
        shown = one_line(shown)  # one character for one: lo and hi still hold
        passage = Text("      │ ", style="dim")
        passage.append(shown[:lo])
        if self.console.color_system is not None:
            passage.append(shown[lo:hi], style="bold reverse")
        else:
            # Without colour, bracket the flagged words so they can still be seen.
            passage.append("»" + shown[lo:hi] + "«")
        passage.append(shown[hi:])
        self._line(passage)
        self._line(Text("      " + one_line(f.message)))
        if self.options.fixes == "every":
            self._line(Text("      fix: ", style="green").append(Text(one_line(f.fix), style="")))

    def finish(self, result: CheckResults) -> None:
        out = self.console
        if self.options.summary == "none":
            return
        if self.options.summary == "line":
            out.print(Text(one_line(summary_line(result)), style="bold"))
            return
        if result.finding_count:
            out.print()
            out.print(Text("Findings per rule", style="bold"))
            table = Table(show_edge=False, pad_edge=False)
            table.add_column("rule", style="magenta")
            table.add_column("severity")
            table.add_column("findings", justify="right")
            for rule, count in sorted(result.by_rule().items(), key=lambda kv: (-kv[1], kv[0])):
                sev = result.worst_by_rule[rule]
                table.add_row(Text(one_line(rule)), Text(sev.label, style=SEVERITY_STYLE[sev]), str(count))
            out.print(table, soft_wrap=False)
            self._agents(result)
            self._fixes_once()
            totals = result.scores.totals()
            out.print()
            out.print(
                Text(
                    f"Scores: mean {totals['mean_score']:g}/100; {totals['passed']} of {totals['conversations']}"
                    f" conversations pass (pass mark {result.scores.config.pass_mark:g})"
                    + (f"; {totals['critical_failed']} failed on a critical rule" if totals["critical_failed"] else "")
                )
            )
        out.print()
        out.print(Text(one_line(summary_line(result)), style="bold"))

    def _agents(self, result: CheckResults) -> None:
        """Agents ranked by score, with findings per 100 of their turns (not raw counts: an
        agent who answers more is not worse for it)."""
        agents = [a for a in result.scores.agents() if a.agent != UNNAMED_AGENT]
        if not agents:
            return
        out = self.console
        out.print()
        out.print(Text("Agents, best first (score 0-100; findings per 100 agent turns)", style="bold"))
        table = Table(show_edge=False, pad_edge=False)
        table.add_column("#", justify="right")
        table.add_column("agent")
        for column in ("score", "/100 turns", "findings", "turns", "convs", "failed"):
            table.add_column(column, justify="right")
        for rank, agent in enumerate(agents, 1):
            few = agent.conversations < result.scores.config.min_conversations
            table.add_row(
                str(rank),
                escape(one_line(agent.agent)) + (" *" if few else ""),
                f"{agent.mean_score:g}",
                f"{agent.rate:g}",
                str(agent.findings),
                str(agent.agent_turns),
                str(agent.conversations),
                str(agent.failed),
            )
        out.print(table, soft_wrap=False)
        if any(a.conversations < result.scores.config.min_conversations for a in agents):
            minimum = result.scores.config.min_conversations
            out.print(Text(f"* fewer than {minimum} conversations: ranked after the others", style="dim"))

    def _fixes_once(self) -> None:
        """``--fixes once``: each rule's fix paragraph, once, after the findings."""
        if not self._fixes:
            return
        out = self.console
        out.print()
        out.print(Text("How to fix, per rule", style="bold"))
        for rule, paragraphs in sorted(self._fixes.items()):
            first, *others = paragraphs
            out.print(Text("  ").append(Text(one_line(rule), style="magenta")).append(": " + one_line(first)))
            for other in others:  # another trigger of the same rule, with its own advice
                out.print(Text("    - " + one_line(other)))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(result: CheckResults) -> str:
    counts = result.by_severity()
    parts = [f"{_plural(counts[s], s.label)}" for s in sorted(counts, reverse=True)]
    found = _plural(result.finding_count, "finding")
    if parts:
        found += f" ({', '.join(parts)})"
    line = (
        f"{found} in {result.conversations_with_findings} of {_plural(result.conversations, 'conversation')}"
        f" ({_plural(result.turns, 'turn')}, {_plural(result.files, 'file')}, {_plural(result.rules_run, 'rule')})"
    )
    if result.suppressed:
        line += f"; {len(result.suppressed)} suppressed"
    if result.baselined:
        line += f"; {result.baselined} in baseline"
    if result.errors:
        line += f"; {_plural(len(result.errors), 'input error')}"
    if result.skipped_not_english:
        line += f"; {_plural(result.skipped_not_english, 'turn')} skipped: not English"
    skipped = result.skipped()
    if skipped:
        line += "; not read: " + ", ".join(f"{n} {reason}" for reason, n in skipped.items())
    return line
