"""Scorecards: a quality score per conversation and per agent, as QA reviewers keep them.

The formula (configured by the ``scorecard:`` key of ``.cslint.yaml``)::

    conversation score = max(0, 100 - sum of the weights of its findings)
    weight of a finding = scorecard.weights[rule]  or  scorecard.severity_weights[severity]
    a finding of a rule listed in scorecard.critical fails the conversation: score 0
    a conversation passes when its score >= scorecard.pass_mark (and nothing critical)

Per agent: the conversations they took part in, their agent turns, the findings in their
turns, findings per 100 of their agent turns (so a busy agent is not ranked below a quiet
one only for answering more), their mean conversation score, and how many of their
conversations failed. Agents are ranked by mean score, then by the lower rate; those with fewer than
``scorecard.min_conversations`` conversations (default 5) come after the others.

The module works on the shared data model only (no engine): the reporters use it.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import IO, Any

from cslint.model import Conversation, Finding, Severity
from cslint.timeparse import week_of

PERFECT = 100.0
#: Agent turns without a name (canned responses, anonymised exports) are counted under this.
UNNAMED_AGENT = "(unnamed)"

DEFAULT_SEVERITY_WEIGHTS = {Severity.ERROR: 15.0, Severity.WARNING: 5.0, Severity.INFO: 1.0}
DEFAULT_PASS_MARK = 80.0
#: Agents with fewer conversations are ranked after the others: one lucky conversation is no record.
DEFAULT_MIN_CONVERSATIONS = 5
#: Width of the score bands of ``ScoreBook.distribution``.
BAND_WIDTH = 10
#: Conversation records kept in memory before the spool moves to a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class ScorecardConfig:
    weights: Mapping[str, float] = field(default_factory=dict)
    severity_weights: Mapping[Severity, float] = field(default_factory=lambda: dict(DEFAULT_SEVERITY_WEIGHTS))
    #: In the order the config lists them (for error messages that point at an entry).
    critical: tuple[str, ...] = ()
    pass_mark: float = DEFAULT_PASS_MARK
    min_conversations: int = DEFAULT_MIN_CONVERSATIONS

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> ScorecardConfig:
        """From the validated ``scorecard:`` value (see config/keys.py for its schema)."""
        severity_weights = dict(DEFAULT_SEVERITY_WEIGHTS)
        severity_weights.update({Severity.parse(k): float(v) for k, v in raw.get("severity_weights", {}).items()})
        return cls(
            weights={rule: float(w) for rule, w in raw.get("weights", {}).items()},
            severity_weights=severity_weights,
            critical=tuple(dict.fromkeys(raw.get("critical", ()))),
            pass_mark=float(raw.get("pass_mark", DEFAULT_PASS_MARK)),
            min_conversations=int(raw.get("min_conversations", DEFAULT_MIN_CONVERSATIONS)),
        )

    def weight(self, finding: Finding) -> float:
        return self.weights.get(finding.rule, self.severity_weights[finding.severity])

    def to_dict(self) -> dict[str, Any]:
        return {
            "formula": "max(0, 100 - sum of finding weights); 0 if a critical rule is found",
            "weights": dict(sorted(self.weights.items())),
            "severity_weights": {s.label: w for s, w in sorted(self.severity_weights.items(), reverse=True)},
            "critical": sorted(self.critical),
            "pass_mark": self.pass_mark,
            "min_conversations": self.min_conversations,
        }


@dataclass
class ConversationScore:
    index: int
    path: str
    conversation: str
    title: str | None
    channel: str | None
    agents: tuple[str, ...]
    turns: int
    agent_turns: int
    findings: int
    by_severity: dict[str, int]
    by_rule: dict[str, int]
    deduction: float
    critical: tuple[str, ...]
    score: float
    passed: bool
    #: Monday of the week the conversation started, when its turns carry dates.
    week: str | None
    #: Per agent in it: (their agent turns, findings in their turns), for per-agent trends.
    agent_counts: dict[str, tuple[int, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path,
            "conversation": self.conversation,
            "agents": list(self.agents),
            "turns": self.turns,
            "agent_turns": self.agent_turns,
            "findings": self.findings,
            "by_severity": self.by_severity,
            "by_rule": self.by_rule,
            "score": self.score,
            "passed": self.passed,
            "critical": list(self.critical),
        }
        for key in ("title", "channel", "week"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data

    def to_line(self) -> str:
        """The record as one JSON line (how ``ScoreBook`` keeps it until the reports ask)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return json.dumps(values, separators=(",", ":")) + "\n"

    @classmethod
    def from_line(cls, line: str) -> ConversationScore:
        values = json.loads(line)
        values["agents"] = tuple(values["agents"])
        values["critical"] = tuple(values["critical"])
        values["agent_counts"] = {name: (pair[0], pair[1]) for name, pair in values["agent_counts"].items()}
        return cls(**values)


@dataclass
class AgentScore:
    agent: str
    conversations: int = 0
    agent_turns: int = 0
    findings: int = 0
    score_total: float = 0.0
    failed: int = 0
    critical: int = 0
    by_rule: Counter = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        """Findings per 100 of this agent's turns."""
        return round(100.0 * self.findings / self.agent_turns, 2) if self.agent_turns else 0.0

    @property
    def mean_score(self) -> float:
        return round(self.score_total / self.conversations, 1) if self.conversations else PERFECT

    def to_dict(self, rank: int, min_conversations: int = 0) -> dict[str, Any]:
        return {
            "rank": rank,
            "few_conversations": self.conversations < min_conversations,
            "agent": self.agent,
            "conversations": self.conversations,
            "agent_turns": self.agent_turns,
            "findings": self.findings,
            "per_100_agent_turns": self.rate,
            "mean_score": self.mean_score,
            "failed": self.failed,
            "critical": self.critical,
            "by_rule": dict(sorted(self.by_rule.items())),
        }


def agent_name(name: str | None) -> str:
    return name.strip() if name and name.strip() else UNNAMED_AGENT


def is_agent_turn(turn) -> bool:
    return turn.speaker == "agent" and turn.lintable


def _tally(values: Iterable[str]) -> dict[str, int]:
    """How often each value occurs, in order of first occurrence (as ``dict(Counter(...))``)."""
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def conversation_week(conversation: Conversation) -> str | None:
    for turn in conversation.turns:
        week = week_of(turn.time)
        if week is not None:
            return week
    return None


class ScoreBook:
    """Scores every conversation of a run as it is linted (in input order), and the agents.

    Memory stays flat however long the run: the totals, the score bands, the weekly trends
    and the agents are kept as running sums, and each conversation's record goes to a spool
    (in memory up to ``SPOOL_BYTES``, then an anonymous temporary file) that ``records()``
    reads back for the reports that list every conversation. Kept as objects, the records
    cost ~1 KB a conversation: a gigabyte for a million."""

    def __init__(self, config: ScorecardConfig | None = None) -> None:
        self.config = config or ScorecardConfig()
        self._agents: dict[str, AgentScore] = {}
        self._spool: IO[str] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", encoding="utf-8")
        self._count = 0
        self._score_total = 0.0
        self._agent_turns = 0
        self._findings = 0
        self._passed = 0
        self._critical_failed = 0
        self._bands: dict[int, int] = {}
        #: week -> [conversations, agent turns, findings, score total]
        self._weeks: dict[str, list[float]] = {}
        #: agent -> week -> [agent turns, findings]
        self._agent_weeks: dict[str, dict[str, list[int]]] = {}

    def __len__(self) -> int:
        return self._count

    def records(self) -> Iterator[ConversationScore]:
        """Every conversation's record, in the order they were added."""
        self._spool.flush()
        self._spool.seek(0)
        try:
            for line in self._spool:
                yield ConversationScore.from_line(line)
        finally:
            self._spool.seek(0, io.SEEK_END)  # records added later are appended

    def add(self, conversation: Conversation, findings: list[Finding]) -> ConversationScore:
        # Plain dicts, not Counters: a run adds every conversation, most with a turn or two
        # and no finding, and building five Counters was most of the time spent here.
        turns_by_agent: dict[str, int] = {}
        for t in conversation.turns:
            if is_agent_turn(t):
                name = agent_name(t.name)
                turns_by_agent[name] = turns_by_agent.get(name, 0) + 1
        critical = tuple(sorted({f.rule for f in findings if f.rule in self.config.critical}))
        deduction = sum(self.config.weight(f) for f in findings)
        score = 0.0 if critical else round(max(0.0, PERFECT - deduction), 1)
        record = ConversationScore(
            index=self._count,
            path=conversation.path,
            conversation=conversation.id,
            title=conversation.title,
            channel=conversation.channel,
            agents=tuple(sorted(turns_by_agent)),
            turns=len(conversation.turns),
            agent_turns=sum(turns_by_agent.values()),
            findings=len(findings),
            by_severity=_tally(f.severity.label for f in findings),
            by_rule=dict(sorted(_tally(f.rule for f in findings).items())),
            deduction=deduction,
            critical=critical,
            score=score,
            passed=not critical and score >= self.config.pass_mark,
            week=conversation_week(conversation),
        )
        findings_by_agent: dict[str, list[Finding]] = {}
        for f in findings:
            if f.speaker == "agent":
                findings_by_agent.setdefault(agent_name(f.agent), []).append(f)
        names = sorted(turns_by_agent.keys() | findings_by_agent.keys())
        record.agent_counts = {
            name: (turns_by_agent.get(name, 0), len(findings_by_agent.get(name, ()))) for name in names
        }
        for name in names:
            agent = self._agents.setdefault(name, AgentScore(name))
            own = findings_by_agent.get(name, [])
            agent.conversations += 1
            agent.agent_turns += turns_by_agent.get(name, 0)
            agent.findings += len(own)
            agent.score_total += score
            agent.failed += not record.passed
            agent.critical += bool(critical)
            if own:
                agent.by_rule.update(f.rule for f in own)
        self._sum(record)
        self._spool.write(record.to_line())
        return record

    def _sum(self, record: ConversationScore) -> None:
        """Add ``record`` to the running totals, score bands and weekly trends."""
        self._count += 1
        self._score_total += record.score
        self._agent_turns += record.agent_turns
        self._findings += record.findings
        self._passed += record.passed
        self._critical_failed += bool(record.critical)
        band = min(int(record.score // BAND_WIDTH) * BAND_WIDTH, 100)
        self._bands[band] = self._bands.get(band, 0) + 1
        if record.week is None:
            return
        week = self._weeks.setdefault(record.week, [0, 0, 0, 0.0])
        week[0] += 1
        week[1] += record.agent_turns
        week[2] += record.findings
        week[3] += record.score
        for name, (turns, found) in record.agent_counts.items():
            cell = self._agent_weeks.setdefault(name, {}).setdefault(record.week, [0, 0])
            cell[0] += turns
            cell[1] += found

    def agents(self) -> list[AgentScore]:
        """Best first: higher mean score, then fewer findings per 100 agent turns, then name;
        agents with fewer than ``min_conversations`` conversations after all the others, and
        the turns of no named agent last."""
        few = self.config.min_conversations
        return sorted(
            self._agents.values(),
            key=lambda a: (a.agent == UNNAMED_AGENT, a.conversations < few, -a.mean_score, a.rate, a.agent),
        )

    def totals(self) -> dict[str, Any]:
        count, agent_turns = self._count, self._agent_turns
        return {
            "conversations": count,
            "agent_turns": agent_turns,
            "mean_score": round(self._score_total / count, 1) if count else PERFECT,
            "passed": self._passed,
            "failed": count - self._passed,
            "critical_failed": self._critical_failed,
            "per_100_agent_turns": round(100.0 * self._findings / agent_turns, 2) if agent_turns else 0.0,
        }

    def distribution(self) -> list[dict[str, Any]]:
        """How many conversations score in each band: 0-9, 10-19, ..., 90-99, 100."""
        return [{"from": low, "conversations": self._bands.get(low, 0)} for low in range(0, 101, BAND_WIDTH)]

    def agent_trends(self) -> dict[str, list[dict[str, Any]]]:
        """Per agent, per week: their agent turns, findings and findings per 100 agent turns."""
        return {
            name: [
                {
                    "week": week,
                    "agent_turns": turns,
                    "findings": found,
                    "per_100_agent_turns": round(100.0 * found / turns, 2) if turns else 0.0,
                }
                for week, (turns, found) in sorted(weeks.items())
            ]
            for name, weeks in sorted(self._agent_weeks.items())
        }

    def trends(self) -> list[dict[str, Any]]:
        """Per week (conversations with dated turns only): volume, findings, rate, mean score."""
        return [
            {
                "week": week,
                "conversations": int(conversations),
                "agent_turns": int(agent_turns),
                "findings": int(found),
                "per_100_agent_turns": round(100.0 * found / agent_turns, 2) if agent_turns else 0.0,
                "mean_score": round(score_total / conversations, 1),
            }
            for week, (conversations, agent_turns, found, score_total) in sorted(self._weeks.items())
        ]
