"""Pathological inputs finish in linear time.

Each case is an input shape that once made a backtracking regular expression, a quadratic
loop or an alias expansion run for minutes or hours (the time it took before the fix is
noted); each now takes a fraction of a second. The limit is generous so that a slow CI
machine does not fail, yet orders of magnitude below the old behaviour.
"""

import json
import time
from pathlib import Path

import pytest
from helpers import write_rule

from cslint.model import Conversation, InputError, Turn
from cslint.readers import ReadOptions, Source, read_source

LIMIT_SECONDS = 5.0


def read_timed(path: Path, input_format: str | None = None):
    started = time.perf_counter()
    results = list(read_source(Source(str(path)), ReadOptions(input_format=input_format)))
    elapsed = time.perf_counter() - started
    assert elapsed < LIMIT_SECONDS, f"{path.name}: {elapsed:.1f}s"
    return results


def eml(subject: str = "Hello", body: str = "Thanks for writing.") -> str:
    return f"From: Ann <ann@example.com>\nTo: support@acme.com\nSubject: {subject}\nMessage-ID: <1@x>\n\n{body}\n"


CASES = {
    # chat line regex: indent and label shared a run of blanks (20,000 spaces: 18 s).
    "chat-line-of-spaces": ("c.log", "Agent: hi\n" + " " * 200_000 + "\n\t\t" + "\t" * 200_000 + "x\n"),
    # e-mail closing pattern: "Best regards" + spaces, without a line end (20,000: 13 s).
    "mail-closing-with-spaces": ("m.eml", eml(body="Thanks.\nBest regards" + " " * 300_000 + "x")),
    # mailparser_reply's attribution pattern ("On ... wrote:") on one long line (quadratic).
    "mail-attribution-without-wrote": ("m.eml", eml(body="On " + "a " * 150_000)),
    # the standard library's header parser is quadratic: a 1 MB Subject took most of an hour.
    "mail-huge-subject": ("m.eml", eml(subject="Sent from my " * 150_000)),
    "mail-huge-references": ("m.eml", "References: " + "<a@b> " * 400_000 + "\n" + eml()),
    # csv.Sniffer's quote regex on a first row of 20,000 quoted commas: 11 s.
    "csv-quoted-commas": ("t.csv", "conversation_id,speaker,text\n1,agent," + json.dumps("," * 300_000) + "\n"),
    # Markdown heading and separator titles: lazy title + optional closing run (20,000: 3 s).
    "markdown-heading-closing-run": ("r.md", "# " + " #" * 200_000 + "x\n\nbody\n"),
    "markdown-separator-run": ("r.md", "--- " + " -" * 200_000 + "x\n\nbody\n"),
    # list.pop(0) per leading blank line of a section (300,000 lines: 3 s).
    "markdown-blank-lines": ("r.md", "## A\n" + "\n" * 1_000_000 + "text\n## B\nmore text\n"),
    # html.parser rescans to the end for every "<" that no ">" follows (60 KB: 0.5 s).
    "html-unclosed-tags": ("r.html", "<p>Hello</p>" + "<title" * 200_000),
    "html-unclosed-comments": ("r.html", "<p>Hello</p>" + "<!-- cslint-disable " * 50_000),
    "html-in-mail": ("m.eml", "Content-Type: text/html\n" + eml(body="<p>Hi</p>" + "</a" * 300_000)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_pathological_input_reads_in_linear_time(tmp_path, name):
    file_name, text = CASES[name]
    path = tmp_path / file_name
    path.write_text(text, encoding="utf-8")
    results = read_timed(path)
    assert results and all(isinstance(r, (Conversation, InputError)) for r in results)


def test_many_markdown_headings_are_split_in_linear_time():
    from cslint.readers.savedreplies import _heading_sections

    # Each heading copied the rest of the list to find where its section ends.
    count = 300_000
    lines = [line for i in range(count) for line in (f"## Reply {i}", "text")]
    headings = [(2 * i, 2, f"Reply {i}") for i in range(count)]
    started = time.perf_counter()
    sections = _heading_sections(lines, headings)
    assert time.perf_counter() - started < LIMIT_SECONDS
    assert len(sections) == count and sections[1] == ("Reply 1", 3, 4)


def test_markdown_collection_sections_are_unchanged_by_the_linear_scan(tmp_path):
    path = tmp_path / "r.md"
    path.write_text(
        "# Replies\n\nintro\n\n## One ##\n\nFirst.\n\n### detail\nmore\n\n## Two\n\n\nSecond.\n\n## Empty\n",
        encoding="utf-8",
    )
    conversations = [c for c in read_timed(path) if isinstance(c, Conversation)]
    assert [(c.title, c.turns[0].text) for c in conversations] == [
        ("One", "First.\n\n### detail\nmore"),
        ("Two", "Second."),
    ]


def test_unclosed_html_tags_are_kept_as_text_at_their_offsets(tmp_path):
    from cslint.readers._support.htmltext import html_to_text

    converted = html_to_text("<p>Hi</p> a < b and <c")
    assert converted.text == "Hi\n\na < b and <c"
    assert converted.raw_offset(converted.text.index("<c")) == len("<p>Hi</p> a < b and ")


def test_html_title_of_a_reply(tmp_path):
    from cslint.readers.canned import html_title

    assert html_title("<html><head><TITLE lang=en>Refund\n policy</title></head>") == "Refund\n policy"
    assert html_title("<titles>x</titles><title>Real</title>") == "Real"
    assert html_title("<title" * 1000) is None


def test_yaml_bomb_in_markdown_front_matter_is_an_error(tmp_path):
    # yaml.safe_load shares aliased nodes, so the document loads; reading the title then
    # expanded 9**10 items and ran out of memory.
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(9):
        lines.append(f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]")
    lines += ["title: *j", "---", "Please visit our website."]
    path = tmp_path / "bomb.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [error] = read_timed(path)
    assert isinstance(error, InputError) and "aliases" in error.message and error.line == 2  # the aliased anchor


def test_dates_in_yaml_are_kept_as_written(tmp_path):
    # Implicit YAML timestamps were rejected as a disallowed tag.
    (tmp_path / "r.md").write_text(
        "---\ntitle: Refund\ndate: 2024-03-01\n---\nPlease visit our website.\n", encoding="utf-8"
    )
    (tmp_path / "r.yaml").write_text(
        "- title: Refund\n  created: 2024-03-01 10:00:00\n  body: Please visit our website.\n", encoding="utf-8"
    )
    for name in ("r.md", "r.yaml"):
        [conversation] = read_timed(tmp_path / name)
        assert isinstance(conversation, Conversation), conversation
    [reply] = read_timed(tmp_path / "r.md")
    assert reply.meta["date"] == "2024-03-01"


def test_durations_and_times_parse_in_linear_time():
    from cslint.engine.views.times import parse_duration, parse_time

    started = time.perf_counter()
    # Five optional parts separated by free-standing \s*: 200 spaces took 17 s, 1,000 hours.
    assert parse_duration(" " * 100_000 + "x") is None
    # Quadratic: 20,000 spaces took 1 s, a 1 MB time field 40 minutes.
    assert parse_time("1:00" + " " * 1_000_000 + "x") is None
    assert time.perf_counter() - started < LIMIT_SECONDS
    assert [parse_duration(v) for v in ("5m", " 1h 30 min ", "2D", "90s", "", "soon")] == [
        300,
        5400,
        172800,
        90,
        None,
        None,
    ]
    assert [parse_time(v) for v in ("10:02", " 9:05:03 PM ", "2024-03-01T10:00:00Z")] == [
        ("day", 36120),
        ("day", 75903),
        ("abs", 1709287200.0),
    ]


def test_long_time_fields_in_a_conversation_do_not_hang_the_linter(builtin_linter):
    waiting = "10:00" + " " * 1_000_000 + "x"
    conversation = Conversation(
        "c",
        "p",
        [Turn("customer", "Hello?", time=waiting), Turn("agent", "Sorry for the wait!", time="10:30")],
        channel="chat",
    )
    started = time.perf_counter()
    builtin_linter.lint_one(conversation)
    assert time.perf_counter() - started < LIMIT_SECONDS


def test_pathological_duration_in_a_rule_file_is_reported_quickly(tmp_path):
    from cslint.errors import RuleError
    from cslint.ruleset.loader import load_rule_file

    detect = '  - kind: reply\n    max_gap: {chat: "' + " " * 100_000 + 'x"}'
    path = write_rule(tmp_path, "slow", detect=detect, flag="x", extra="")
    started = time.perf_counter()
    with pytest.raises(RuleError, match="not a duration|does not match"):
        load_rule_file(path, "custom")
    assert time.perf_counter() - started < LIMIT_SECONDS


# -- the engine, with the built-in rules ---------------------------------------------------

ENGINE_CASES = {
    # spaCy's tokenizer peels punctuation off one character at a time (4,000 "!": 1.5 s).
    "punctuation-run": "Thanks" + "!" * 40_000,
    # Matcher wildcards over a run-on sentence (8,000 repetitions: 3 s, quadratic).
    "pattern-anchor-repeated": "unfortunately " * 30_000,
    # One regex search of the whole conversation per use of a term (2,000 uses: 6 s).
    "jargon-term-repeated": "asins (" * 10_000,
    # Unclosed suppression comments, each scanned to the end (1,000: 2.5 s).
    "unclosed-suppressions": "<!-- cslint-disable runaround " * 3_000,
}


@pytest.mark.parametrize("name", sorted(ENGINE_CASES))
def test_pathological_turns_lint_in_linear_time(builtin_linter, name):
    from cslint.suppression import Suppressor

    text = ENGINE_CASES[name]
    conversation = Conversation(
        "c", "p.md", [Turn("customer", "Hello (hi)"), Turn("agent", text), Turn("agent", text)], channel="chat"
    )
    started = time.perf_counter()
    findings = builtin_linter.lint_one(conversation)
    Suppressor([r.id for r in builtin_linter.rules]).apply(conversation, findings)
    assert time.perf_counter() - started < LIMIT_SECONDS


def test_many_line_break_sentences_in_linear_time():
    from cslint.engine.nlp import build_pipeline

    # Setting each line-break sentence start checked the whole document (20,000 lines: 8 s).
    nlp = build_pipeline(lemmas=False)
    started = time.perf_counter()
    doc = nlp("Hi\n" + "-- \n" * 150_000 + "Bye")
    assert time.perf_counter() - started < LIMIT_SECONDS
    assert len(list(doc.sents)) == 150_002


def test_many_similar_replies_lint_in_linear_time(builtin_linter):
    import random

    # Every reply compared with every earlier one by SequenceMatcher: 2,000 took 43 s.
    words = "thanks for reaching out we are looking into the delivery of your parcel today".split()
    rnd = random.Random(0)
    turns = []
    for _ in range(3000):
        rnd.shuffle(words)
        turns.append(Turn("agent", " ".join(words) + "."))
    turns.append(Turn("agent", turns[0].text))  # an exact repeat, far back: still found
    started = time.perf_counter()
    findings = builtin_linter.lint_one(Conversation("c", "p", turns, channel="chat"))
    assert time.perf_counter() - started < LIMIT_SECONDS
    assert [f.turn for f in findings if f.rule == "robotism" and "Repeats the text of turn 0" in f.message] == [3000]


@pytest.mark.parametrize(
    "turns, term, expected",
    [
        (["We sent an RMA (return authorisation) today."], "RMA", True),
        (["Send the return authorisation (RMA) form."], "rma", True),
        (["Send the return authorisation ( RMA ) form."], "RMA", True),
        (["xRMA (return authorisation)"], "RMA", False),  # inside a word
        (["RMA (ok)"], "RMA", False),  # too short to be an explanation
        (["RMA (return authorisation)", "later"], "RMA", True),
        (["later", "RMA (return authorisation)"], "RMA", False),  # defined after turn 0 only
        (["no definition here: RMA, RMA and RMA"], "RMA", False),
    ],
)
def test_definitions_are_found_as_before(turns, term, expected):
    from cslint.engine.views import ConversationView

    conversation = ConversationView(Conversation("c", "p", [Turn("agent", t) for t in turns]), [None] * len(turns))
    assert conversation.is_defined(0, term) is expected
    assert conversation.is_defined(0, term, strict_start=True) is expected


def test_hostile_globs_and_gitignore_match_in_linear_time(tmp_path):
    """Config globs and .gitignore patterns come from anyone's repository: matched on RE2
    (pathspec's backtracking backend took minutes on this pattern and a 60-character name)."""
    from cslint.globs import glob_matches
    from cslint.readers import collect_inputs

    hostile = "*a" * 12 + "*b"
    started = time.perf_counter()
    assert glob_matches(hostile, "a" * 5000) is False
    (tmp_path / ".gitignore").write_text(hostile + "\n")
    (tmp_path / ("a" * 200 + ".md")).write_text("hi")
    assert len(collect_inputs([str(tmp_path)]).sources) == 1
    assert time.perf_counter() - started < LIMIT_SECONDS
