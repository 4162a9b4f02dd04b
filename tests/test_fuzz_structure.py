"""Structurally odd inputs of every format: real-shaped helpdesk exports, saved replies,
e-mails and CSV files with fields missing, of the wrong type, empty or huge. Each gives
conversations or one-line errors naming the file — never an exception, never a lost sibling.
"""

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz import assert_well_formed, read_all

from cslint.model import Conversation

FIXTURES = Path(__file__).parent / "fixtures"
JSON_FIXTURES = sorted(p.name for p in (FIXTURES / "helpdesk").glob("*.json")) + [
    "canned/" + p.name for p in (FIXTURES / "canned").glob("*.json")
]

odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.just(""),
    st.just("x" * 100_000),  # a huge single field
    st.just([]),
    st.just({}),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)


@st.composite
def mutated(draw, value, depth=0):
    """``value`` with some of its parts replaced by odd values, dropped, emptied or repeated."""
    choice = draw(st.integers(0, 9))
    if choice == 0:
        return draw(odd_values)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            action = draw(st.integers(0, 9))
            if action == 0:
                continue  # a missing field
            out[key] = draw(mutated(item, depth + 1)) if action < 5 else item
        return out
    if isinstance(value, list):
        items = [draw(mutated(item, depth + 1)) for item in value]
        action = draw(st.integers(0, 5))
        if action == 0:
            return []  # zero turns / comments / parts
        if action == 1 and items:
            return items + items  # repeated records
        return items
    return value


def fixture_document(name: str):
    folder = FIXTURES if "/" in name else FIXTURES / "helpdesk"
    return json.loads((folder / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", JSON_FIXTURES)
@given(data=st.data())
def test_odd_helpdesk_exports_and_macro_collections(name, data):
    document = data.draw(mutated(fixture_document(name)))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        assert_well_formed(read_all(path), path)
        jsonl = Path(folder) / "export.jsonl"
        jsonl.write_text(json.dumps(document) + "\n" + json.dumps(fixture_document(name)) + "\n", encoding="utf-8")
        results = read_all(jsonl)
        assert_well_formed(results, jsonl)
        # One odd record never hides the intact one after it.
        assert any(isinstance(r, Conversation) for r in results) or name.startswith("canned/")


@given(document=st.data())
def test_odd_saved_reply_yaml(document):
    import yaml

    base = yaml.safe_load((FIXTURES / "canned" / "saved_replies.yaml").read_text(encoding="utf-8"))
    value = document.draw(mutated(base))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "replies.yaml"
        path.write_text(yaml.safe_dump(value, allow_unicode=True), encoding="utf-8")
        assert_well_formed(read_all(path), path)


# -- e-mail ------------------------------------------------------------------------------

header_names = st.sampled_from(
    [
        "From",
        "To",
        "Cc",
        "Subject",
        "Date",
        "Message-ID",
        "In-Reply-To",
        "References",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Auto-Submitted",
        "MIME-Version",
        "X-Odd",
    ]
)
header_values = st.one_of(
    st.text(alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=40),
    st.sampled_from(
        [
            "",
            "<>",
            "<<a@b>>",
            "=?utf-8?q?=E2=9C=93?=",
            "=?bogus-charset?b?!!!?=",
            '"Ann" <ann@example.com>',
            "@@@",
            ",,,",
            "multipart/alternative",
            "multipart/mixed; boundary=",
            'multipart/mixed; boundary="b"',
            'text/html; charset="no-such-charset"',
            "text/plain; charset=utf-16",
            "base64",
            "quoted-printable",
            "x-uuencode",
            "Mon, 99 Foo 20245 99:99:99 +9999",
            "yes",
        ]
    ),
)
bodies = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        [
            "--b\nContent-Type: text/plain\n\nHi, please visit our website.\n--b--\n",
            "--b\n\n--b\nContent-Type: text/html\n\n<p>Hi<\n",
            "=E2=9C=93 soft=\nbreak=\n=ZZ\n",
            "!!!not base64!!!\n",
            "SGVsbG8sIHBsZWFzZSB2aXNpdCBvdXIgd2Vic2l0ZS4=\n",
            "> quoted\nOn Mon, Ann wrote:\n> more\n-- \nsig\n",
            "",
        ]
    ),
)


@st.composite
def emails(draw):
    headers = draw(st.lists(st.tuples(header_names, header_values), max_size=8))
    lines = [f"{name}: {value}" for name, value in headers]
    return "\n".join(lines) + "\n\n" + draw(bodies)


@given(messages=st.lists(emails(), min_size=1, max_size=3))
def test_odd_emails_and_mailboxes(messages):
    with tempfile.TemporaryDirectory() as folder:
        eml = Path(folder) / "m.eml"
        eml.write_text(messages[0], encoding="utf-8")
        assert_well_formed(read_all(eml), eml)
        mbox = Path(folder) / "m.mbox"
        mbox.write_text(
            "".join(f"From sender@example.com Mon Jan  1 00:00:00 2024\n{m}\n" for m in messages), encoding="utf-8"
        )
        assert_well_formed(read_all(mbox), mbox)


# -- CSV -----------------------------------------------------------------------------------

column_names = st.sampled_from(
    [
        "conversation_id",
        "ticket_id",
        "speaker",
        "role",
        "author",
        "inbound",
        "is_agent",
        "text",
        "message",
        "body",
        "time",
        "created_at",
        "tweet_id",
        "in_response_to_tweet_id",
        "message_id",
        "in_reply_to",
        "instruction",
        "response",
        "title",
        "name",
        "",
        "x",
    ]
)
cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "agent",
            "customer",
            "bot",
            "true",
            "false",
            "",
            "T1",
            "1",
            "2",
            "Please visit our website.",
            "x" * 50_000,
            "a\nb",
            '"',
            "\r",
            "From: a@b.c\nSubject: x\nDate: y\n\nbody",
        ]
    ),
)


@st.composite
def csv_files(draw):
    import csv
    import io

    header = draw(st.lists(column_names, min_size=1, max_size=5))
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=len(header) + 2), max_size=5))  # missing and extra fields
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@given(text=csv_files())
def test_odd_csv_exports(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_text(text, encoding="utf-8")
        assert_well_formed(read_all(path), path)


# -- fixed cases ---------------------------------------------------------------------------

ODD_FILES = {
    "zero-turn native": ("z.json", '{"id": "z", "turns": []}'),
    "turn without text": (
        "t.json",
        '{"id": "t", "turns": [{"speaker": "agent"}, {"speaker": "agent", "text": null}, {"speaker": "agent", "text": 7}]}',
    ),
    "zendesk without comments": ("z.json", '{"ticket": {"id": 1, "requester_id": 7}, "comments": []}'),
    "zendesk comment of wrong type": (
        "z.json",
        '{"ticket": {"id": 1, "requester_id": 7}, "comments": ["hi", 3, null, {"author_id": 7}]}',
    ),
    "intercom parts not a list": (
        "i.json",
        '{"source": {"body": "<p>hi</p>", "author": {"type": "user"}}, "conversation_parts": {"conversation_parts": 5}}',
    ),
    "helpscout threads null": ("h.json", '{"_embedded": {"threads": null}}'),
    "front messages empty": ("f.json", '{"_results": []}'),
    "freshdesk ticket without conversations": ("d.json", '{"id": 9, "description_text": "x", "conversations": {}}'),
    "macros without actions": (
        "m.json",
        '{"macros": [{"title": "a"}, {"title": 5, "actions": "x"}, {"actions": [{"field": "comment_value", "value": ["channel:all"]}]}]}',
    ),
    "huge single field": (
        "h.json",
        json.dumps(
            {"id": "h", "turns": [{"speaker": "agent", "text": "Please visit our website. " + "x" * 2_000_000}]}
        ),
    ),
    "csv header only": ("c.csv", "conversation_id,speaker,text\n"),
    "csv ragged rows": (
        "c.csv",
        "conversation_id,speaker,text\n1,agent\n1,agent,Please visit our website.,extra,more\n,,\n",
    ),
    "eml headers only": ("m.eml", "From: a@b.c\nSubject: hi\n"),
    "eml multipart without parts": (
        "m.eml",
        'From: a@b.c\nSubject: hi\nContent-Type: multipart/mixed; boundary="zz"\n\nno parts here\n',
    ),
    "mbox of separators": ("m.mbox", "From x\nFrom y\n\nFrom z\n"),
    "yaml scalar": ("r.yaml", "just text\n"),
    "chat without labels": ("c.log", "hello\nworld\n"),
    "html without text": ("r.html", "<html><script>x</script></html>"),
}


@pytest.mark.parametrize("case", sorted(ODD_FILES))
def test_structurally_odd_files(tmp_path, case, run_cli):
    name, text = ODD_FILES[case]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    results = read_all(path)
    assert_well_formed(results, path)
    assert results, "an input must give a conversation or an error, never nothing"
    (tmp_path / "ok.md").write_text("Please visit our website.\n", encoding="utf-8")
    result = run_cli("check", "--no-config", "-f", "json", path, tmp_path / "ok.md")
    document = json.loads(result.stdout)
    assert any(f["path"].endswith("ok.md") for f in document["findings"]), "a sibling input was lost"
    assert "Traceback" not in result.output and "internal error" not in result.output
