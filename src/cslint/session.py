"""One lint run's pipeline, shared by ``cslint check`` and ``cslint fix``:

settings (config + flags) -> rules (with options) -> inputs (minus ``exclude``) -> linter
-> per-path policy -> suppressions -> the caller (reporters, baseline, fixes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping

from cslint.config import Settings, load_settings, relative_to_root
from cslint.config.policy import RulePolicy, check_rule_references, configured_rules
from cslint.errors import CslintError
from cslint.globs import glob_matches
from cslint.model import Conversation, Finding, InputError
from cslint.readers import ReadOptions, collect_inputs, read_source
from cslint.suppression import Suppressed, Suppressor


@dataclass
class LintRequest:
    paths: tuple[str, ...]
    #: Settings given as flags: {config key: value} (only the flags actually given).
    flags: Mapping[str, Any] = field(default_factory=dict)
    config_file: str | None = None
    use_config: bool = True
    input_format: str | None = None
    encoding: str | None = None


@dataclass
class Linted:
    conversation: Conversation
    #: Findings that count (after per-path policy and suppressions), all severities.
    findings: list[Finding]
    suppressed: list[Suppressed]


class LintSession:
    """Prepares everything for a run; raises CslintError (ConfigError) for bad settings."""

    def __init__(self, request: LintRequest, on_error: Callable[[str], None], stdin: Callable[[], bytes] | None = None) -> None:
        from cslint.engine.linter import Linter
        from cslint.ruleset import load_rules

        self.request = request
        self.on_error = on_error
        self.settings: Settings = load_settings(request.paths, request.flags, request.config_file, request.use_config)
        loaded = load_rules(list(self.settings.rules))
        for error in loaded.errors:
            on_error(f"error: {error}")
        check_rule_references(self.settings, loaded.rules)
        self.rules = configured_rules(loaded.rules, self.settings)
        self.policy = RulePolicy(self.rules, self.settings)
        self.linter = Linter(
            self.policy.rules_to_run(),
            severity_overrides=dict(self.settings.severity),
            vocabulary=self.settings.vocabulary,
        )
        for error in self.linter.errors:
            on_error(f"error: {error}")
        self.rule_errors = len(loaded.errors) + len(self.linter.errors)
        self.suppressor = Suppressor(self.rules)
        self.read_options = ReadOptions(
            speaker_labels=dict(self.settings.speakers),
            input_format=request.input_format,
            encoding=request.encoding,
            agent_domains=self.settings.agent_domains,
            csv_columns=dict(self.settings.csv_columns),
        )
        stdin_data = stdin() if stdin is not None and "-" in request.paths else None
        self.inputs = collect_inputs(list(request.paths), stdin_data)
        kept = [s for s in self.inputs.sources if s.path == "-" or not self.is_excluded(s.path)]
        self.excluded = len(self.inputs.sources) - len(kept)
        self.inputs.sources = kept
        self.input_errors: list[InputError] = list(self.inputs.errors)
        self.files = 0

    def is_excluded(self, path: str) -> bool:
        relative = relative_to_root(self.settings, path)
        return any(glob_matches(pattern, relative) for pattern in self.settings.exclude)

    def _conversations(self, errors: Callable[[InputError], None]) -> Iterator[Conversation]:
        for source in self.inputs.sources:
            self.files += 1
            try:
                for item in read_source(source, self.read_options):
                    if isinstance(item, InputError):
                        errors(item)
                    else:
                        yield item
            except Exception as exc:  # a reader bug must not cost the other files
                errors(InputError(source.display, f"internal error while reading ({type(exc).__name__}: {exc}); please report it"))

    def run(self, errors: Callable[[InputError], None]) -> Iterator[Linted]:
        """Every conversation with the findings that count for it. Input errors, including
        bad suppressions, go to ``errors`` as they happen."""
        for error in self.input_errors:
            errors(error)
        for conversation, findings in self.linter.lint(self._conversations(errors)):
            findings = self.policy.apply(conversation.path, findings)
            outcome = self.suppressor.apply(conversation, findings)
            for error in outcome.errors:
                errors(error)
            yield Linted(conversation, outcome.kept, outcome.suppressed)


__all__ = ["CslintError", "LintRequest", "LintSession", "Linted"]
