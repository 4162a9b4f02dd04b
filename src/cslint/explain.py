"""``cslint explain RULE``: a rule's documentation and examples, rendered for the terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from cslint.ruleset.rule import Rule
from cslint.testing import _MARK


def _marked(text: str) -> Text:
    """An example with its ``[[marked]]`` span highlighted."""
    out = Text()
    pos = 0
    for match in _MARK.finditer(text):
        out.append(text[pos : match.start()])
        out.append(match.group(1), style="bold reverse")
        pos = match.end()
    out.append(text[pos:])
    return out


def _example(raw: Any) -> Text:
    if isinstance(raw, str):
        return _marked(raw)
    out = Text()
    for i, item in enumerate(raw["turns"]):
        speaker, text = (item["speaker"], item["text"]) if "speaker" in item else next(iter(item.items()))
        if i:
            out.append("\n")
        out.append(f"{speaker}: ", style="dim")
        out.append_text(_marked(text))
    return out


def render_rule(rule: Rule, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    head = Text()
    head.append(rule.id, style="bold magenta")
    head.append(f"  {rule.title}\n", style="bold")
    head.append(
        f"category {rule.category} · severity {rule.severity.label} · {'on' if rule.enabled else 'off'} by default · looks at {', '.join(rule.scope.speakers)} turns"
    )
    if rule.scope.position != "any":
        head.append(f" ({rule.scope.position} only)")
    parts: list[Any] = [head]
    for label, body in (("What it catches", rule.what), ("Why it hurts", rule.why), ("The fix", rule.fix)):
        parts.append(Text(f"\n{label}", style="bold underline"))
        parts.append(Text(body))
    own = [(i, spec) for i, spec in enumerate(rule.detect) if spec.get("fix")]
    if own:
        parts.append(Text("\nThe fix, by trigger", style="bold underline"))
        for i, spec in own:
            # Named as in the rule file, where a QA lead reads and edits the trigger.
            parts.append(Text.assemble((f"  detect[{i}] ({spec['kind']}): ", "magenta"), rule.advice_for(i).fix))
    if rule.all_better():
        parts.append(Text("\nBetter wording", style="bold underline"))
        for b in rule.all_better():
            parts.append(
                Text.assemble(
                    ("  instead of ", "dim"), f"“{b['instead_of']}”", ("  say ", "dim"), (f"“{b['say']}”", "green")
                )
            )
    parts.append(Text("\nFlags", style="bold underline"))
    parts.extend(Panel(_example(ex), border_style="red", padding=(0, 1)) for ex in rule.examples_flag)
    parts.append(Text("\nDoes not flag", style="bold underline"))
    parts.extend(Panel(_example(ex), border_style="green", padding=(0, 1)) for ex in rule.examples_pass)
    parts.append(Text("\nSources", style="bold underline"))
    parts.extend(Text(f"  {link}") for link in rule.links)
    parts.append(Text(f"\nDefined in {rule.path}", style="dim"))
    console.print(Group(*parts))
