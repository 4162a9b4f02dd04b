"""The text report writes its finding lines itself, without rich's layout work per line: the
bytes must be exactly what ``console.print`` wrote, with colour, without, and without colours
but with styles."""

import io
import json

import pytest

from cslint.engine.linter import Linter
from cslint.readers import ReadOptions, Source, read_source
from cslint.reporters.base import ReportOptions
from cslint.reporters.text import TextReporter

#: Texts that rich could treat specially: markup, emoji codes, wide characters, a line break
#: and a tab inside a passage, combining marks, a very long line.
AGENT_TEXTS = [
    "Please visit our website [bold]for more[/bold] information :smile: today.",
    "We apologize for any inconvenience. 申し訳ありません, please check our FAQ.\nThanks\tagain.",
    "You'll need to call our billing line, it's our policy. " + "Really " * 60,
    "Unfortunately that's our policy 😀 and we can't do anything about it. Café noël.",
]


class RichPrinted(TextReporter):
    """The reporter as it was: every line through ``console.print``."""

    def _line(self, text):
        self.console.print(text)


@pytest.fixture(scope="module")
def linted(tmp_path_factory, builtin_rules):
    path = tmp_path_factory.mktemp("lines") / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i, text in enumerate(AGENT_TEXTS):
            turns = [
                {"speaker": "customer", "text": "My order is late, this is ridiculous!"},
                {"speaker": "agent", "name": f"[red]Sam {i}[/red]", "text": text},
            ]
            out.write(json.dumps({"id": f"c{i}", "title": "[i]Order[/i]", "turns": turns}) + "\n")
    linter = Linter(sorted(builtin_rules.values(), key=lambda r: r.id))
    results = list(linter.lint(read_source(Source(str(path)), ReadOptions())))
    assert sum(len(findings) for _, findings in results) >= len(AGENT_TEXTS)
    return results


def written(reporter_class, results, color, fixes):
    stream = io.StringIO()
    reporter = reporter_class(stream, color=color, options=ReportOptions(fixes=fixes))
    for conversation, findings in results:
        reporter.on_conversation(conversation, findings)
    return stream.getvalue()


@pytest.mark.parametrize("color", [None, True, False])
@pytest.mark.parametrize("fixes", ["every", "none"])
def test_finding_lines_are_the_bytes_rich_printed(linted, color, fixes):
    ours = written(TextReporter, linted, color, fixes)
    assert ours == written(RichPrinted, linted, color, fixes)
    assert ("\x1b[" in ours) is bool(color)


def test_a_console_without_colours_keeps_the_bytes_rich_printed(linted):
    """rich's ``no_color``: styles such as bold stay, colours go."""

    def no_color(reporter_class):
        class NoColor(reporter_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.console.no_color = True

        return NoColor

    ours = written(no_color(TextReporter), linted, True, "every")
    assert ours == written(no_color(RichPrinted), linted, True, "every")
    assert "\x1b[1m" in ours and "\x1b[35m" not in ours
