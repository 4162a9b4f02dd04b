"""One lint run's pipeline, shared by ``cslint check`` and ``cslint fix``:

settings (config + flags) -> rules (with options) -> inputs (minus ``exclude``) -> linter
-> per-path policy -> suppressions -> the caller (reporters, baseline, fixes).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cslint.config import Settings, load_settings, relative_to_root
from cslint.config.files import find_config
from cslint.config.policy import RulePolicy, check_rule_references, configured_rules
from cslint.draft import DraftOptions, config_anchor, read_context
from cslint.errors import CslintError
from cslint.execution import Executor, ProcessExecutor
from cslint.globs import glob_matches
from cslint.model import Conversation, Finding, InputError
from cslint.readers import ReadOptions, Source, collect_inputs, read_source
from cslint.readers.discover import WalkOptions
from cslint.readers.remote import is_url
from cslint.suppression import Suppressed, Suppressor

#: --jobs is capped at this many worker processes per core.
MAX_JOBS_PER_CORE = 4


@dataclass
class LintRequest:
    paths: tuple[str, ...]
    #: Settings given as flags: {config key: value} (only the flags actually given).
    flags: Mapping[str, Any] = field(default_factory=dict)
    config_file: str | None = None
    use_config: bool = True
    input_format: str | None = None
    encoding: str | None = None
    #: Worker processes; 0 = one per core. Small inputs are always linted in-process, where
    #: starting workers would cost more than it saves.
    jobs: int = 1
    #: Drafts: channel, the conversation so far, what standard input stands for.
    draft: DraftOptions = field(default_factory=DraftOptions)
    #: Skip what ``.gitignore`` files ignore when walking folders.
    respect_gitignore: bool = True

    def reserved_paths(self) -> tuple[str, ...]:
        """Files this run writes or reads besides its inputs: never linted."""
        return ()


@dataclass
class Linted:
    conversation: Conversation
    #: Findings that count (after per-path policy and suppressions), all severities.
    findings: list[Finding]
    suppressed: list[Suppressed]


class ConfigGroup:
    """Everything that depends on one config file: settings, rules, policy, linter, reading."""

    def __init__(
        self,
        settings: Settings,
        request: LintRequest,
        on_error: Callable[[str], None],
        report_rule_errors: bool = True,
        shared: dict | None = None,
    ) -> None:
        from cslint.engine.linter import Linter
        from cslint.ruleset import load_rules

        #: Rules and linters already built in this run, by what decides them: 200 folders with
        #: their own (equal) config files share one linter instead of building 200.
        shared = {} if shared is None else shared
        self.settings = settings
        rules_key = ("rules", tuple(settings.rules), tuple(settings.packs))
        first_load = rules_key not in shared
        if first_load:
            shared[rules_key] = load_rules(list(settings.rules), pack_names=settings.packs)
        loaded = shared[rules_key]
        if report_rule_errors and first_load:
            for error in loaded.errors:
                on_error(f"error: {error}")
        check_rule_references(settings, loaded.rules)
        self.rules = configured_rules(loaded.rules, settings)
        self.policy = RulePolicy(self.rules, settings)
        to_run = self.policy.rules_to_run()
        linter_key = (
            "linter",
            rules_key,
            tuple(r.id for r in to_run),
            repr(sorted((k, dict(v)) for k, v in settings.rule_options.items())),
            repr(sorted(settings.severity.items())),
            repr(settings.vocabulary),
            settings.language,
            str(settings.models) if settings.models else None,
        )
        first_linter = linter_key not in shared
        if first_linter:
            shared[linter_key] = Linter(
                to_run,
                severity_overrides=dict(settings.severity),
                vocabulary=settings.vocabulary,
                language=settings.language,
                models=str(settings.models) if settings.models else None,
            )
        self.linter = shared[linter_key]
        if first_linter:
            for error in self.linter.errors:
                on_error(f"error: {error}")
        self.rule_errors = (len(loaded.errors) if report_rule_errors and first_load else 0) + (
            len(self.linter.errors) if first_linter else 0
        )
        self.suppressor = Suppressor(self.rules)
        self.read_options = ReadOptions(
            speaker_labels=dict(settings.speakers),
            input_format=request.input_format,
            encoding=request.encoding,
            agent_domains=settings.agent_domains,
            csv_columns=dict(settings.csv_columns),
        )

    def is_excluded(self, path: str) -> bool:
        relative = relative_to_root(self.settings, path)
        return any(glob_matches(pattern, relative) for pattern in self.settings.exclude)


class LintSession:
    """Prepares everything for a run; raises CslintError (ConfigError) for bad settings.

    Like ruff or sqlfluff, each file is linted with the config file nearest to it: a folder
    of canned responses with its own ``.cslint.yaml`` inside a larger tree keeps its own
    speakers, vocabulary, excludes and rule choices. The thresholds that decide what is shown
    and the exit status (``min_severity``, ``fail_on``) are the run's: from the config nearest
    the first path, and the flags. ``--config FILE`` or ``--no-config`` apply to every file.
    """

    def __init__(
        self, request: LintRequest, on_error: Callable[[str], None], stdin: Callable[[], bytes] | None = None
    ) -> None:
        self.request = request
        self.on_error = on_error
        self.settings: Settings = load_settings(
            request.draft.settings_paths(request.paths), request.flags, request.config_file, request.use_config
        )
        self._shared: dict = {}
        self.primary = ConfigGroup(self.settings, request, on_error, shared=self._shared)
        from cslint.startup import freeze_heap

        freeze_heap()  # long-lived from here on: spaCy, the rules, the compiled linter
        self._groups: dict[Path | None, ConfigGroup | None] = {self._key(self.settings.config_file): self.primary}
        self._nearest: dict[Path, Path | None] = {}
        # The primary group's, kept as attributes for callers that lint with one policy.
        self.linter = self.primary.linter
        self.rules = dict(self.primary.rules)
        self.read_options = self.primary.read_options
        reads_stdin = "-" in request.paths or request.draft.context_from_stdin
        stdin_data = stdin() if stdin is not None and reads_stdin else None
        self.draft = read_draft_context(request.draft, stdin_data, self.read_options)
        walk = WalkOptions(
            respect_gitignore=request.respect_gitignore,
            reserved=frozenset(os.path.abspath(p) for p in request.reserved_paths()),
        )
        self.inputs = collect_inputs(list(request.paths), stdin_data, walk, request.draft.stdin_filename)
        for note in self.inputs.walk.notes():
            on_error(f"note: {note}")
        self.input_errors: list[InputError] = list(self.inputs.errors)
        kept = []
        for source in self.inputs.sources:
            group = self.group_for(source)
            if group is None:
                self.input_errors.append(
                    InputError(source.display, "not linted: its config file has errors (see above)")
                )
            elif source.path == "-" or is_url(source.path) or not group.is_excluded(source.path):
                kept.append(source)
        self.excluded = (
            len(self.inputs.sources)
            - len(kept)
            - sum(1 for e in self.input_errors if e.message.startswith("not linted"))
        )
        self.inputs.sources = kept
        self.files = 0
        #: Called with each source once it has been read (for progress display).
        self.on_file: Callable[[Source], None] | None = None
        self.jobs = self._effective_jobs()
        #: Carries out the lint: in this process or --jobs processes, or elsewhere (a cluster).
        self.executor: Executor = ProcessExecutor()

    #: Below this much input, worker processes cost more than they save.
    PARALLEL_MIN_BYTES = 2 * 1024 * 1024

    def _effective_jobs(self) -> int:
        from cslint.engine.parallel import default_jobs

        jobs = self.request.jobs or default_jobs()
        cap = MAX_JOBS_PER_CORE * default_jobs()
        if jobs > cap:
            # Each worker holds a whole linter (spaCy included): thousands would exhaust memory.
            self.on_error(f"note: --jobs {jobs} is more than {MAX_JOBS_PER_CORE} per core; using {cap}")
            jobs = cap
        if jobs <= 1:
            return 1
        size = 0
        for source in self.inputs.sources:
            if source.path == "-":
                size += len(source.data or b"")
                continue
            try:
                size += source.size()
            except (OSError, CslintError):
                pass
            if size >= self.PARALLEL_MIN_BYTES:
                return jobs
        return 1

    def cache_stats(self):
        from cslint.engine.cache import CacheStats

        total = CacheStats()
        for linter in self.linters:
            total.add(linter.cache.stats)
        return total

    @property
    def rule_errors(self) -> int:
        return sum(g.rule_errors for g in self._groups.values() if g is not None)

    @property
    def groups(self) -> list[ConfigGroup]:
        return [g for g in self._groups.values() if g is not None]

    @property
    def linters(self) -> list:
        """Each linter once (groups with the same effective settings share one)."""
        return list({id(g.linter): g.linter for g in self.groups}.values())

    @staticmethod
    def _key(config_file: Path | None) -> Path | None:
        return config_file.resolve() if config_file is not None else None

    def group_for(self, source: Source) -> ConfigGroup | None:
        """The config group of a source: its nearest config file's (None if that is broken)."""
        # Standard input alone and URLs have no folder to look for a config file in.
        stdin_alone = source.path == "-" and not self.request.draft.stdin_filename
        if stdin_alone or is_url(source.path) or self.request.config_file is not None or not self.request.use_config:
            return self.primary
        if source.path == "-":  # standing for a file, perhaps not saved yet: its nearest existing folder
            where = config_anchor(source.display)
            folder = Path(where) if os.path.isdir(where) else Path(where).parent
        else:
            folder = Path(os.path.abspath(source.path)).parent
        if folder not in self._nearest:
            self._nearest[folder] = self._key(find_config(folder))
        key = self._nearest[folder]
        if key not in self._groups:
            try:
                settings = load_settings([str(folder)], self.request.flags, None, True)
                group = ConfigGroup(settings, self.request, self.on_error, report_rule_errors=True, shared=self._shared)
                self._groups[key] = group
                self.rules.update(group.rules)
            except CslintError as exc:
                self.on_error(f"error: {exc}")
                self._groups[key] = None
        return self._groups[key]

    def read_conversations(
        self, sources: list[Source], group: ConfigGroup, errors: Callable[[InputError], None]
    ) -> Iterator[Conversation]:
        for source in sources:
            self.files += 1
            from_stdin = source.path == "-"
            for conversation in read_conversations(source, group.read_options, errors):
                yield self.draft.prepare(conversation, from_stdin=from_stdin)
            if self.on_file is not None:
                self.on_file(source)

    def lint(self, errors: Callable[[InputError], None]) -> Iterator[Linted]:
        """Every conversation with the findings that count for it, in input order. Input
        errors, including bad suppressions, go to ``errors`` as they happen."""
        for error in self.input_errors:
            errors(error)
        yield from self.executor.run(self, errors)


def read_conversations(
    source: Source, options: ReadOptions, errors: Callable[[InputError], None]
) -> Iterator[Conversation]:
    """The conversations of one source; its input errors go to ``errors``."""
    try:
        for item in read_source(source, options):
            if isinstance(item, InputError):
                errors(item)
            else:
                yield item
    except Exception as exc:  # a reader bug must not cost the other files
        errors(
            InputError(source.display, f"internal error while reading ({type(exc).__name__}: {exc}); please report it")
        )


def settle(
    policy: RulePolicy,
    suppressor: Suppressor,
    conversation: Conversation,
    findings: list[Finding],
    errors: Callable[[InputError], None],
) -> Linted:
    """The findings that count for a linted conversation: per-path policy, then suppressions."""
    findings = policy.apply(conversation.path, findings)
    outcome = suppressor.apply(conversation, findings)
    for error in outcome.errors:
        errors(error)
    return Linted(conversation, outcome.kept, outcome.suppressed)


def read_draft_context(options: DraftOptions, stdin_data: bytes | None, read_options: ReadOptions) -> DraftOptions:
    """``options`` with its context read (a file, or ``-``: standard input). Raises ContextError."""

    def read(path: str):
        if path == "-":
            return read_context(stdin_data or b"", read_options)
        return read_context(None, read_options, path)

    return options.with_context(read)


__all__ = ["CslintError", "ConfigGroup", "LintRequest", "LintSession", "Linted"]
