"""Machine formats for CI: SARIF (validated against the official schema), JUnit XML (parsed),
GitHub annotations (escaping), Markdown (no injection), and --output."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from cslint.cli import FORMATS
from cslint.reporters import REPORTERS
from cslint.reporters.github import annotation, escape_data, escape_property
from cslint.reporters.markdown import escape_markdown

FIXTURES = Path(__file__).parent / "fixtures"
RUNAROUND = "please visit our website"


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    """A folder with findings, a suppression, a clean file and an unreadable input."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "replies").mkdir()
    (tmp_path / "replies" / "sizes & <fits>.md").write_text(f"---\ntitle: Sizes\n---\nHi @team, {RUNAROUND}.\n")
    (tmp_path / "replies" / "ok.md").write_text("Your refund was issued today.\n")
    (tmp_path / "replies" / "quiet.md").write_text(f"<!-- cslint-disable runaround -- approved -->\n{RUNAROUND}.\n")
    conversations = [
        {
            "id": "c-1",
            "turns": [
                {"speaker": "customer", "text": "Help"},
                {"speaker": "agent", "name": "Sam", "text": f"Just {RUNAROUND}, 100% sure: it's there,\nreally."},
            ],
        },
        {"id": "c-2", "turns": [{"speaker": "agent", "text": "Done."}]},
    ]
    (tmp_path / "replies" / "chats.json").write_text(json.dumps(conversations))
    (tmp_path / "replies" / "broken.json").write_text("{nope")
    return tmp_path


def run(run_cli, *args):
    return run_cli("check", "--no-config", "--select", "runaround", "replies", *args)


def test_formats_match_the_reporter_registry():
    assert set(FORMATS) == set(REPORTERS)


def test_sarif_validates_against_the_official_schema(corpus, run_cli):
    result = run(run_cli, "-f", "sarif")
    assert result.exit_code == 2  # broken.json
    document = json.loads(result.stdout)
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(document, schema, cls=jsonschema.Draft4Validator, format_checker=jsonschema.FormatChecker())
    run_ = document["runs"][0]
    assert [r["id"] for r in run_["tool"]["driver"]["rules"]] == ["runaround"]
    results = run_["results"]
    active = [r for r in results if "suppressions" not in r]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in active} == {
        "replies/sizes%20%26%20%3Cfits%3E.md",
        "replies/chats.json",
    }
    assert all(r["ruleId"] == "runaround" and r["level"] == "note" and r["ruleIndex"] == 0 for r in results)
    suppressed = [r for r in results if "suppressions" in r]
    assert suppressed[0]["suppressions"] == [{"kind": "inSource", "status": "accepted", "justification": "approved"}]
    notes = run_["invocations"][0]["toolExecutionNotifications"]
    assert run_["invocations"][0]["executionSuccessful"] is False
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "replies/broken.json"
    assert len({r["partialFingerprints"]["cslintFinding/v1"] for r in results}) == len(results)


def test_junit_is_parseable_with_a_case_per_conversation(corpus, run_cli):
    result = run(run_cli, "-f", "junit")
    root = ET.fromstring(result.stdout)
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    chats = suites["replies/chats.json"]
    assert [c.get("name") for c in chats.findall("testcase")] == ["c-1", "c-2"]
    failure = chats.find("testcase/failure")
    assert failure.get("type") == "runaround"
    assert "replies/chats.json:1:" in failure.get("message")
    assert chats.findall("testcase")[1].find("failure") is None
    assert suites["replies/sizes & <fits>.md"].find("testcase").get("name") == "sizes & <fits> — Sizes"
    assert suites["replies/broken.json"].find("testcase/error") is not None
    assert root.get("tests") == "6" and root.get("failures") == "2" and root.get("errors") == "1"


def test_junit_survives_control_characters(tmp_path, run_cli):
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"id": "c\u0001", "turns": [{"speaker": "agent", "text": f"\u0007 {RUNAROUND}"}]}))
    result = run_cli("check", "--no-config", "--select", "runaround", "--fail-on", "info", "-f", "junit", path)
    ET.fromstring(result.stdout)


def test_github_annotations(corpus, run_cli):
    result = run(run_cli, "-f", "github")
    lines = result.stdout.splitlines()
    chat = next(line for line in lines if "chats.json" in line and line.startswith("::notice"))
    assert chat.startswith("::notice file=replies/chats.json,line=1,col=")
    assert ",title=cslint runaround::" in chat
    # the message keeps ':' and ',' (escaped only in properties) and encodes line breaks
    assert "instead of helping here.%0A“visit our website” (conversation c-1, turn 1)%0AFix: " in chat
    assert "(website, link, form, phone line, store)" in chat
    assert any(line.startswith("::error file=replies/broken.json,line=1,title=cslint input error::") for line in lines)
    assert sum(line.startswith("::") for line in lines) == 3


def test_github_annotation_properties_are_escaped(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("50%, v2: final.md").write_text(f"Hi, {RUNAROUND}.\n")
    result = run_cli(
        "check", "--no-config", "--select", "runaround", "--fail-on", "info", "-f", "github", "50%, v2: final.md"
    )
    assert result.stdout.startswith("::notice file=50%25%2C v2%3A final.md,line=1,col=12,title=cslint runaround::")


def test_github_escaping_rules():
    assert escape_data("50% off\r\nnow") == "50%25 off%0D%0Anow"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    assert annotation("notice", "m:1,2", file="x,y:z.md", line=3) == "::notice file=x%2Cy%3Az.md,line=3::m:1,2"


def test_markdown_summary_escapes_transcript_text(corpus, run_cli):
    result = run(run_cli, "-f", "markdown")
    text = result.stdout
    assert text.startswith("### ❌ cslint: 2 findings")
    assert "| runaround | info | 2 |" in text
    assert "<fits>" not in text and "&lt;fits&gt;" in text
    assert "@team" not in text
    assert "**Inputs that could not be read**" in text


def test_markdown_escapes_paths_and_mentions(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("@ann <b>.md").write_text(f"Hi, {RUNAROUND}.\n")
    text = run_cli(
        "check", "--no-config", "--select", "runaround", "--fail-on", "info", "-f", "markdown", "@ann <b>.md"
    ).stdout
    assert "| &#64;ann &lt;b&gt;.md:1:12 | runaround | info | visit our website |" in text
    assert "@ann" not in text and "<b>" not in text


def test_markdown_escaping():
    hostile = "<img src=x onerror=alert(1)> | [link](http://x) `code` *b* @here\n# h"
    escaped = escape_markdown(hostile)
    assert "<" not in escaped and ">" not in escaped and "@here" not in escaped
    assert "\n" not in escaped and "\\|" in escaped and "\\[link\\]" in escaped and "\\`code\\`" in escaped
    assert escape_markdown("x" * 500, 20) == "x" * 19 + "…"


def test_output_writes_the_format_to_a_file_and_the_summary_to_the_terminal(corpus, run_cli):
    result = run(run_cli, "-f", "sarif", "--output", "report.sarif")
    assert result.exit_code == 2
    assert json.loads((corpus / "report.sarif").read_text())["version"] == "2.1.0"
    # As ruff does: the report is in the file, the terminal gets one summary line.
    assert result.stdout.startswith("2 findings (2 infos)") and len(result.stdout.splitlines()) == 1
    assert not list(corpus.glob(".report.sarif.*"))


def test_output_to_an_unwritable_place_is_an_error(corpus, run_cli):
    result = run(run_cli, "-f", "json", "--output", corpus / "no" / "such" / "dir" / "r.json")
    assert result.exit_code == 2 and "cannot write output" in result.stderr
