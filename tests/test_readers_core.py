"""The first input formats: native JSON/JSONL, chat logs, canned responses, stdin."""

import json

from cslint.model import Conversation, InputError
from cslint.readers import ReadOptions, Source, collect_inputs, read_source


def read(path, **options):
    return list(read_source(Source(str(path)), ReadOptions(**options)))


def read_stdin(data: bytes, **options):
    return list(read_source(Source("-", data), ReadOptions(**options)))


def test_native_json_positions_survive_escapes(tmp_path):
    text = 'Caf\\u00e9 \\"quoted\\"\\nplease visit our website'
    doc = '{\n  "id": "c1",\n  "turns": [\n    {"speaker": "agent", "text": "' + text + '"}\n  ]\n}\n'
    path = tmp_path / "c.json"
    path.write_text(doc, encoding="utf-8")
    [conv] = read(path)
    turn = conv.turns[0]
    offset = turn.text.index("visit")
    where = turn.source.locate(offset)
    line = doc.splitlines()[where.line - 1]
    assert where.line == 4
    assert line[where.column - 1 :].startswith("visit our website")


def test_native_json_list_and_derived_ids(tmp_path):
    path = tmp_path / "many.json"
    path.write_text(json.dumps([{"turns": [{"role": "user", "content": "hi"}]}, {"id": 7, "turns": []}]))
    convs = read(path)
    assert [c.id for c in convs] == ["many#1", "7"]
    assert convs[0].turns[0].speaker == "customer"


def test_jsonl_bad_line_is_reported_and_rest_is_read(tmp_path):
    path = tmp_path / "c.jsonl"
    good = json.dumps({"id": "a", "turns": [{"speaker": "agent", "text": "hello"}]})
    path.write_text(good + "\n{not json\n" + good.replace('"a"', '"b"') + "\n")
    results = read(path)
    assert [r.id for r in results if isinstance(r, Conversation)] == ["a", "b"]
    [error] = [r for r in results if isinstance(r, InputError)]
    assert error.line == 2 and "invalid JSON" in error.message


def test_jsonl_unknown_speaker_names_conversation_and_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": "x", "turns": [{"speaker": "wizard", "text": "hi"}]}) + "\n")
    [error] = read(path)
    assert isinstance(error, InputError) and error.line == 1
    assert "unknown speaker 'wizard'" in error.message


def test_speaker_option_maps_labels(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": "x", "turns": [{"speaker": "wizard", "text": "hi"}]}) + "\n")
    [conv] = read(path, speaker_labels={"wizard": "agent"})
    assert conv.turns[0].speaker == "agent"


def test_internal_notes_are_not_lintable(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(
        json.dumps(
            {"turns": [{"speaker": "agent", "text": "note", "internal": True}, {"speaker": "agent", "text": "hi"}]}
        )
    )
    [conv] = read(path)
    assert [t.lintable for t in conv.turns] == [False, True]


CHAT = """Transcript of chat 55

[10:02] Customer: My parcel never came.
It was due Monday.
[10:03] Sam (agent): Sorry to hear that!
Note: I can see it left our depot.
10:04 PM Ann (customer): ok
Agent: Thanks
"""


def test_chat_log_turns_names_times_and_continuations(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(CHAT)
    [conv] = read(path)
    assert [(t.speaker, t.name, t.time) for t in conv.turns] == [
        ("customer", None, "10:02"),
        ("agent", "Sam", "10:03"),
        ("customer", "Ann", "10:04 PM"),
        ("agent", None, None),
    ]
    assert conv.turns[0].text == "My parcel never came.\nIt was due Monday."
    assert conv.turns[1].text == "Sorry to hear that!\nNote: I can see it left our depot."
    second_line = conv.turns[1].text.index("Note")
    assert conv.turns[1].source.locate(second_line).line == 6
    assert conv.turns[1].source.locate(0).line == 5
    assert conv.turns[1].source.locate(0).column == len("[10:03] Sam (agent): ") + 1


def test_chat_log_custom_labels(tmp_path):
    path = tmp_path / "chat.log"
    path.write_text("Zed: hello\nBea: hi there\n")
    assert isinstance(read(path)[0], InputError)
    [conv] = read(path, speaker_labels={"zed": "customer", "bea": "agent"})
    assert [t.speaker for t in conv.turns] == ["customer", "agent"]
    assert conv.turns[1].name == "Bea"


def test_canned_markdown_front_matter_title_and_lines(tmp_path):
    path = tmp_path / "reply.md"
    path.write_text("---\ntitle: Refund issued\n---\nHi {{name}},\n\nplease visit our website\n")
    [conv] = read(path)
    assert conv.title == "Refund issued" and conv.channel == "canned"
    turn = conv.turns[0]
    assert turn.speaker == "agent"
    where = turn.source.locate(turn.text.index("visit"))
    assert (where.line, where.column) == (6, 8)


def test_stdin_draft_is_one_agent_turn():
    [conv] = read_stdin(b"Please check our FAQ.\n")
    assert conv.path == "<stdin>" and conv.turns[0].speaker == "agent"


def test_stdin_sniffs_json_and_chat():
    [conv] = read_stdin(json.dumps({"id": "s", "turns": [{"speaker": "customer", "text": "hi"}]}).encode())
    assert conv.id == "s"
    [conv] = read_stdin(b"Customer: hi\nAgent: hello\n")
    assert len(conv.turns) == 2


def test_encodings(tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbfHello there")
    assert read(bom)[0].turns[0].text == "Hello there"
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes("Hello there".encode("utf-16"))
    assert read(utf16)[0].turns[0].text == "Hello there"
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"line one\ncaf\xe9\n")
    [error] = read(latin)
    assert isinstance(error, InputError) and error.line == 2 and "--encoding" in error.message
    assert read(latin, encoding="latin-1")[0].turns[0].text.startswith("line one")


def test_binary_file_is_skipped_with_message(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\x00\x01\x02binary")
    [error] = read(path)
    assert "binary" in error.message


def test_folder_walk_skips_hidden_and_unknown(tmp_path):
    (tmp_path / "a.md").write_text("hi")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.jsonl").write_text("")
    (tmp_path / "c.png").write_bytes(b"x")
    (tmp_path / ".hidden.md").write_text("hi")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "d.md").write_text("hi")
    inputs = collect_inputs([str(tmp_path), str(tmp_path / "missing.json")])
    assert sorted(s.path.replace(str(tmp_path), "") for s in inputs.sources) == ["/a.md", "/sub/b.jsonl"]
    assert inputs.skipped_unknown == 1 and inputs.skipped_hidden == 2
    assert inputs.errors[0].message == "no such file or folder"
