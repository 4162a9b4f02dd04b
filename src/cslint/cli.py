"""The ``cslint`` command: parse options, call the library, pick a reporter, return a status.

Heavy imports (spaCy, rich) happen inside the commands, so ``--help`` and ``--version`` are
instant.
"""

from __future__ import annotations

import sys
from typing import Iterable

import click

from cslint import __version__

SEVERITIES = ("info", "warning", "error")
#: Reporter and reader names, listed here (not imported) to keep start-up light; a test checks
#: that they match the registries.
FORMATS = ("text", "json", "line")
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
            raise click.BadParameter(f"{value!r}: expected LABEL=ROLE with ROLE one of {', '.join(SPEAKERS)}", param_hint="--speaker")
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
            raise click.BadParameter(f"{part!r}: expected ROLE=COLUMN with ROLE one of {', '.join(COLUMN_ROLES)}", param_hint="--csv-columns")
        columns[role] = name.strip()
    return columns


def _err(message: str) -> None:
    click.echo(message, err=True)


def _load_rules(rule_dirs: tuple[str, ...]):
    from cslint.ruleset import load_rules

    loaded = load_rules(list(rule_dirs))
    for error in loaded.errors:
        _err(f"error: {error}")
    return loaded


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="cslint")
def cli() -> None:
    """Lint customer-service conversations for service anti-patterns.

    \b
    Examples:
      cslint check transcripts/            lint every supported file in a folder
      echo "draft reply" | cslint check -  check one draft from standard input
      cslint rules                         list the rules
      cslint explain runaround             what a rule catches, why, and the fix
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("-f", "--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("--select", multiple=True, metavar="RULES", help="Run only these rule ids or categories (comma-separated; 'all' for every rule).")
@click.option("--ignore", multiple=True, metavar="RULES", help="Do not run these rule ids or categories (comma-separated).")
@click.option("--min-severity", type=click.Choice(SEVERITIES), default="info", show_default=True, help="Show findings at or above this severity.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default="warning", show_default=True, help="Exit 1 if any finding is at or above this severity.")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), metavar="DIR", help="Add a folder of custom rules (repeatable).")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS), default=None, help="Read every input as this format (needed for '-' unless it can be guessed).")
@click.option("--speaker", "speakers", multiple=True, metavar="LABEL=ROLE", help="Map a speaker label or name to agent/customer/bot/system (repeatable).")
@click.option("--encoding", default=None, metavar="NAME", help="Text encoding of the inputs (default UTF-8; a BOM is always honoured).")
@click.option("--agent-domain", "agent_domains", multiple=True, metavar="DOMAIN", help="E-mail: messages from this domain (or address) are the agent's; others are customers (repeatable).")
@click.option("--csv-columns", "csv_columns", multiple=True, metavar="ROLE=COLUMN,...", help="CSV: which columns hold id, speaker, text, time, name, title (or customer/agent for one exchange per row).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, help="Colour in text output.")
def check(paths, output_format, select, ignore, min_severity, fail_on, rule_dirs, input_format, speakers, encoding, agent_domains, csv_columns, color) -> None:
    """Lint transcripts, e-mail threads or canned responses. PATH may be a file, a folder
    (walked recursively) or '-' for standard input."""
    from cslint.engine.linter import Linter
    from cslint.errors import CslintError
    from cslint.model import InputError, Severity
    from cslint.readers import ReadOptions, collect_inputs, read_source
    from cslint.reporters import REPORTERS
    from cslint.ruleset import select_rules
    from cslint.run import EXIT_ERROR, EXIT_FINDINGS, RunResult

    options = ReadOptions(
        speaker_labels=_speaker_labels(speakers),
        input_format=input_format,
        encoding=encoding,
        agent_domains=tuple(d.strip().lower() for d in _split(agent_domains)),
        csv_columns=_csv_columns(csv_columns),
    )
    loaded = _load_rules(rule_dirs)
    try:
        rules = select_rules(loaded.rules, _split(select), _split(ignore))
    except CslintError as exc:
        _err(f"error: {exc}")
        sys.exit(EXIT_ERROR)
    linter = Linter(rules)
    for error in linter.errors:
        _err(f"error: {error}")
    rule_errors = len(loaded.errors) + len(linter.errors)

    stdin_data = sys.stdin.buffer.read() if "-" in paths else None
    inputs = collect_inputs(list(paths), stdin_data)
    shown_from = Severity.parse(min_severity)
    result = RunResult(rules_run=len(linter.compiled), skipped_unknown=inputs.skipped_unknown, skipped_hidden=inputs.skipped_hidden)
    reporter = REPORTERS[output_format](sys.stdout, color={"auto": None, "always": True, "never": False}[color])

    def report_error(error: InputError) -> None:
        result.errors.append(error)
        _err(f"error: {error}")

    for error in inputs.errors:
        report_error(error)

    hidden = 0

    def conversations():
        for source in inputs.sources:
            result.files += 1
            try:
                for item in read_source(source, options):
                    if isinstance(item, InputError):
                        report_error(item)
                    else:
                        yield item
            except Exception as exc:  # a reader bug must not cost the other files
                report_error(InputError(source.display, f"internal error while reading ({type(exc).__name__}: {exc}); please report it"))

    for conversation, findings in linter.lint(conversations()):
        result.conversations += 1
        result.turns += len(conversation.turns)
        shown = [f for f in findings if f.severity >= shown_from]
        hidden += len(findings) - len(shown)
        if shown:
            result.conversations_with_findings += 1
        result.findings.extend(shown)
        result.note_severities(findings)
        reporter.on_conversation(conversation, shown)
    reporter.finish(result)

    if inputs.skipped_unknown and reporter.for_humans:
        _err(f"note: skipped {inputs.skipped_unknown} file(s) with an unsupported ending")
    status = result.exit_status(Severity.parse(fail_on))
    if hidden and status == EXIT_FINDINGS and not any(f.severity >= Severity.parse(fail_on) for f in result.findings):
        _err(f"note: {hidden} finding(s) below --min-severity {min_severity} are not shown but reach --fail-on {fail_on}")
    if rule_errors:
        status = EXIT_ERROR
    sys.exit(status)


@cli.command("rules")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), metavar="DIR", help="Add a folder of custom rules.")
@click.option("--all", "show_all", is_flag=True, help="Include rules that are off by default.")
def rules_command(rule_dirs, show_all) -> None:
    """List the loaded rules."""
    from rich.console import Console
    from rich.table import Table

    loaded = _load_rules(rule_dirs)
    table = Table(show_edge=False, pad_edge=False)
    for column in ("id", "category", "severity", "default", "title"):
        table.add_column(column)
    for rule in sorted(loaded.rules.values(), key=lambda r: r.id):
        if not rule.enabled and not show_all:
            continue
        table.add_row(rule.id, rule.category, rule.severity.label, "on" if rule.enabled else "off", rule.title)
    Console(highlight=False).print(table)
    sys.exit(2 if loaded.errors else 0)


@cli.command()
@click.argument("rule_id")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(file_okay=False), metavar="DIR", help="Add a folder of custom rules.")
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

    from cslint.ruleset import load_rules
    from cslint.testing import run_examples
    from cslint.engine.linter import Linter

    loaded = load_rules([folder] if folder else [], include_builtin=folder is None)
    for error in loaded.errors:
        _err(f"error: {error}")
    rules = sorted(loaded.rules.values(), key=lambda r: r.id)
    linter = Linter(rules)
    for error in linter.errors:
        _err(f"error: {error}")
    results = run_examples(rules, linter)
    console = Console(highlight=False)
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
