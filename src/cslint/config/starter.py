"""``cslint init``: a commented starter ``.cslint.yaml``."""

from __future__ import annotations

from pathlib import Path

from cslint.errors import ConfigError

STARTER = """\
# cslint configuration (cslint's README, "Configuration and CI"; 'cslint config show --help').
# Found from the linted path upwards; command-line flags override what is set here.
# Merge order: built-in defaults < this file < flags. 'cslint config show' prints the result.

# Rules to run instead of the rules on by default (ids or categories; 'all' for every rule).
# select: [sins-of-service]

# Rules or categories never to run.
ignore: []

# Rules or categories to run on top of the selection, and more never to run.
extend_select: []
extend_ignore: []

# Per-rule severity: info, warning or error.
severity: {}
#   runaround: error

# Show findings at or above this severity; exit 1 on findings at or above fail_on.
min_severity: info
fail_on: warning

# Folders of your own rules, relative to this file.
rules: []

# Installed rule packs to use (Python packages with a 'cslint.rules' entry point).
packs: []
#   - acme

# auto: English-only rules skip turns that do not read as English (counted in the summary);
# en: lint every turn as English.
language: auto

# Speaker labels or agent names in chat logs and their role (agent, customer, bot, system).
speakers: {}
#   Sam: agent

# E-mail: domains or addresses whose messages are the agent's (otherwise guessed).
agent_domains: []
#   - acme.com

# CSV: which column holds what, when the headers are not recognised.
csv_columns: {}
#   id: ticket_id
#   text: body

# Your terms: accepted ones are never jargon (brand names, product terms, acronyms your
# customers know); rejected ones are flagged.
vocabulary:
  accept: []
  reject: []

# Files never linted (globs relative to this file; '**' spans folders).
exclude: []
#   - drafts/**

# Overrides for the files a glob matches: select, ignore, severity.
per_path: {}
#   "legacy/**":
#     ignore: [runaround]
#     severity: {blame: info}

# Options passed to rules, merged into each rule's own options.
rule_options: {}

# Scores in the HTML, CSV and JSON reports: a conversation starts at 100 and loses each
# finding's weight (by rule, else by severity); a critical rule fails it (score 0).
scorecard: {}
#   severity_weights: {error: 15, warning: 5, info: 1}
#   weights: {blame: 20}
#   critical: [blame]
#   pass_mark: 80
#   min_conversations: 5     # agents with fewer are ranked after the others
# Run 'cslint check' on a Dask cluster (needs cslint[dask]): the scheduler's address, or
# local:N for N worker processes on this machine; null runs on this machine (--jobs).
scheduler: null
#   scheduler: tcp://dask-scheduler:8786
# Your own model from 'cslint train' (your team's reviewed conversations): the rules'
# learned detectors use it before the built-in one (a folder, relative to this file).
models: null
#   models/ours
"""

CONFIG_NAME = ".cslint.yaml"


def write_starter(folder: Path) -> Path:
    """Create ``folder/.cslint.yaml``; ConfigError if it already exists (never overwritten)."""
    target = folder / CONFIG_NAME
    try:
        with open(target, "x", encoding="utf-8") as out:
            out.write(STARTER)
    except FileExistsError:
        raise ConfigError("already exists; not overwritten (edit it, or remove it first)", str(target)) from None
    except OSError as exc:
        raise ConfigError(f"cannot create: {exc.strerror or exc}", str(target)) from None
    return target
