"""One lint run's pipeline, shared by ``cslint check`` and ``cslint fix``:

settings (config + flags) -> rules (with options) -> inputs (minus ``exclude``) -> linter
-> per-path policy -> suppressions -> the caller (reporters, baseline, fixes).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cslint.config import Settings, load_settings, relative_to_root
from cslint.config.files import find_config
from cslint.config.policy import RulePolicy, check_rule_references, configured_rules
from cslint.errors import CslintError
from cslint.globs import glob_matches
from cslint.model import Conversation, Finding, InputError
from cslint.readers import ReadOptions, Source, collect_inputs, read_source
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
        rules_key = ("rules", tuple(settings.rules))
        first_load = rules_key not in shared
        if first_load:
            shared[rules_key] = load_rules(list(settings.rules))
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
        )
        first_linter = linter_key not in shared
        if first_linter:
            shared[linter_key] = Linter(
                to_run, severity_overrides=dict(settings.severity), vocabulary=settings.vocabulary
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
        self.settings: Settings = load_settings(request.paths, request.flags, request.config_file, request.use_config)
        self._shared: dict = {}
        self.primary = ConfigGroup(self.settings, request, on_error, shared=self._shared)
        from cslint.engine.linter import settle_heap

        settle_heap()  # long-lived from here on: spaCy, the rules, the compiled linter
        self._groups: dict[Path | None, ConfigGroup | None] = {self._key(self.settings.config_file): self.primary}
        self._nearest: dict[Path, Path | None] = {}
        # The primary group's, kept as attributes for callers that lint with one policy.
        self.linter = self.primary.linter
        self.rules = dict(self.primary.rules)
        self.read_options = self.primary.read_options
        stdin_data = stdin() if stdin is not None and "-" in request.paths else None
        self.inputs = collect_inputs(list(request.paths), stdin_data)
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
            elif source.path == "-" or not group.is_excluded(source.path):
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
                size += os.path.getsize(source.path)
            except OSError:
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
        if source.path == "-" or self.request.config_file is not None or not self.request.use_config:
            return self.primary
        folder = Path(os.path.abspath(source.path)).parent
        if folder not in self._nearest:
            self._nearest[folder] = self._key(find_config(folder))
        key = self._nearest[folder]
        if key not in self._groups:
            try:
                settings = load_settings([str(folder)], self.request.flags, None, True)
                self._groups[key] = ConfigGroup(
                    settings, self.request, self.on_error, report_rule_errors=True, shared=self._shared
                )
                self.rules.update(self._groups[key].rules)
            except CslintError as exc:
                self.on_error(f"error: {exc}")
                self._groups[key] = None
        return self._groups[key]

    def _conversations(
        self, sources: list[Source], group: ConfigGroup, errors: Callable[[InputError], None]
    ) -> Iterator[Conversation]:
        for source in sources:
            self.files += 1
            try:
                for item in read_source(source, group.read_options):
                    if isinstance(item, InputError):
                        errors(item)
                    else:
                        yield item
            except Exception as exc:  # a reader bug must not cost the other files
                errors(
                    InputError(
                        source.display, f"internal error while reading ({type(exc).__name__}: {exc}); please report it"
                    )
                )
            if self.on_file is not None:
                self.on_file(source)

    def run(self, errors: Callable[[InputError], None]) -> Iterator[Linted]:
        """Every conversation with the findings that count for it, in input order. Input
        errors, including bad suppressions, go to ``errors`` as they happen."""
        for error in self.input_errors:
            errors(error)
        # Consecutive files with the same config are linted as one stream (batched analysis).
        from cslint.engine.parallel import lint_parallel

        for group, run in itertools.groupby(self.inputs.sources, key=self.group_for):
            conversations = self._conversations(list(run), group, errors)
            for conversation, findings in lint_parallel(group.linter, conversations, self.jobs):
                findings = group.policy.apply(conversation.path, findings)
                outcome = group.suppressor.apply(conversation, findings)
                for error in outcome.errors:
                    errors(error)
                yield Linted(conversation, outcome.kept, outcome.suppressed)


__all__ = ["CslintError", "ConfigGroup", "LintRequest", "LintSession", "Linted"]
