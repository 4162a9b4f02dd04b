"""Every reporter stays well-formed whatever the transcript says.

Findings quote transcript text (and carry ids, titles, agent names and file names from the
input), so each output format is fed hostile text: control characters, lone surrogates,
``</script>``, ``<img onerror>``, ``]]>``, ``%0A``, ``::``, Markdown and HTML injection. The output
is written the way the CLI writes it (UTF-8, lone surrogates as ``\\udcff`` escapes) and then:
JSON and SARIF must parse as JSON (SARIF also against its schema), JUnit must parse as XML 1.0,
Markdown must escape every cell, GitHub annotations and line output must stay one line per
finding, and terminal text must hold no control character.
"""

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cslint.model import Conversation, Finding, InputError, Severity, Turn
from cslint.reporters import REPORTERS
from cslint.results import CheckResults
from cslint.suppression import Suppressed

FIXTURES = Path(__file__).parent / "fixtures"
SARIF_SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text())

HOSTILE = [
    "</script><script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "]]><![CDATA[",
    "%0A::error file=x::forged",
    "::warning::",
    "\r\n::set-output name=x::y",
    "\x1b[2J\x1b]0;owned\x07",
    "| --- | --- |\n| a | b |",
    "[click](javascript:alert(1)) ![x](http://e/x.png)",
    "@everyone @here #123",
    "<!-- -->",
    "&amp; &lt; &#0;",
    "`code` **bold** _it_ ~~s~~",
    "\x00\x01\x08\x0b\x0c\x0e\x1f\x7f\x85\x9f",
    "\ud800 \udfff \udcff",
    "\u2028\u2029\ufeff\ufffe\uffff",
    "${{ secrets.TOKEN }}",
    "\\",
    "",
]

hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=st.characters(blacklist_categories=()), max_size=40),  # surrogates included
    st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=3).map("".join),
)
paths = st.one_of(
    st.sampled_from(
        [
            "replies/a.md",
            "a b/<c>&d.json",
            "x:y,z%0A.log",
            os.fsdecode(b"bad\xff\xfe.log"),
            "-",
            "/abs/path.md",
            "new\nline.md",
        ]
    ),
    hostile_text.filter(bool),
)


@st.composite
def findings(draw):
    turn_text = draw(hostile_text)
    start = draw(st.integers(0, len(turn_text)))
    end = draw(st.integers(start, len(turn_text)))
    return Finding(
        rule=draw(st.sampled_from(["runaround", "blame", "weird-rule"])),
        severity=draw(st.sampled_from(list(Severity))),
        path=draw(paths),
        conversation=draw(hostile_text),
        turn=draw(st.integers(0, 5)),
        speaker="agent",
        line=draw(st.integers(0, 10**6)),
        column=draw(st.integers(0, 10**6)),
        start=start,
        end=end,
        text=turn_text[start:end],
        message=draw(hostile_text) or "message",
        fix=draw(hostile_text),
        turn_text=turn_text,
        agent=draw(st.none() | hostile_text),
        title=draw(st.none() | hostile_text),
    )


@st.composite
def runs(draw):
    items = draw(st.lists(findings(), max_size=4))
    errors = [
        InputError(draw(paths), draw(hostile_text) or "bad", draw(st.none() | st.integers(1, 10**6)))
        for _ in range(draw(st.integers(0, 2)))
    ]
    suppressed = [
        Suppressed(f, draw(st.none() | hostile_text), "comment") for f in draw(st.lists(findings(), max_size=2))
    ]
    conversation = Conversation(
        draw(hostile_text), items[0].path if items else "p", [Turn("agent", "x")], title=draw(st.none() | hostile_text)
    )
    return conversation, items, errors, suppressed


def render(name: str, conversation, items, errors, suppressed) -> str:
    """The report as the CLI writes it: UTF-8 with backslash escapes for what cannot be encoded;
    returned decoded (strictly: the bytes must be valid UTF-8)."""
    buffer = io.BytesIO()
    stream = io.TextIOWrapper(buffer, encoding="utf-8", errors="backslashreplace", newline="")
    reporter = REPORTERS[name](stream, color=False)
    result = CheckResults(errors=list(errors), suppressed=list(suppressed), files=1, conversations=1, turns=1)
    result.note_severities(items)
    result.add(items)
    reporter.on_conversation(conversation, items)
    reporter.finish(result)
    stream.flush()
    return buffer.getvalue().decode("utf-8")


CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def check_json(out, items, errors):
    document = json.loads(out)
    assert len(document["findings"]) == len(items) and len(document["errors"]) == len(errors)


def check_sarif(out, items, errors):
    document = json.loads(out)
    jsonschema.validate(document, SARIF_SCHEMA, cls=jsonschema.Draft4Validator)
    run = document["runs"][0]
    assert len([r for r in run["results"] if "suppressions" not in r]) == len(items)
    assert len(run["invocations"][0]["toolExecutionNotifications"]) == len(errors)


def check_junit(out, items, errors):
    root = ET.fromstring(out.encode("utf-8"))  # expat: rejects what XML 1.0 cannot hold
    assert int(root.get("failures")) == len(items) and int(root.get("errors")) == len(errors)


def check_github(out, items, errors):
    lines = out.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == len(items) + len(errors)
    for line in lines[:-1]:
        assert not CONTROL.search(line), repr(line)
        match = re.fullmatch(r"::(warning|error|notice) ([^:]*)::(.*)", line)
        assert match, repr(line)
        keys = [prop.split("=", 1)[0] for prop in match.group(2).split(",")]
        assert set(keys) <= {"file", "line", "col", "title"} and len(keys) == len(set(keys)), keys


def check_gitlab(out, items, errors):
    document = json.loads(out)
    assert len(document) == len(items) + len(errors)
    for issue in document:
        assert list(issue)[:2] == ["type", "engine_name"] and issue["severity"] in ("info", "minor", "major")
        assert isinstance(issue["location"]["lines"]["begin"], int) and issue["fingerprint"]
    assert len({issue["fingerprint"] for issue in document}) == len(document)


def check_rdjson(out, items, errors):
    document = json.loads(out)
    assert document["source"]["name"] == "cslint" and len(document["diagnostics"]) == len(items) + len(errors)
    for diagnostic in document["diagnostics"]:
        assert diagnostic["severity"] in ("INFO", "WARNING", "ERROR") and diagnostic["location"]["range"]["start"]


def check_line(out, items, errors):
    lines = out.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == len(items)
    for line in lines[:-1]:
        assert not CONTROL.search(line), repr(line)
        assert re.fullmatch(r".*:\d+:\d+: (info|warning|error) [\w-]+: .*", line), repr(line)


def check_markdown(out, items, errors):
    assert not CONTROL.search(out.replace("\n", "")), repr(out)
    # Only cslint's own markup: transcript text cannot open a tag, a link or a new row.
    assert set(re.findall(r"</?[a-zA-Z][^>]*>", out)) <= {"<details>", "<summary>", "</summary>", "</details>"}, out
    rows = [line for line in out.split("\n") if line.startswith("| ") and "|" in line[2:]]
    expected = (2 + len({f.rule for f in items}) + 2 + min(len(items), 100)) if items else 0
    assert len(rows) == expected, out
    for row in rows:
        cells = re.split(r"(?<!\\)\|", row)[1:-1]
        assert len(cells) in (3, 6), row
        for cell in cells:
            assert not re.search(
                r"(?<!\\)[\[\]`*_<>@!]", cell.replace("&lt;", "").replace("&gt;", "").replace("&#64;", "")
            ), cell
    assert "](" not in out.replace("\\](", "")


def check_text(out, items, errors):
    assert not CONTROL.search(out.replace("\n", "")), repr(out)
    assert "\x1b" not in out


def check_csv(out, items, errors):
    from cslint.reporters.csvout import FINDING_COLUMNS

    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0] == list(FINDING_COLUMNS) and len(rows) == len(items) + 1
    text_columns = [
        i for i, name in enumerate(FINDING_COLUMNS) if name not in ("line", "column", "turn", "start", "end")
    ]
    for row in rows[1:]:
        assert len(row) == len(FINDING_COLUMNS)
        for i in text_columns:  # no cell a spreadsheet would run as a formula
            assert not row[i].startswith(("=", "+", "-", "@", "\t", "\r")), row[i]


def check_html(out, items, errors):
    # Exactly cslint's two scripts: the data block cannot close its element or open another.
    assert len(re.findall(r"<script\b", out)) == 2 and len(re.findall(r"</script", out, re.I)) == 2
    data = out.split('<script id="report-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data and "&" not in data
    document = json.loads(data)
    assert sum(len(c["findings"]) for c in document["conversations"]) == len(items)
    assert len(document["errors"]) == len(errors)


CHECKS = {
    "csv": check_csv,
    "html": check_html,
    "json": check_json,
    "sarif": check_sarif,
    "junit": check_junit,
    "github": check_github,
    "line": check_line,
    "gitlab": check_gitlab,
    "rdjson": check_rdjson,
    "markdown": check_markdown,
    "text": check_text,
}


def test_every_reporter_is_checked():
    assert set(CHECKS) == set(REPORTERS)


@pytest.mark.parametrize("name", sorted(CHECKS))
@given(run=runs())
def test_reporters_stay_well_formed_on_hostile_text(name, run):
    conversation, items, errors, suppressed = run
    out = render(name, conversation, items, errors, suppressed)
    CHECKS[name](out, items, errors)


# -- end to end, through readers, the linter and the CLI's own output streams -------------


@pytest.fixture
def hostile_inputs(tmp_path, monkeypatch):
    """Inputs whose flagged passages, ids, names and titles carry hostile text, including a
    file name that is not valid UTF-8."""
    monkeypatch.chdir(tmp_path)
    text = " ".join(HOSTILE).replace("\\", "")
    conversations = [
        {
            "id": "c\ud800\x1b[31m</script>",
            "title": "]]> %0A ::",
            "turns": [
                {"speaker": "customer", "text": text},
                {
                    "speaker": "agent",
                    "name": "Sam\x07<img onerror=x>",
                    "text": f"{text} Please visit our website. {text}",
                },
            ],
        }
    ]
    (tmp_path / "chats.json").write_text(json.dumps(conversations), encoding="utf-8")
    name = os.fsdecode(b"reply-\xff\xfe <b>.md")
    (tmp_path / name).write_text(
        '---\ntitle: "\\e[2J | @all"\n---\nPlease visit our website. \x1b[2J\x07 ]]> </script>\n', encoding="utf-8"
    )
    return tmp_path


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_cli_output_on_hostile_inputs(hostile_inputs, run_cli, name):
    result = run_cli("check", "--no-config", "--select", "runaround", "--fail-on", "info", "-f", name, ".")
    assert result.exit_code == 1, result.output
    out = result.stdout_bytes.decode("utf-8")  # valid UTF-8, whatever the file names hold
    if name == "text":
        check_text(out, [], [])
        assert "visit our website" in out and "reply-" in out
    elif name in ("gitlab", "rdjson"):
        CHECKS[name](out, [None, None], [])  # one finding in each file
    elif name in ("json", "sarif"):
        document = json.loads(out)
        if name == "sarif":
            jsonschema.validate(document, SARIF_SCHEMA, cls=jsonschema.Draft4Validator)
            uris = {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]
            }
            assert "reply-%FF%FE%20%3Cb%3E.md" in uris
        else:
            paths = {f["path"] for f in document["findings"]}
            assert os.fsdecode(b"reply-\xff\xfe <b>.md") in paths  # the \udcff escapes read back as the file name
    elif name == "junit":
        ET.fromstring(result.stdout_bytes)
    elif name == "markdown":
        assert "<img" not in out and "</script>" not in out and "\x1b" not in out
    elif name == "html":
        assert "<img" not in out and "<b>" not in out and "\x1b" not in out
        assert len(re.findall(r"</script", out)) == 2
    elif name == "csv":
        rows = list(csv.reader(io.StringIO(out, newline="")))
        assert len(rows) == 3 and not CONTROL.search(out.replace("\n", "").replace("\t", "")), rows
    else:
        lines = out.splitlines()
        assert len(lines) == 2 and not any(CONTROL.search(line) for line in lines), lines


def test_output_file_and_baseline_with_a_file_name_that_is_not_utf8(hostile_inputs, run_cli):
    result = run_cli(
        "check",
        "--no-config",
        "--select",
        "runaround",
        "-f",
        "sarif",
        "--output",
        ".out.sarif",
        "--write-baseline",
        ".base.json",
        ".",
    )
    assert result.exit_code == 0, result.output
    json.loads((hostile_inputs / ".out.sarif").read_bytes().decode("utf-8"))
    again = run_cli(
        "check", "--no-config", "--select", "runaround", "--fail-on", "info", "--baseline", ".base.json", "."
    )
    assert again.exit_code == 0, again.output
