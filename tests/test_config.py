"""Config files: discovery, validation errors at file:line, the merge order, and how each
key reaches a lint run."""

import json
import textwrap
from pathlib import Path

import pytest

from cslint.config import (
    defaults_layer,
    file_layer,
    find_config,
    flag_layer,
    load_settings,
    merge_settings,
    read_config,
)
from cslint.config.starter import STARTER
from cslint.errors import ConfigError
from cslint.globs import glob_matches
from cslint.model import Severity

RUNAROUND = "For that, please visit our website.\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# -- discovery ---------------------------------------------------------------------------


def test_config_is_found_from_the_linted_path_upwards(tmp_path):
    config = write(tmp_path / ".cslint.yaml", "fail_on: error\n")
    reply = write(tmp_path / "replies" / "deep" / "r.md", RUNAROUND)
    assert find_config(reply) == config
    assert find_config(reply.parent) == config


def test_yaml_beats_pyproject_and_pyproject_without_table_is_passed_over(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.cslint]\nfail_on = 'error'\n")
    inner = tmp_path / "inner"
    write(inner / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(inner) == tmp_path / "pyproject.toml"
    write(tmp_path / ".cslint.yaml", "fail_on: info\n")
    assert find_config(inner) == tmp_path / ".cslint.yaml"


def test_pyproject_table_is_read_with_lines(tmp_path):
    path = write(
        tmp_path / "pyproject.toml",
        """\
        [project]
        name = "x"

        [tool.cslint]
        select = ["runaround"]
        fail_on = "error"

        [tool.cslint.severity]
        runaround = "info"
        """,
    )
    settings = load_settings([str(tmp_path)], {})
    assert settings.config_file == path
    assert settings.select == ("runaround",)
    assert settings.fail_on is Severity.ERROR
    assert settings.severity == {"runaround": Severity.INFO}
    assert settings.origins["fail_on"].endswith("pyproject.toml:6")
    assert settings.origins["severity"].endswith("pyproject.toml:8")


def test_explicit_config_and_no_config(tmp_path):
    write(tmp_path / ".cslint.yaml", "fail_on: error\n")
    other = write(tmp_path / "team.yaml", "fail_on: info\n")
    assert load_settings([str(tmp_path)], {}).fail_on is Severity.ERROR
    assert load_settings([str(tmp_path)], {}, config_file=other).fail_on is Severity.INFO
    assert load_settings([str(tmp_path)], {}, use_config=False).fail_on is Severity.WARNING


# -- merge -------------------------------------------------------------------------------


def test_merge_order_defaults_then_file_then_flags(tmp_path):
    doc = read_config(
        write(
            tmp_path / ".cslint.yaml",
            """\
            select: [runaround]
            fail_on: error
            rules: [team-rules]
            speakers: {Sam: agent, Ann: customer}
            severity: {runaround: info}
            """,
        )
    )
    flags = flag_layer({"fail_on": "info", "rules": ["extra"], "speakers": {"ann": "agent"}})
    settings = merge_settings(defaults_layer(), file_layer(doc), flags, doc)
    assert settings.select == ("runaround",)  # file over default
    assert settings.fail_on is Severity.INFO  # flag over file
    assert settings.min_severity is Severity.INFO and settings.origins["min_severity"] == "default"
    # rules folders join (file ones relative to the config file), speakers merge per label
    assert settings.rules == (tmp_path / "team-rules", Path("extra"))
    assert settings.speakers == {"sam": "agent", "ann": "agent"}
    assert settings.origins["fail_on"] == "--fail-on"
    assert settings.origins["speakers"].endswith(".cslint.yaml:4 + --speaker")
    # pure: the same layers give the same settings
    assert merge_settings(defaults_layer(), file_layer(doc), flags, doc) == settings


def test_an_empty_config_file_is_all_defaults(tmp_path):
    write(tmp_path / ".cslint.yaml", "# nothing yet\n")
    settings = load_settings([str(tmp_path)], {})
    assert settings.fail_on is Severity.WARNING and settings.select == ()


def test_starter_file_is_valid_and_documents_every_key(tmp_path):
    from cslint.config.keys import KEYS

    write(tmp_path / ".cslint.yaml", STARTER)
    load_settings([str(tmp_path)], {})
    for key in KEYS:
        assert f"{key}:" in STARTER


# -- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, needle",
    [
        ("fail_on: error\nselct: [runaround]\n", 2, "unknown key 'selct' (did you mean 'select'?)"),
        (
            "min_severity: warn\n",
            1,
            "min_severity: 'warn' is not one of info, warning, error (did you mean 'warning'?)",
        ),
        ("select: runaround\n", 1, "select: expected a list"),
        ("severity:\n  runaround: loud\n", 2, "severity.runaround: 'loud' is not one of"),
        (
            "vocabulary:\n  accept: [ACME]\n  rejct: [RMA]\n",
            3,
            "unknown key 'rejct' in vocabulary (did you mean 'reject'?)",
        ),
        ("per_path:\n  'legacy/**':\n    ignor: [runaround]\n", 3, "(did you mean 'ignore'?)"),
        ("speakers: {Sam: agnt}\n", 1, "(did you mean 'agent'?)"),
        ("select: [a\n", 2, "invalid YAML"),
    ],
)
def test_bad_config_names_file_line_and_key(tmp_path, text, line, needle):
    write(tmp_path / ".cslint.yaml", text)
    with pytest.raises(ConfigError) as info:
        load_settings([str(tmp_path)], {})
    assert info.value.line == line
    assert info.value.path.endswith(".cslint.yaml")
    assert needle in str(info.value)


def test_bad_toml_names_the_line(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.cslint]\nfail_on = \n")
    with pytest.raises(ConfigError) as info:
        load_settings([str(tmp_path)], {})
    assert info.value.line == 2 and "invalid TOML" in str(info.value)


def test_unknown_rule_in_config_is_an_error_with_line_and_exit_2(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".cslint.yaml", "fail_on: error\nseverity:\n  runarond: error\n")
    write(tmp_path / "r.md", RUNAROUND)
    result = run_cli("check", "r.md")
    assert result.exit_code == 2
    assert (
        "error: .cslint.yaml:3: severity.runarond: no rule named 'runarond' (did you mean 'runaround'?)"
        in result.stderr
    )


def test_bad_config_value_exits_2_through_the_cli(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".cslint.yaml", "fail_on: never\n")
    write(tmp_path / "r.md", RUNAROUND)
    result = run_cli("check", "r.md")
    assert result.exit_code == 2
    assert ".cslint.yaml:1: fail_on: 'never' is not one of" in result.stderr


# -- keys at work ------------------------------------------------------------------------


def check_json(run_cli, *args):
    result = run_cli("check", "-f", "json", *args)
    return result, json.loads(result.stdout)


def test_file_settings_apply_and_flags_override(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".cslint.yaml", "severity: {runaround: warning}\nfail_on: error\n")
    write(tmp_path / "r.md", RUNAROUND)
    result, doc = check_json(run_cli, "r.md")
    assert [f["severity"] for f in doc["findings"]] == ["warning"]
    assert result.exit_code == 0  # warning is below fail_on
    result, _ = check_json(run_cli, "r.md", "--fail-on", "warning")
    assert result.exit_code == 1
    result, doc = check_json(run_cli, "r.md", "--no-config")
    assert [f["severity"] for f in doc["findings"]] == ["info"] and result.exit_code == 0  # built-in: info


def test_per_path_overrides_and_exclude(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path / ".cslint.yaml",
        """\
        exclude: [drafts/**]
        per_path:
          "legacy/**":
            ignore: [runaround]
          "*.txt":
            severity: {runaround: error}
        """,
    )
    for name in ("new/a.md", "legacy/b.md", "drafts/c.md", "new/d.txt"):
        write(tmp_path / name, RUNAROUND)
    result, doc = check_json(run_cli, ".")
    got = {(Path(f["path"]).as_posix(), f["severity"]) for f in doc["findings"]}
    assert got == {("new/a.md", "info"), ("new/d.txt", "error")}
    assert doc["summary"]["files"] == 3  # drafts/c.md was never read


def test_per_path_select_can_enable_a_rule_only_there(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".cslint.yaml", "ignore: [runaround]\nper_path:\n  'strict/*':\n    select: [runaround]\n")
    write(tmp_path / "strict" / "a.md", RUNAROUND)
    write(tmp_path / "loose" / "b.md", RUNAROUND)
    _, doc = check_json(run_cli, ".")
    assert [Path(f["path"]).as_posix() for f in doc["findings"]] == ["strict/a.md"]


def test_config_rules_folder_is_relative_to_the_config_file(tmp_path, run_cli, monkeypatch):
    fixtures = Path(__file__).parent / "fixtures" / "fix-rules"
    team = tmp_path / "team"
    write(team / "rules" / "any-inconvenience.yaml", (fixtures / "any-inconvenience.yaml").read_text())
    write(team / ".cslint.yaml", "rules: [rules]\n")
    write(team / "replies" / "r.md", "We apologise for any inconvenience.\n")
    monkeypatch.chdir(tmp_path)  # not the config's folder
    _, doc = check_json(run_cli, "team/replies", "--select", "any-inconvenience")
    assert [f["rule"] for f in doc["findings"]] == ["any-inconvenience"]


def test_speakers_from_config_map_chat_labels(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".cslint.yaml", "speakers: {Sam: agent, Ann: customer}\n")
    write(tmp_path / "c.log", "Ann: Where is my parcel?\nSam: Please visit our website.\n")
    _, doc = check_json(run_cli, "c.log")
    assert [(f["rule"], f["speaker"], f["line"]) for f in doc["findings"]] == [("runaround", "agent", 2)]


def test_rule_options_and_vocabulary_reach_the_linter(tmp_path, monkeypatch):
    from cslint.session import LintRequest, LintSession

    monkeypatch.chdir(tmp_path)
    write(
        tmp_path / ".cslint.yaml",
        "rule_options:\n  runaround: {max_links: 2}\nvocabulary:\n  accept: [Acme Cloud, SLA]\n  reject: [RMA]\n",
    )
    session = LintSession(LintRequest(paths=(".",)), on_error=print)
    assert session.rules["runaround"].options["max_links"] == 2
    assert session.linter.vocabulary.accept == ("Acme Cloud", "SLA")
    assert session.linter.vocabulary.is_accepted("acme cloud")
    assert session.linter.vocabulary.is_rejected("rma")


# -- config show / init ------------------------------------------------------------------


def test_config_show_names_the_origin_of_each_value(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".cslint.yaml", "\nfail_on: error\nignore: [runaround]\n")
    result = run_cli("config", "show", "--min-severity", "warning")
    assert result.exit_code == 0
    lines = {line.split(":")[0]: line for line in result.stdout.splitlines() if not line.startswith("#")}
    assert lines["fail_on"].endswith('"error"  # from .cslint.yaml:2')
    assert lines["ignore"].endswith('["runaround"]  # from .cslint.yaml:3')
    assert lines["min_severity"].endswith('"warning"  # from --min-severity')
    assert lines["select"].endswith("# from default")
    doc = json.loads(run_cli("config", "show", "--json").stdout)
    assert doc["config_file"] == ".cslint.yaml"
    assert doc["settings"]["fail_on"] == {"value": "error", "from": ".cslint.yaml:2"}


def test_init_writes_a_starter_and_refuses_to_overwrite(tmp_path, run_cli):
    result = run_cli("init", tmp_path)
    assert result.exit_code == 0
    written = (tmp_path / ".cslint.yaml").read_text()
    assert written == STARTER
    (tmp_path / ".cslint.yaml").write_text("fail_on: error\n")
    result = run_cli("init", tmp_path)
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert (tmp_path / ".cslint.yaml").read_text() == "fail_on: error\n"


# -- globs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern, path, expected",
    [
        ("*.txt", "a/b/c.txt", True),
        ("*.txt", "a/b/c.md", False),
        ("legacy/**", "legacy/x/y.md", True),
        ("legacy/**", "new/legacy/y.md", False),
        ("legacy", "legacy/y.md", True),
        ("**/drafts/*.md", "drafts/a.md", True),
        ("**/drafts/*.md", "x/drafts/a.md", True),
        ("**/drafts/*.md", "x/drafts/sub/a.md", False),
        ("replies/?.md", "replies/a.md", True),
        ("replies/[ab].md", "replies/c.md", False),
        ("./replies/*.md", "replies/a.md", True),
    ],
)
def test_globs(pattern, path, expected):
    assert glob_matches(pattern, path) is expected


@pytest.mark.parametrize(
    "text, needle",
    [
        ("rule_options:\n  runarond: {x: 1}\n", ".cslint.yaml:2: rule_options.runarond: no rule named 'runarond'"),
        (
            "per_path:\n  '*.md':\n    ignore: [runarond]\n",
            """.cslint.yaml:3: per_path["*.md"].ignore[0]: no rule or category named 'runarond'""",
        ),
        (
            "select:\n  - runaround\n  - sins-of-servic\n",
            ".cslint.yaml:3: select[1]: no rule or category named 'sins-of-servic' (did you mean 'sins-of-service'?)",
        ),
    ],
)
def test_unknown_rule_references(tmp_path, run_cli, monkeypatch, text, needle):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".cslint.yaml", text)
    write(tmp_path / "r.md", RUNAROUND)
    result = run_cli("check", "r.md")
    assert result.exit_code == 2 and needle in result.stderr


def test_nested_pyproject_errors_name_the_line(tmp_path):
    write(
        tmp_path / "pyproject.toml",
        """\
        [tool.cslint]
        exclude = [
          "drafts/**",
        ]

        [tool.cslint.per_path."legacy/**"]
        ignore = ["runaround"]
        severty = {runaround = "info"}
        """,
    )
    with pytest.raises(ConfigError) as info:
        load_settings([str(tmp_path)], {})
    assert info.value.line == 8 and "did you mean 'severity'?" in str(info.value)


def test_each_file_uses_its_nearest_config(tmp_path, run_cli, monkeypatch):
    """A sub-folder with its own .cslint.yaml keeps its speakers, excludes and severities
    when a parent folder is linted (as ruff and sqlfluff do)."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "top.md", "Please visit our website.\n")
    team = tmp_path / "team"
    write(
        team / ".cslint.yaml",
        "speakers: {Sam: agent, Ann: customer}\nexclude: [drafts/**]\nseverity: {runaround: warning}\n",
    )
    write(team / "chat.log", "Ann: Where is my parcel?\nSam: Please visit our website.\n")
    write(team / "drafts" / "wip.md", "Please visit our website.\n")
    result, doc = check_json(run_cli, ".", "--select", "runaround")
    found = {(f["path"].replace("\\\\", "/"), f["severity"]) for f in doc["findings"]}
    assert found == {("top.md", "info"), ("team/chat.log", "warning")}
    assert not doc["errors"]


def test_a_broken_nested_config_is_reported_and_others_still_linted(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "top.md", "Please visit our website.\n")
    write(tmp_path / "team" / ".cslint.yaml", "severty: {}\n")
    write(tmp_path / "team" / "r.md", "Please visit our website.\n")
    result, doc = check_json(run_cli, ".", "--select", "runaround")
    assert result.exit_code == 2
    assert [f["path"] for f in doc["findings"]] == ["top.md"]
    assert "unknown key 'severty'" in result.stderr
    assert any("not linted" in e["message"] for e in doc["errors"])


def test_rules_and_explain_see_the_config_rule_folders(tmp_path, run_cli, monkeypatch):
    fixtures = Path(__file__).parent / "fixtures" / "fix-rules"
    write(tmp_path / "team-rules" / "any-inconvenience.yaml", (fixtures / "any-inconvenience.yaml").read_text())
    write(tmp_path / ".cslint.yaml", "rules: [team-rules]\n")
    monkeypatch.chdir(tmp_path)
    assert "any-inconvenience" in run_cli("rules").stdout
    assert run_cli("explain", "any-inconvenience").exit_code == 0
