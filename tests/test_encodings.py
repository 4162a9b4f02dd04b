"""Every reader and every encoding: UTF-8 with or without BOM and UTF-16 (LE/BE) with BOM read
the same and point at the same line and column; Latin-1 is a clear error naming the line, or
read with --encoding; invalid bytes are an error with their line; binary files are skipped
with a one-line message; the other inputs are always linted."""

import codecs
import json

import pytest

TEXT = "Café ✓ — please visit our website."
LATIN1_TEXT = "Café - please visit our website."

#: A small valid document per reader, around the reply text.
SAMPLES = {
    "json": ("a.json", '{{"id": "c", "turns": [{{"speaker": "agent", "text": "{t}"}}]}}'),
    "jsonl": ("a.jsonl", '{{"id": "c", "turns": [{{"speaker": "agent", "text": "{t}"}}]}}\n'),
    "chat": ("a.log", "Customer: Café?\nAgent: {t}\n"),
    "canned": ("a.md", "---\ntitle: Café\n---\n{t}\n"),
    "csv": ("a.csv", "conversation_id,speaker,text\n1,agent,{t}\n"),
    "eml": (
        "a.eml",
        "From: Sam <sam@acme.com>\nTo: ann@example.com\nSubject: Café\nMessage-ID: <1@x>\nContent-Type: text/plain; charset=utf-8\n\n{t}\n",
    ),
    "mbox": (
        "a.mbox",
        "From sam@acme.com Mon Jan  1 00:00:00 2024\nFrom: Sam <sam@acme.com>\nTo: ann@example.com\nSubject: Café\nMessage-ID: <1@x>\nContent-Type: text/plain; charset=utf-8\n\n{t}\n",
    ),
    "yaml": ("a.yaml", "- title: Café\n  body: {t}\n"),
    "html": ("a.html", "<html><title>Café</title><p>{t}</p></html>\n"),
}
#: E-mail declares its charsets in MIME headers: --encoding does not apply to it.
TEXT_READERS = sorted(set(SAMPLES) - {"eml", "mbox"})

ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16-le with BOM": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be with BOM": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
}


def lint(run_cli, *args):
    result = run_cli(
        "check",
        "--no-config",
        "--select",
        "runaround",
        "--fail-on",
        "info",
        "--speaker",
        "sam@acme.com=agent",
        "-f",
        "json",
        *args,
    )
    return result, json.loads(result.stdout)


def test_every_reader_has_a_sample():
    from cslint.readers import READERS

    assert set(SAMPLES) == set(READERS)


@pytest.mark.parametrize("reader", sorted(SAMPLES))
def test_unicode_encodings_read_alike(tmp_path, run_cli, reader):
    name, template = SAMPLES[reader]
    for label, encode in ENCODINGS.items():
        folder = tmp_path / label.replace(" ", "-")
        folder.mkdir()
        (folder / name).write_bytes(encode(template.format(t=TEXT)))
    result, document = lint(run_cli, tmp_path)
    assert result.exit_code == 1 and not document["errors"], result.output
    where = {f["path"]: (f["line"], f["column"], f["text"]) for f in document["findings"]}
    assert len(where) == len(ENCODINGS), where
    # A BOM or UTF-16 changes no line or column (columns count characters).
    assert len(set(where.values())) == 1, where


@pytest.mark.parametrize("reader", TEXT_READERS)
def test_latin1_is_a_clear_error_or_read_with_encoding(tmp_path, run_cli, reader):
    name, template = SAMPLES[reader]
    path = tmp_path / name
    path.write_bytes(template.format(t=LATIN1_TEXT).encode("latin-1"))
    (tmp_path / "ok.md").write_text("Please visit our website.\n", encoding="utf-8")
    result, document = lint(run_cli, path, tmp_path / "ok.md")
    assert result.exit_code == 2
    [error] = document["errors"]
    assert (
        error["path"] == str(path)
        and "0xe9" in error["message"]
        and "--encoding" in error["message"]
        and error["line"] >= 1
    )
    assert [f["path"] for f in document["findings"]] == [str(tmp_path / "ok.md")]  # the other input is linted
    result, document = lint(run_cli, "--encoding", "latin-1", path)
    assert result.exit_code == 1 and not document["errors"], result.output
    [finding] = document["findings"]
    assert finding["text"] == "visit our website"


@pytest.mark.parametrize("reader", TEXT_READERS)
def test_invalid_bytes_are_reported_with_their_line(tmp_path, run_cli, reader):
    name, template = SAMPLES[reader]
    data = template.format(t=TEXT).encode("utf-8")
    first_break = data.index(b"\n") + 1 if reader not in ("json", "html") else len(data) - 1
    path = tmp_path / name
    path.write_bytes(data[:first_break] + b"\xc3\x28 " + data[first_break:])
    result, document = lint(run_cli, path)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert any(
        "not valid" in e["message"] and e.get("line") == data[:first_break].count(b"\n") + 1 for e in document["errors"]
    ), document["errors"]


def test_unknown_encoding_is_a_usage_error(tmp_path, run_cli):
    (tmp_path / "a.md").write_text("hi\n")
    result = run_cli("check", "--encoding", "klingon", tmp_path / "a.md")
    assert result.exit_code == 2 and "unknown encoding 'klingon'" in result.output


@pytest.mark.parametrize("reader", sorted(SAMPLES))
def test_binary_files_are_skipped_with_one_line(tmp_path, run_cli, reader):
    name, _ = SAMPLES[reader]
    (tmp_path / name).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (tmp_path / "ok.md").write_text("Please visit our website.\n", encoding="utf-8")
    result, document = lint(run_cli, tmp_path)
    [error] = document["errors"]
    assert "binary" in error["message"] and error["path"].endswith(name)
    assert [f["path"] for f in document["findings"]] == [str(tmp_path / "ok.md")]
    assert result.exit_code == 2
