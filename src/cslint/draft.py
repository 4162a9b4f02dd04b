"""Checking a draft reply before it is sent: the draft's channel, and the conversation so far.

A reply an agent is writing is not a canned response: rules scoped away from canned replies
(template leaks, no next step) apply to it. Given the conversation so far (the customer's
message, or a whole transcript), it is linted as the next turn of that conversation, so that
cross-turn rules (asks again, unacknowledged frustration, unanswered question) judge it in
context. The context's turns are never linted themselves.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cslint.errors import CslintError
from cslint.model import CONTEXT_META, Conversation, InputError, Turn
from cslint.readers import ReadOptions, Source, read_source
from cslint.readers.base import ReadResult

#: The channel of a reply being written (rules' ``scope.channels`` may name it).
DRAFT_CHANNEL = "draft"
#: The channel readers give a single reply read from a file (macros, saved replies).
CANNED_CHANNEL = "canned"


def is_channel_name(name: str) -> bool:
    """A channel name: lower-case letters, digits, ``-`` and ``_`` (draft, chat, email, ...)."""
    return re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", name) is not None


class ContextError(CslintError):
    """The conversation given as context cannot be read."""


@dataclass(frozen=True)
class DraftOptions:
    #: ``--channel``: the channel of every input, whatever its reader says.
    channel: str | None = None
    #: ``--context``: a file (or ``-``) holding the conversation so far.
    context_file: str | None = None
    #: ``--customer``: the customer's message the draft answers (after ``context_file``).
    customer: str | None = None
    #: The conversation so far, once read (``with_context``): prepended to each input as
    #: context only.
    context: tuple[Turn, ...] = ()
    #: ``--stdin-filename``: the file standard input stands for (config, per-path settings,
    #: the reader chosen by its ending, and the path shown in findings).
    stdin_filename: str | None = None

    def settings_paths(self, paths: Iterable[str]) -> tuple[str, ...]:
        """The paths whose nearest config file applies: standard input counts as
        ``stdin_filename`` (or its nearest existing folder, for a buffer not yet saved)."""
        if not self.stdin_filename:
            return tuple(paths)
        return tuple(config_anchor(self.stdin_filename) if p == "-" else p for p in paths)

    @property
    def context_from_stdin(self) -> bool:
        return self.context_file == "-"

    def with_context(self, read: Callable[[str], Iterable[Conversation | InputError]]) -> DraftOptions:
        """These options with the context read (``read`` reads a path or ``-``). Raises
        ContextError."""
        if self.context_file is None and self.customer is None:
            return self
        return dataclasses.replace(self, context=load_context(self.context_file, self.customer, read))

    def prepare(self, conversation: Conversation, from_stdin: bool) -> Conversation:
        """``conversation`` as a draft: its channel decided, the context in front of it."""
        channel = conversation.channel
        if self.channel:
            channel = self.channel
        elif channel == CANNED_CHANNEL and ((from_stdin and not self.stdin_filename) or self.context):
            # Typed or piped text, or a reply to a given conversation, is about to be sent.
            channel = DRAFT_CHANNEL
        if channel == conversation.channel and not self.context:
            return conversation
        context = [dataclasses.replace(t, lintable=False, meta={**t.meta, CONTEXT_META: True}) for t in self.context]
        turns = context + conversation.turns
        return dataclasses.replace(conversation, channel=channel, turns=turns)


def config_anchor(path: str) -> str:
    """``path`` if it exists, else its nearest existing parent folder (else ``.``)."""
    candidate = Path(os.path.abspath(path))
    while not candidate.exists() and candidate != candidate.parent:
        candidate = candidate.parent
    return str(candidate) if candidate.exists() else "."


def customer_turn(text: str) -> Turn:
    return Turn(speaker="customer", text=text)


def context_turns(conversations: Iterable[Conversation | InputError]) -> list[Turn]:
    """The turns of a context file: a transcript keeps its speakers; plain text (read as a
    single reply) is the customer's message. Raises ContextError for an unreadable context."""
    turns: list[Turn] = []
    transcripts = 0
    for item in conversations:
        if isinstance(item, InputError):
            raise ContextError(f"context: {item}")
        if item.channel == CANNED_CHANNEL:
            turns.extend(customer_turn(t.text) for t in item.turns)
            continue
        transcripts += 1
        if transcripts > 1:
            raise ContextError(f"context: {item.path} holds more than one conversation; give the one the draft answers")
        turns.extend(item.turns)
    if not turns:
        raise ContextError("context: no conversation found in it")
    return turns


def read_context(data: bytes | None, read_options: ReadOptions, path: str = "-") -> Iterator[ReadResult]:
    """The conversations of a context: ``data`` (given text), else the file ``path``, in any
    supported format, detected whatever ``--input-format`` says about the inputs."""
    detect = dataclasses.replace(read_options, input_format=None)
    return read_source(Source(path, data, "<context>" if data is not None else None), detect)


def load_context(
    path: str | None,
    customer: str | None,
    read: Callable[[str], Iterable[Conversation | InputError]],
) -> tuple[Turn, ...]:
    """The conversation so far: the turns of ``path`` (read with ``read``), then the
    ``customer`` message. Raises ContextError."""
    turns: list[Turn] = []
    if path is not None:
        turns.extend(context_turns(read(path)))
    if customer is not None:
        if not customer.strip():
            raise ContextError("--customer: the customer's message is empty")
        turns.append(customer_turn(customer))
    return tuple(turns)
