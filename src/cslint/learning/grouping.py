"""How cross-validation groups conversations into folds.

Folds grouped by conversation keep a conversation's turns together, but the folds still share
brands: a model (or a pattern tuned on the set) can learn one company's templates, links and
product names, and a fold of that company's other conversations rewards it. Conversations a
team meets later come from companies, products and templates nobody labelled, so
``--group-by brand`` keeps every brand's conversations in one fold: the figure then says how
the rules do on a company they never saw.

A conversation's brand is the reader's ``brand`` / ``company`` field when it has one, else the
handle its customers address most (``@AppleSupport``: social threads name the company they
talk to), else the conversation itself (a group of one).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

import numpy as np

from cslint.model import Conversation

#: A handle a customer writes to: letters first (anonymised ids are digits only).
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z_]\w{1,30})")
_BRAND_FIELDS = ("brand", "company")


def by_conversation(conversation: Conversation) -> str:
    return str(conversation.id)


def by_brand(conversation: Conversation) -> str:
    for name in _BRAND_FIELDS:
        value = conversation.meta.get(name)
        if isinstance(value, str) and value.strip():
            return "brand:" + value.strip().casefold()
    handles = Counter(
        handle.casefold()
        for turn in conversation.turns
        if turn.speaker == "customer"
        for handle in _HANDLE.findall(turn.text)
    )
    if handles:
        # Most addressed; ties go to the alphabetically first, so the grouping is stable.
        top = max(handles.values())
        return "@" + min(h for h, n in handles.items() if n == top)
    return "conversation:" + str(conversation.id)


#: ``--group-by`` choices: a conversation's group key.
GROUPINGS: Mapping[str, Callable[[Conversation], str]] = MappingProxyType(
    {"conversation": by_conversation, "brand": by_brand}
)


def assign_folds(
    conversations: Sequence[Conversation], folds: int, seed: int, group_by: str = "conversation"
) -> dict[str, int]:
    """Conversation id -> fold. Groups are shuffled with ``seed`` and each goes, in that order,
    to the fold with the fewest conversations so far: folds of single conversations differ in
    size by at most one; folds of brands stay as even as the brands' sizes allow."""
    key_of = GROUPINGS[group_by]
    members: dict[str, list[str]] = {}
    for conv in conversations:
        members.setdefault(key_of(conv), []).append(str(conv.id))
    keys = sorted(members)
    order = np.random.default_rng(seed).permutation(len(keys))
    sizes = [0] * folds
    fold_of: dict[str, int] = {}
    for i in order:
        ids = sorted(set(members[keys[i]]))
        fold = min(range(folds), key=lambda f: (sizes[f], f))
        sizes[fold] += len(ids)
        for conv_id in ids:
            fold_of[conv_id] = fold
    return fold_of
