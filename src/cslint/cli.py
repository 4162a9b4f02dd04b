"""The ``cslint`` command: parse options, call the library, pick a reporter, return a status.

Heavy imports (spaCy, rich) happen inside the commands, so ``--help`` and ``--version`` are
instant.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

import click

from cslint.exitstatus import ExitStatus

if TYPE_CHECKING:
    from cslint.draft import DraftOptions

SEVERITIES = ("info", "warning", "error")
#: Reporter and reader names, listed here (not imported) to keep start-up light; a test checks
#: that they match the registries.
FORMATS = ("text", "json", "line", "sarif", "junit", "github", "gitlab", "rdjson", "markdown", "csv", "html")
INPUT_FORMATS = ("json", "jsonl", "chat", "canned", "csv", "eml", "mbox", "yaml", "html")


def _split(values: Iterable[str]) -> list[str]:
    """``--select a,b --select c`` -> ["a", "b", "c"]."""
    out: list[str] = []
    for value in values:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return out


def _speaker_labels(values: Iterable[str]) -> dict[str, str]:
    from cslint.model import SPEAKERS

    labels = {}
    for value in values:
        label, sep, role = value.rpartition("=")
        role = role.strip().lower()
        if not sep or not label.strip() or role not in SPEAKERS:
            raise click.BadParameter(
                f"{value!r}: expected LABEL=ROLE with ROLE one of {', '.join(SPEAKERS)}", param_hint="--speaker"
            )
        labels[label.strip().lower()] = role
    return labels


def _csv_columns(values: Iterable[str]) -> dict[str, str]:
    """``--csv-columns id=ticket,text=body`` -> {"id": "ticket", "text": "body"}."""
    from cslint.readers.csvreader import COLUMN_ROLES

    columns = {}
    for part in _split(values):
        role, sep, name = part.partition("=")
        role = role.strip().lower()
        if not sep or not name.strip() or role not in COLUMN_ROLES:
            raise click.BadParameter(
                f"{part!r}: expected ROLE=COLUMN with ROLE one of {', '.join(COLUMN_ROLES)}", param_hint="--csv-columns"
            )
        columns[role] = name.strip()
    return columns


def _encoding(name: str | None) -> str | None:
    """``--encoding``: a name Python knows (checked once, not once per file)."""
    import codecs

    if name is None:
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a name with a NUL byte
        raise click.BadParameter(
            f"unknown encoding {name!r} (e.g. utf-8, latin-1, cp1252, utf-16)", param_hint="--encoding"
        ) from None
    sample = "Agent: hello\n"
    try:
        # Not a text encoding (rot13, hex, zlib) or one that cannot hold plain text (undefined).
        usable = getattr(info, "_is_text_encoding", True) and sample.encode(name).decode(name) == sample
    except (UnicodeError, LookupError, ValueError, TypeError):
        usable = False
    if not usable:
        raise click.BadParameter(
            f"{name!r} is not an encoding of text files (e.g. utf-8, latin-1, cp1252, utf-16)", param_hint="--encoding"
        )
    return name


def _err(message: str) -> None:
    """A diagnostic on standard error: one line, control characters shown, never sent (messages
    quote file names and input, which may hold anything)."""
    from cslint.textsafety import one_line

    click.echo(one_line(message), err=True)


def _load_rules(rule_dirs: tuple[str, ...], packs: tuple[str, ...] = ()):
    """The built-in rules, the rule packs and folders of the config file nearest the current
    folder, and ``--pack``/``--rules`` ones (for ``cslint rules`` and ``cslint explain``)."""
    from cslint.config import load_settings
    from cslint.errors import CslintError
    from cslint.ruleset import load_rules

    folders, pack_names = list(rule_dirs), list(_split(packs))
    flags = {key: value for key, value in (("rules", folders), ("packs", pack_names)) if value}
    try:
        settings = load_settings(["."], flags)
        folders, pack_names = [str(p) for p in settings.rules], list(settings.packs)
    except CslintError as exc:
        _err(f"error: {exc}")
    loaded = load_rules(folders, pack_names=pack_names)
    for error in loaded.errors:
        _err(f"error: {error}")
    return loaded


def _options(*decorators):
    """Several click options as one decorator, so commands can share option groups."""

    def apply(function):
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


# Flags that are also config keys have no click default: a flag given overrides the config
# file, one not given leaves it alone (see cslint.config for the merge).

#: Which rules run, on which speakers.
selection_options = _options(
    click.option(
        "--select",
        multiple=True,
        metavar="RULES",
        help="Run only these rule ids or categories (comma-separated; 'all' for every rule).",
    ),
    click.option(
        "--ignore", multiple=True, metavar="RULES", help="Do not run these rule ids or categories (comma-separated)."
    ),
    click.option(
        "--extend-select",
        multiple=True,
        metavar="RULES",
        help="Run these rule ids or categories in addition to the selection (comma-separated).",
    ),
    click.option(
        "--extend-ignore",
        multiple=True,
        metavar="RULES",
        help="Also do not run these rule ids or categories (comma-separated).",
    ),
    click.option(
        "--rules",
        "rule_dirs",
        multiple=True,
        type=click.Path(file_okay=False),
        metavar="DIR",
        help="Add a folder of custom rules (repeatable).",
    ),
    click.option(
        "--pack",
        "packs",
        multiple=True,
        metavar="NAME",
        help="Use this installed rule pack (a package with a 'cslint.rules' entry point; repeatable).",
    ),
    click.option(
        "--speaker",
        "speakers",
        multiple=True,
        metavar="LABEL=ROLE",
        help="Map a speaker label or name to agent/customer/bot/system (repeatable).",
    ),
    click.option(
        "--agent-domain",
        "agent_domains",
        multiple=True,
        metavar="DOMAIN",
        help="E-mail: messages from this domain (or address) are the agent's; others are customers (repeatable).",
    ),
    click.option(
        "--models",
        type=click.Path(file_okay=False),
        metavar="DIR",
        help="A model from 'cslint train': the rules' learned detectors use it before the built-in one.",
    ),
    click.option(
        "--csv-columns",
        "csv_columns",
        multiple=True,
        metavar="ROLE=COLUMN,...",
        help="CSV: which columns hold id, speaker, text, time, name, title (or customer/agent for one exchange per row).",
    ),
)

#: What is shown and what fails the run.
threshold_options = _options(
    click.option(
        "--min-severity",
        type=click.Choice(SEVERITIES),
        default=None,
        help="Show findings at or above this severity.  [default: info]",
    ),
    click.option(
        "--fail-on",
        type=click.Choice(SEVERITIES),
        default=None,
        help="Exit 1 if any finding is at or above this severity.  [default: warning]",
    ),
)

#: Which turns the English-only rules read.
language_options = _options(
    click.option(
        "--language",
        type=click.Choice(["auto", "en"]),
        default=None,
        help="auto: English-only rules skip turns that do not read as English (counted); en: lint every turn as English.  [default: auto]",
    ),
)

settings_options = _options(selection_options, threshold_options, language_options)

input_options = _options(
    click.option(
        "--input-format",
        type=click.Choice(INPUT_FORMATS),
        default=None,
        help="Read every input as this format (needed for '-' unless it can be guessed).",
    ),
    click.option(
        "--encoding",
        default=None,
        metavar="NAME",
        callback=lambda ctx, param, value: _encoding(value),
        help="Text encoding of the inputs (default UTF-8; a BOM is always honoured).",
    ),
)


def _channel(name: str | None) -> str | None:
    """``--channel``: a lower-case name such as draft, chat, email, social or canned."""
    from cslint.draft import is_channel_name

    if name is None:
        return None
    if not is_channel_name(name):
        raise click.BadParameter(f"{name!r}: expected a channel name such as draft, chat, email, social, canned")
    return name


#: Drafts: the reply being written, its channel, and the conversation it answers.
draft_options = _options(
    click.option(
        "--channel",
        default=None,
        metavar="NAME",
        callback=lambda ctx, param, value: _channel(value),
        help="The channel of every input (draft, chat, email, social, canned); standard input is a 'draft' by default.",
    ),
    click.option(
        "--context",
        "context_file",
        type=click.Path(dir_okay=False, allow_dash=True),
        metavar="FILE|-",
        help="The conversation so far (a transcript in any supported format, or the customer's message as plain text).",
    ),
    click.option(
        "--customer",
        metavar="TEXT",
        help="The customer's message the draft answers (after --context, if both are given).",
    ),
    click.option(
        "--stdin-filename",
        metavar="PATH",
        help="The file standard input stands for: its config, per-path settings, format and name in output.",
    ),
)


def _draft_options(given: dict, paths: Iterable[str]) -> DraftOptions:
    """The ``draft_options`` given (they arrive with the settings flags, which ignore them)."""
    from cslint.draft import DraftOptions

    if given.get("context_file") == "-" and "-" in paths:
        raise click.BadParameter("standard input cannot be both the draft and its context", param_hint="--context")
    return DraftOptions(
        channel=given.get("channel"),
        context_file=given.get("context_file"),
        customer=given.get("customer"),
        stdin_filename=given.get("stdin_filename"),
    )


config_file_options = _options(
    click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Use this config file instead of the nearest .cslint.yaml / pyproject.toml.",
    ),
    click.option("--no-config", is_flag=True, help="Ignore config files: built-in defaults and flags only."),
)

output_options = _options(
    click.option(
        "-f",
        "--format",
        "output_format",
        type=click.Choice(FORMATS),
        default="text",
        show_default=True,
        help="Output format.",
    ),
    click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True),
        metavar="FILE",
        help="Write the --format report to FILE (atomically, at the end); the terminal shows a one-line summary.",
    ),
    click.option(
        "--color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        help="Colour in text output.",
    ),
)

#: What the reports hold beyond the findings: scores, how fixes are shown.
report_options = _options(
    click.option(
        "--scores",
        "scores",
        type=click.Path(dir_okay=False, writable=True),
        metavar="FILE",
        help="Also write a score per conversation (CSV, for spreadsheets) to FILE.",
    ),
    click.option(
        "--fixes",
        type=click.Choice(["every", "once", "none"]),
        default="every",
        show_default=True,
        help="Text output: a rule's fix under every finding, once per rule at the end, or not at all.",
    ),
    click.option(
        "--summary-only",
        is_flag=True,
        help="Text output: only the summary (per rule, per agent, scores), not each finding.",
    ),
)

#: How the run is carried out: parallelism, progress, statistics.
run_options = _options(
    click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=0),
        default=0,
        metavar="N",
        help="Worker processes (0 = one per core; small inputs always run in-process).  [default: 0]",
    ),
    click.option("--statistics", is_flag=True, help="Print how many findings each rule has instead of the findings."),
    click.option(
        "--timings",
        is_flag=True,
        help="Print words/s, the analysis-cache hit rate and where the lint time went to standard error.",
    ),
    click.option(
        "--respect-gitignore/--no-respect-gitignore",
        default=True,
        show_default=True,
        help="Skip files and folders that .gitignore files ignore when walking folders.",
    ),
)

baseline_options = _options(
    click.option(
        "--baseline",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Report only findings not recorded in this baseline file.",
    ),
    click.option(
        "--write-baseline",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Record the current findings in FILE (and exit 0 unless an error occurred).",
    ),
)


def _size(value: str | None) -> int | None:
    """``--partition-size``: bytes, with an optional KB/MB/GB suffix (powers of 1024)."""
    if value is None:
        return None
    from cslint.distributed.sizes import parse_size

    try:
        return parse_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _config_flags(given: dict) -> dict:
    """The settings flags actually given, as config keys and values (see cslint.config)."""
    flags: dict = {}
    if _split(given.get("select") or ()):
        flags["select"] = _split(given["select"])
    for key in ("ignore", "extend_select", "extend_ignore"):
        if _split(given.get(key) or ()):
            flags[key] = _split(given[key])
    for key in ("min_severity", "fail_on", "language"):
        if given.get(key):
            flags[key] = given[key]
    if given.get("rule_dirs"):
        flags["rules"] = list(given["rule_dirs"])
    if _split(given.get("packs") or ()):
        flags["packs"] = _split(given["packs"])
    if given.get("speakers"):
        flags["speakers"] = _speaker_labels(given["speakers"])
    if _split(given.get("agent_domains") or ()):
        flags["agent_domains"] = _split(given["agent_domains"])
    if given.get("csv_columns"):
        flags["csv_columns"] = _csv_columns(given["csv_columns"])
    if given.get("models"):
        flags["models"] = given["models"]
    return flags


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from cslint import __version__

    click.echo(f"cslint, version {__version__}")
    ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-V",
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
def cli() -> None:
    """Lint customer-service conversations for service anti-patterns.

    \b
    Examples:
      cslint check transcripts/            lint every supported file in a folder
      echo "draft reply" | cslint check -  check one draft from standard input
      cslint rules                         list the rules
      cslint explain runaround             what a rule catches, why, and the fix
    """
    _tolerant_streams()


def _tolerant_streams() -> None:
    """Output never fails on a character the terminal's encoding cannot hold (a file name that
    is not valid UTF-8 reaches us as lone surrogates; a Latin-1 terminal cannot show "✅"): it
    is written as a ``\\udcff`` escape, which in JSON output is a valid escape too."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a stream that cannot be reconfigured is left alone
                pass


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@output_options
@settings_options
@input_options
@draft_options
@config_file_options
@baseline_options
@report_options
@run_options
@click.option("--exit-zero", is_flag=True, help="Exit 0 even if findings reach --fail-on (errors still exit 2).")
@click.option("-q", "--quiet", is_flag=True, help="Print the findings only: no summary, no notes.")
@click.option("-s", "--silent", is_flag=True, help="Print nothing but errors; the exit status tells the result.")
@click.option("--fix", is_flag=True, help="Apply the safe fixes first (as 'cslint fix --write'), then report the rest.")
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run on a Dask cluster: its scheduler (tcp://host:8786), or local:N for N worker processes here.",
)
@click.option(
    "--partition-size",
    metavar="SIZE",
    callback=lambda ctx, param, value: _size(value),
    help="With --scheduler: bytes of input per cluster task (8MB by default; 512KB, 64MB, ...).",
)
def check(
    paths,
    output_format,
    output,
    color,
    input_format,
    encoding,
    config_file,
    no_config,
    baseline,
    write_baseline,
    jobs,
    statistics,
    scores,
    fixes,
    summary_only,
    timings,
    respect_gitignore,
    exit_zero,
    quiet,
    silent,
    fix,
    scheduler,
    partition_size,
    **settings_flags,
) -> None:
    """Lint transcripts, e-mail threads or canned responses. PATH may be a file, a folder
    (walked recursively; default: the current folder) or '-' for standard input.

    Settings come from the nearest .cslint.yaml or pyproject.toml [tool.cslint] (see
    'cslint config show'); flags override them."""
    from cslint.check_command import CheckRequest, run_check
    from cslint.reporters.base import ReportOptions

    flags = _config_flags(settings_flags)
    if scheduler:
        flags["scheduler"] = scheduler
    request = CheckRequest(
        paths=tuple(paths) or (".",),
        respect_gitignore=respect_gitignore,
        flags=flags,
        config_file=config_file,
        use_config=not no_config,
        input_format=input_format,
        encoding=encoding,
        output_format=output_format,
        output=output,
        color=color,
        baseline=baseline,
        write_baseline=write_baseline,
        jobs=jobs,
        statistics=statistics,
        scores=scores,
        report_options=ReportOptions(fixes=fixes, summary_only=summary_only),
        draft=_draft_options(settings_flags, paths),
        timings=timings,
        exit_zero=exit_zero,
        verbosity="silent" if silent else "quiet" if quiet else "normal",
        fix=fix,
        partition_bytes=partition_size,
    )
    sys.exit(run_check(request))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True))
@click.option("--write", is_flag=True, help="Apply the fixes (atomically); without it, print a unified diff.")
@selection_options
@input_options
@draft_options
@config_file_options
def fix(paths, write, input_format, encoding, config_file, no_config, **settings_flags) -> None:
    """Apply safe rewordings to canned responses and chat logs (a diff unless --write).

    Only a rule's 'better:' entries marked 'safe: true' are applied, and nothing but the
    matched words changes; --write replaces each file atomically.

    'cslint fix -' prints the draft on standard input with its fixes applied.

    Exit 0 when nothing is left to fix (or after --write, or for '-'), 1 when the dry run
    found fixes, 2 on errors."""
    from cslint.fixing import run_fix
    from cslint.session import LintRequest

    request = LintRequest(
        paths=tuple(paths),
        flags=_config_flags(settings_flags),
        config_file=config_file,
        use_config=not no_config,
        input_format=input_format,
        encoding=encoding,
        draft=_draft_options(settings_flags, paths),
    )
    sys.exit(run_fix(request, write, sys.stdout, _err))


@cli.group("config")
def config_group() -> None:
    """Inspect the configuration (.cslint.yaml or pyproject.toml [tool.cslint])."""


@config_group.command("show")
@click.argument("path", required=False, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
@settings_options
@config_file_options
def config_show(path, as_json, config_file, no_config, **settings_flags) -> None:
    """Print the merged settings for linting PATH (default: the current folder) and where each
    came from: default, FILE:LINE, or a flag."""
    import json

    from cslint.config import load_settings
    from cslint.config.show import render_settings, settings_document
    from cslint.errors import CslintError

    try:
        settings = load_settings([path or "."], _config_flags(settings_flags), config_file, not no_config)
    except CslintError as exc:
        _err(f"error: {exc}")
        sys.exit(ExitStatus.ERROR)
    if as_json:
        click.echo(json.dumps(settings_document(settings), indent=2, ensure_ascii=False))
    else:
        click.echo(render_settings(settings), nl=False)


@cli.command()
@click.argument("folder", required=False, default=".", type=click.Path(exists=True, file_okay=False))
def init(folder) -> None:
    """Write a commented starter .cslint.yaml in FOLDER (default: here). Never overwrites."""
    from pathlib import Path

    from cslint.config.starter import write_starter
    from cslint.errors import CslintError

    try:
        target = write_starter(Path(folder))
    except CslintError as exc:
        _err(f"error: {exc}")
        sys.exit(ExitStatus.ERROR)
    click.echo(f"wrote {target}; see 'cslint config show'")


@cli.command("rules")
@click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Add a folder of custom rules.",
)
@click.option("--pack", "packs", multiple=True, metavar="NAME", help="Add an installed rule pack (repeatable).")
@click.option("--all", "show_all", is_flag=True, help="Include rules that are off by default.")
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def rules_command(rule_dirs, packs, show_all, output_format) -> None:
    """List the loaded rules and where each came from (built-in, a pack, a folder); installed
    rule packs not in use are listed too."""
    from cslint.ruleset.listing import print_rules

    loaded = _load_rules(rule_dirs, packs)
    print_rules(loaded, show_all, output_format)
    sys.exit(ExitStatus.decide(errors=bool(loaded.errors), findings=False))


@cli.command()
@click.argument("rule_id")
@click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Add a folder of custom rules.",
)
def explain(rule_id, rule_dirs) -> None:
    """Show what a rule catches, why it hurts, the fix and its examples."""
    import difflib

    from cslint.explain import render_rule

    loaded = _load_rules(rule_dirs)
    rule = loaded.rules.get(rule_id)
    if rule is None:
        close = difflib.get_close_matches(rule_id, list(loaded.rules), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        _err(f"error: no rule named {rule_id!r}{hint}; see 'cslint rules'")
        sys.exit(ExitStatus.ERROR)
    render_rule(rule)


@cli.command("test")
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("-v", "--verbose", is_flag=True, help="List every example, not only failures.")
def test_command(folder, verbose) -> None:
    """Run the examples of the built-in rules, or of the rules in FOLDER."""
    from rich.console import Console
    from rich.text import Text

    from cslint.engine.linter import Linter
    from cslint.ruleset import load_rules
    from cslint.testing import run_examples

    loaded = load_rules([folder] if folder else [], include_builtin=folder is None)
    for error in loaded.errors:
        _err(f"error: {error}")
    rules = sorted(loaded.rules.values(), key=lambda r: r.id)
    linter = Linter(rules)
    for error in linter.errors:
        _err(f"error: {error}")
    results = run_examples(rules, linter)
    console = Console(highlight=False, soft_wrap=True)
    failed = [r for r in results if not r.ok]
    for r in results:
        if r.ok and not verbose:
            continue
        where = f"{r.example.rule.path}:{r.example.line}" if r.example.line else r.example.rule.path
        mark = Text("ok  ", style="green") if r.ok else Text("FAIL", style="bold red")
        line = Text.assemble(mark, f" {r.example.name}  ", (where, "dim"))
        console.print(line)
        if not r.ok:
            console.print(Text(f"     {r.detail}"))
    console.print(Text(f"{len(results) - len(failed)} passed, {len(failed)} failed", style="bold"))
    errors = bool(loaded.errors or linter.errors)
    sys.exit(ExitStatus.decide(errors=errors, findings=bool(failed)))


def _optional(module: str, extra: str):
    """Import a command's optional module, or stop with how to install its extra."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        _err(f"error: this command needs the '{extra}' extra ({exc.name} is missing): pip install 'cslint[{extra}]'")
        sys.exit(ExitStatus.ERROR)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8484, show_default=True, help="Port (0: any free one).")
@click.option(
    "--max-body",
    type=click.IntRange(min=1024),
    default=1024 * 1024,
    show_default=True,
    metavar="BYTES",
    help="Refuse request bodies larger than this (413).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Answer 503 to a request not done in this time.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    metavar="N",
    help="Server processes sharing the port (each lints one draft at a time; one per core is the most that helps).",
)
@click.option(
    "--allow-origin",
    "allowed_origins",
    multiple=True,
    metavar="ORIGIN",
    help="Let web pages from this origin call the server (CORS; repeatable; '*' for any).",
)
@settings_options
@config_file_options
def serve(host, port, max_body, timeout, workers, allowed_origins, config_file, no_config, **settings_flags) -> None:
    """Serve draft checks over HTTP with a warm pipeline (POST /v1/check, /v1/fix;
    GET /v1/rules, /healthz). Config and custom rules as for 'check'; the config is reloaded
    when its file changes."""
    server = _optional("cslint.server", "server")
    from cslint.warm import WarmLinter

    warm = WarmLinter(_config_flags(settings_flags), config_file, not no_config)
    limits = server.Limits(max_body=max_body, timeout=timeout)
    sys.exit(server.run_server(warm, host, port, limits, tuple(allowed_origins), workers))


@cli.command()
@settings_options
@config_file_options
def lsp(config_file, no_config, **settings_flags) -> None:
    """Run the language server over standard input and output (for editors): diagnostics,
    quick fixes and hover for canned responses and drafts, with the nearest .cslint.yaml."""
    language_server = _optional("cslint.lsp", "lsp")
    from cslint.warm import WarmLinter

    warm = WarmLinter(_config_flags(settings_flags), config_file, not no_config)
    sys.exit(language_server.run_language_server(warm))


#: A QA team's review export and the conversations it reviewed (cslint evaluate, cslint train).
labelled_inputs = _options(
    click.argument("labels", type=click.Path(dir_okay=False)),
    click.argument("conversations", type=click.Path()),
)


@cli.command()
@labelled_inputs
@click.option(
    "--folds",
    type=click.IntRange(min=2),
    default=None,
    metavar="K",
    help="Cross-validate: train on K-1 folds of conversations, score the held-back one, K times.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the folds.")
@click.option(
    "--group-by",
    type=click.Choice(["conversation", "brand"]),
    default="conversation",
    show_default=True,
    help="Keep each conversation, or each brand (the handle its customers address), in one fold.",
)
@click.option("-f", "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Add a folder of custom rules (repeatable).",
)
@click.option(
    "--select", multiple=True, metavar="RULES", help="Run only these rule ids or categories (comma-separated)."
)
@click.option(
    "--models", type=click.Path(file_okay=False), metavar="DIR", help="A model from 'cslint train' (without --folds)."
)
@click.option(
    "--show",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="Print up to N false positives and misses per rule (with --folds: as the held-back folds judged them).",
)
def evaluate(labels, conversations, folds, seed, group_by, output_format, rule_dirs, select, models, show) -> None:
    """Score the rules against LABELS: per-rule precision, recall and F1, micro-averaged.

    LABELS has one JSON object per reviewed agent turn: {"conversation": ID, "turn": N,
    "labels": [...]} (a QA review export); CONVERSATIONS is any input cslint reads."""
    from cslint.learning.commands import EvaluateRequest, run_evaluate

    request = EvaluateRequest(
        labels, conversations, folds or 0, seed, output_format, rule_dirs, _split(select), models, show, group_by
    )
    sys.exit(run_evaluate(request, sys.stdout, _err))


@cli.command()
@labelled_inputs
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Folder to write the model to.",
)
@click.option(
    "--min-precision",
    type=click.FloatRange(0.0, 1.0),
    default=0.85,
    show_default=True,
    help="Each label's threshold: the most recall whose cross-validated precision reaches this.",
)
def train(labels, conversations, output, min_precision) -> None:
    """Train a model of your team's labels for the rules' 'kind: model' detectors.

    Use it with 'cslint check --models DIR'."""
    from cslint.learning.commands import TrainRequest, run_train

    sys.exit(run_train(TrainRequest(labels, conversations, output, min_precision), sys.stdout, _err))


def main() -> None:
    """Entry point: no traceback ever reaches the user; Ctrl-C exits 130.

    Set CSLINT_DEBUG=1 to see the traceback of an internal error.
    """
    import os

    from cslint.signals import TerminatedBySignal, exit_cleanly_on_signals
    from cslint.startup import configure_process

    configure_process()
    exit_cleanly_on_signals()
    try:
        status = cli.main(prog_name="cslint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        status = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        status = ExitStatus.ERROR
    except (KeyboardInterrupt, click.exceptions.Abort):
        _err("interrupted")
        status = ExitStatus.INTERRUPTED
    except TerminatedBySignal as exc:
        _err(f"terminated ({exc.name})")
        status = exc.exit_status
    except BrokenPipeError:
        # `cslint check ... | head`: the reader went away; that is not an error.
        try:
            sys.stdout = open(os.devnull, "w")
        finally:
            status = ExitStatus.CLEAN
    except Exception as exc:  # noqa: BLE001 - last line of defence
        if os.environ.get("CSLINT_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (run with CSLINT_DEBUG=1 for details; please report it)")
        status = ExitStatus.ERROR
    sys.exit(status if isinstance(status, int) else 0)
