"""The ``cslint`` command: parse options, call the library, pick a reporter, return a status.

Heavy imports (spaCy, rich) happen inside the commands, so ``--help`` and ``--version`` are
instant.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

import click

SEVERITIES = ("info", "warning", "error")
#: Reporter and reader names, listed here (not imported) to keep start-up light; a test checks
#: that they match the registries.
FORMATS = ("text", "json", "line", "sarif", "junit", "github", "markdown")
INPUT_FORMATS = ("json", "jsonl", "chat", "canned", "csv", "eml", "mbox", "yaml", "html")


def _split(values: Iterable[str]) -> list[str]:
    """``--select a,b --select c`` -> ["a", "b", "c"]."""
    out = []
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


def _load_rules(rule_dirs: tuple[str, ...]):
    """The built-in rules, the rule folders of the config file nearest the current folder,
    and ``--rules`` folders (for ``cslint rules`` and ``cslint explain``)."""
    from cslint.config import load_settings
    from cslint.errors import CslintError
    from cslint.ruleset import load_rules

    folders = list(rule_dirs)
    try:
        folders = [str(p) for p in load_settings(["."], {"rules": folders} if folders else {}).rules]
    except CslintError as exc:
        _err(f"error: {exc}")
    loaded = load_rules(folders)
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
        "--rules",
        "rule_dirs",
        multiple=True,
        type=click.Path(file_okay=False),
        metavar="DIR",
        help="Add a folder of custom rules (repeatable).",
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

settings_options = _options(selection_options, threshold_options)

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
        help="Write the --format report to FILE (atomically); the terminal shows text.",
    ),
    click.option(
        "--color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        help="Colour in text output.",
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
    click.option("--statistics", is_flag=True, help="Print speed and analysis-cache statistics to standard error."),
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


def _config_flags(given: dict) -> dict:
    """The settings flags actually given, as config keys and values (see cslint.config)."""
    flags: dict = {}
    if _split(given.get("select") or ()):
        flags["select"] = _split(given["select"])
    if _split(given.get("ignore") or ()):
        flags["ignore"] = _split(given["ignore"])
    for key in ("min_severity", "fail_on"):
        if given.get(key):
            flags[key] = given[key]
    if given.get("rule_dirs"):
        flags["rules"] = list(given["rule_dirs"])
    if given.get("speakers"):
        flags["speakers"] = _speaker_labels(given["speakers"])
    if _split(given.get("agent_domains") or ()):
        flags["agent_domains"] = _split(given["agent_domains"])
    if given.get("csv_columns"):
        flags["csv_columns"] = _csv_columns(given["csv_columns"])
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
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@output_options
@settings_options
@input_options
@config_file_options
@baseline_options
@run_options
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
    **settings_flags,
) -> None:
    """Lint transcripts, e-mail threads or canned responses. PATH may be a file, a folder
    (walked recursively) or '-' for standard input.

    Settings come from the nearest .cslint.yaml or pyproject.toml [tool.cslint] (see
    'cslint config show'); flags override them."""
    from cslint.checkrun import CheckRequest, run_check

    request = CheckRequest(
        paths=tuple(paths),
        flags=_config_flags(settings_flags),
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
    )
    sys.exit(run_check(request))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--write", is_flag=True, help="Apply the fixes (atomically); without it, print a unified diff.")
@selection_options
@input_options
@config_file_options
def fix(paths, write, input_format, encoding, config_file, no_config, **settings_flags) -> None:
    """Apply safe rewordings to canned responses and chat logs (a diff unless --write).

    Only a rule's 'better:' entries marked 'safe: true' are applied, and nothing but the
    matched words changes; --write replaces each file atomically.

    Exit 0 when nothing is left to fix (or after --write), 1 when the dry run found fixes,
    2 on errors."""
    from cslint.fixing import run_fix
    from cslint.session import LintRequest

    request = LintRequest(
        paths=tuple(paths),
        flags=_config_flags(settings_flags),
        config_file=config_file,
        use_config=not no_config,
        input_format=input_format,
        encoding=encoding,
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
        sys.exit(2)
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
        sys.exit(2)
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
@click.option("--all", "show_all", is_flag=True, help="Include rules that are off by default.")
def rules_command(rule_dirs, show_all) -> None:
    """List the loaded rules."""
    from rich.console import Console
    from rich.table import Table

    loaded = _load_rules(rule_dirs)
    table = Table(show_edge=False, pad_edge=False)
    for column in ("id", "category", "severity", "default"):
        table.add_column(column, no_wrap=True)
    table.add_column("title")
    for rule in sorted(loaded.rules.values(), key=lambda r: r.id):
        if not rule.enabled and not show_all:
            continue
        table.add_row(rule.id, rule.category, rule.severity.label, "on" if rule.enabled else "off", rule.title)
    Console(highlight=False).print(table)
    sys.exit(2 if loaded.errors else 0)


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
        sys.exit(2)
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
    sys.exit(2 if errors else 1 if failed else 0)


def main() -> None:
    """Entry point: no traceback ever reaches the user; Ctrl-C exits 130.

    Set CSLINT_DEBUG=1 to see the traceback of an internal error.
    """
    import os

    from cslint.signals import TerminatedBySignal, exit_cleanly_on_signals

    exit_cleanly_on_signals()
    try:
        status = cli.main(prog_name="cslint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        status = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        status = 2
    except (KeyboardInterrupt, click.exceptions.Abort):
        _err("interrupted")
        status = 130
    except TerminatedBySignal as exc:
        _err(f"terminated ({exc.name})")
        status = exc.exit_status
    except BrokenPipeError:
        # `cslint check ... | head`: the reader went away; that is not an error.
        try:
            sys.stdout = open(os.devnull, "w")
        finally:
            status = 0
    except Exception as exc:  # noqa: BLE001 - last line of defence
        if os.environ.get("CSLINT_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (run with CSLINT_DEBUG=1 for details; please report it)")
        status = 2
    sys.exit(status if isinstance(status, int) else 0)
