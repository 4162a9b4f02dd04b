"""A lint pipeline kept warm between requests, shared by ``cslint serve`` and ``cslint lsp``.

Starting cslint costs over a second (spaCy, tokenizer special cases, rule compilation); linting
one draft costs milliseconds. A ``WarmLinter`` builds the pipeline once per config file (and
per rule selection a caller asks for), keeps it, and rebuilds it only when the config file or
one of its custom rule files changes. A config that breaks while the process runs is reported,
and the last good pipeline goes on serving.

Linting is serialised by a lock: the linter's analysis cache and the rules' per-conversation
memo are not thread-safe, and the work is CPU-bound Python, which threads would not speed up.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cslint.config import load_settings
from cslint.config.files import find_config
from cslint.draft import DraftOptions, config_anchor, read_context
from cslint.errors import CslintError
from cslint.model import Conversation, Finding, InputError
from cslint.readers import Source, read_source
from cslint.ruleset.rule import Rule
from cslint.session import ConfigGroup, Linted, LintRequest

#: Seconds between checks whether a config file (or its rule files) changed.
RECHECK_SECONDS = 1.0
#: Pipelines kept for different (config file, rule selection) pairs; the oldest goes first.
MAX_PIPELINES = 8
#: The name shown for a draft that stands for no file.
DRAFT_NAME = "<draft>"


class RequestError(CslintError):
    """Something wrong with what a caller asked for (an unknown rule, say): the caller's
    fault, not the config's."""


@dataclass(frozen=True)
class Draft:
    """One text to lint, and what it is."""

    text: str
    #: The file it stands for (config, reader by ending, path in findings); None: a draft.
    filename: str | None = None
    #: The conversation so far: a transcript in any supported format, or the customer's message.
    context: str | None = None
    customer: str | None = None
    channel: str | None = None
    #: Rule ids or categories: only these (``select``), not these (``ignore``).
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@dataclass
class TextLint:
    """The outcome of linting one text."""

    draft: Draft
    group: ConfigGroup
    linted: list[Linted] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    #: Whether the text's format can be edited in place (see ``Reader.fixable``).
    fixable: bool = False

    @property
    def findings(self) -> list[Finding]:
        return [f for item in self.linted for f in item.findings]

    def turn_of(self, finding: Finding):
        for item in self.linted:
            if item.conversation.id == finding.conversation and finding.turn < len(item.conversation.turns):
                return item.conversation.turns[finding.turn]
        return None


@dataclass
class _Pipeline:
    group: ConfigGroup
    signature: tuple
    checked: float
    #: Why the config could not be reloaded (the pipeline in use is the last good one).
    stale: str | None = None


class WarmLinter:
    """Builds and keeps pipelines; ``lint`` lints one text with the right one."""

    def __init__(
        self,
        flags: dict[str, Any] | None = None,
        config_file: str | None = None,
        use_config: bool = True,
        recheck_seconds: float = RECHECK_SECONDS,
    ) -> None:
        self.flags = dict(flags or {})
        self.config_file = config_file
        self.use_config = use_config
        self.recheck_seconds = recheck_seconds
        self._lock = threading.RLock()
        self._pipelines: OrderedDict[tuple, _Pipeline] = OrderedDict()
        #: Problems met while building pipelines (rule files with errors, broken configs).
        self.problems: list[str] = []

    # -- pipelines ----------------------------------------------------------------------

    def _config_for(self, filename: str | None) -> Path | None:
        if self.config_file is not None:
            return Path(self.config_file).resolve()
        if not self.use_config:
            return None
        found = find_config(Path(config_anchor(filename)) if filename else Path.cwd())
        return found.resolve() if found is not None else None

    def _signature(self, config: Path | None, group: ConfigGroup | None) -> tuple:
        """What, when changed, means the pipeline must be rebuilt: the config file and the
        rule files of its rule folders."""
        parts: list[Any] = [config, _stamp(config)]
        for folder in group.settings.rules if group is not None else ():
            parts.append((folder, _folder_stamp(Path(folder))))
        return tuple(parts)

    def _build(self, filename: str | None, selection: dict[str, list[str]]) -> ConfigGroup:
        flags = {**self.flags, **selection}
        anchor = [config_anchor(filename)] if filename else ["."]
        settings = load_settings(anchor, flags, self.config_file, self.use_config)
        problems: list[str] = []
        group = ConfigGroup(settings, LintRequest(paths=tuple(anchor)), problems.append)
        self.problems = problems
        return group

    def pipeline(self, filename: str | None = None, select: Iterable[str] = (), ignore: Iterable[str] = ()):
        """The warm ``ConfigGroup`` for ``filename`` (None: the current folder) and a rule
        selection, and why its config could not be reloaded (or None). Raises CslintError:
        RequestError for unknown rules, ConfigError for a config that never loaded."""
        select, ignore = tuple(select), tuple(ignore)
        with self._lock:
            config = self._config_for(filename)
            key = (config, select, ignore)
            now = time.monotonic()
            current = self._pipelines.get(key)
            if current is not None and now - current.checked < self.recheck_seconds:
                self._pipelines.move_to_end(key)
                return current.group, current.stale
            if current is not None and self._signature(config, current.group) == current.signature:
                current.checked = now
                return current.group, current.stale
            if select or ignore:
                # Check the names against the rules the config loads, so that a typo in a
                # request is the request's error, not the config's.
                base, _ = self.pipeline(filename)
                unknown_rules(select + ignore, base.rules)
            try:
                selection = {k: list(v) for k, v in (("select", select), ("ignore", ignore)) if v}
                group = self._build(filename, selection)
            except CslintError as exc:
                if current is None:
                    raise
                current.stale = f"{exc}; still using the configuration loaded before"
                current.checked = now
                current.signature = self._signature(config, current.group)
                return current.group, current.stale
            self._pipelines[key] = _Pipeline(group, self._signature(config, group), now)
            while len(self._pipelines) > MAX_PIPELINES:
                self._pipelines.popitem(last=False)
            return group, None

    def recheck_now(self) -> None:
        """Look for changed config and rule files at the next use, however recent the last
        look (an editor just saved one)."""
        with self._lock:
            for pipeline in self._pipelines.values():
                pipeline.checked = float("-inf")

    # -- linting ------------------------------------------------------------------------

    def lint(self, draft: Draft) -> TextLint:
        """Lint ``draft.text`` as the file or draft it stands for. Raises CslintError for a
        bad request (unknown rules, an unreadable context) or a config that never loaded."""
        from cslint.readers.discover import choose_reader

        with self._lock:
            group, stale = self.pipeline(draft.filename, draft.select, draft.ignore)
            outcome = TextLint(draft, group)
            if stale:
                outcome.errors.append(InputError(_config_name(group), stale))
            source = Source("-", draft.text.encode("utf-8"), draft.filename)
            options = DraftOptions(
                channel=draft.channel,
                context_file="-" if draft.context is not None else None,
                customer=draft.customer,
                stdin_filename=draft.filename,
            ).with_context(lambda _path: read_context((draft.context or "").encode("utf-8"), group.read_options))
            try:
                outcome.fixable = choose_reader(source, group.read_options).fixable
            except CslintError:
                outcome.fixable = False
            conversations: list[Conversation] = []
            for item in read_source(source, group.read_options):
                if isinstance(item, InputError):
                    outcome.errors.append(item)
                else:
                    conversations.append(options.prepare(item, from_stdin=True))
            for conversation, findings in group.linter.lint(conversations):
                findings = group.policy.apply(conversation.path, findings)
                kept = group.suppressor.apply(conversation, findings)
                outcome.errors.extend(kept.errors)
                outcome.linted.append(Linted(conversation, kept.kept, kept.suppressed))
            return outcome

    def rules(self, filename: str | None = None) -> dict[str, Rule]:
        group, _ = self.pipeline(filename)
        return group.rules


def unknown_rules(names: Iterable[str], rules: dict[str, Rule]) -> None:
    """RequestError naming the first rule id or category ``rules`` do not have."""
    import difflib

    known = set(rules) | {r.category for r in rules.values()} | {"all"}
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise RequestError(f"no rule or category named {name!r}{hint}")


def _config_name(group: ConfigGroup) -> str:
    config = group.settings.config_file
    return str(config) if config is not None else "<config>"


def _stamp(path: Path | None) -> tuple | None:
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def _folder_stamp(folder: Path) -> tuple:
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return ()
    return tuple((name, _stamp(folder / name)) for name in names if name.endswith((".yaml", ".yml")))


def fix_plan(outcome: TextLint, findings: Iterable[Finding] | None = None):
    """The safe fixes of ``findings`` (default: all of the outcome's) as edits of the text
    (``fixing.FilePlan``); none when the text's format cannot be edited in place."""
    from cslint.fixing import FilePlan, plan_edits, safe_betters

    plan = FilePlan(outcome.draft.filename or DRAFT_NAME, outcome.draft.text)
    if not outcome.fixable:
        return plan
    for finding in outcome.findings if findings is None else findings:
        rule = outcome.group.rules.get(finding.rule)
        turn = outcome.turn_of(finding)
        if rule is not None and turn is not None and safe_betters(rule):
            plan_edits(plan, turn, finding, rule)
    return plan
