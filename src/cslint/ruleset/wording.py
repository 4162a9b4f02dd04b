"""Whether a ``better:`` entry's ``say`` is wording a customer could receive.

A ``say`` is shown as "Instead of “X”, say “Y”" and, when ``safe``, pasted into the reply by
``cslint fix``; an agent copies it. So it must be words to send, not a note to the agent
("(cut it)", "Acknowledge the issue ..."), must not leave an unmarked gap ("what we can do is
..."), and must not claim an action the agent may not have taken ("I've contacted the seller
for you"): it is phrased as an offer ("I can contact the seller for you") or leaves the
action to a ``<slot>`` the agent fills in only with what is true ("thanks for waiting while I
<what you did>"). Checked when a rule loads, so a rule pack cannot ship such wording.
"""

from __future__ import annotations

import re

#: ``<what you did>``: a slot the agent fills in. Its words are the agent's to choose, so the
#: checks below read the wording around it only.
SLOT = re.compile(r"<[^<>\n]*>")

#: Verbs that open an instruction to the agent rather than words to the customer. Verbs an
#: agent also says to a customer ("try", "send", "give us a call", "thank you") are not here.
INSTRUCTION_VERBS = frozenset(
    """acknowledge address add apologise apologize avoid cut delete describe drop empathise
    empathize explain include insert lead mention name offer omit own personalise personalize
    recap remove rephrase replace restate reword say show skip state summarise summarize tell
    use write""".split()
)

#: How a bracketed aside that is a note to the agent begins: "(or the time frame you can
#: keep)", "(the customer's name)", "(then the answer ...)", "(e.g. ...)".
NOTE_OPENERS = re.compile(r"\(\s*(or|and|then|e\.g\.|i\.e\.|if|the customer|customer['’]s|their|optional|etc)\b", re.I)

#: A say that describes what goes there instead of saying it: "the customer's name, or ...".
DESCRIPTION = re.compile(r"(the customer|customer['’]s|the agent|agent['’]s)\b", re.I)

#: An unmarked gap: the agent is left to guess what goes there.
GAP = re.compile(r"\.\.\.|…")

#: Participles and past forms that do not end in -ed.
_IRREGULAR = "sent|spoken|spoke|done|given|gave|taken|took|told|written|wrote|rung|rang|paid|found|got|gotten|brought|put|set|made|been|left|sorted"
#: Words ending in -ed that are not past forms ("we need", "I'd proceed").
_NOT_PAST = r"(?!(?:need|feed|proceed|succeed|exceed|speed|heed|indeed|seed|shed|bed|red)\b)"
_DONE = rf"{_NOT_PAST}(?:[a-z]+ed|{_IRREGULAR})"
_ADVERB = r"(?:\s+(?:just|already|now|also|personally|since|gone ahead and))*"

#: "I've contacted", "we have passed", "I just sent", "this has been escalated": a claim that
#: something was done, which is true only if the agent did it.
CLAIMS = (
    re.compile(rf"\b(?:i|we)(?:['’]ve|\s+have|\s+had|['’]d)?{_ADVERB}\s+{_DONE}\b", re.I),
    re.compile(rf"\b(?:has|have)(?:\s+(?:now|just|already))?\s+been\s+{_DONE}\b", re.I),
)


def say_problem(say: str) -> str | None:
    """What is wrong with ``say`` as wording a customer could receive, or None."""
    text = say.strip().strip("\"“”'")
    if text[:1] in ("(", "["):
        return "is a note to the agent in brackets, not wording a customer could receive: put the advice in 'fix' and the words to send in 'say'"
    first = re.match(r"[A-Za-z]+", text)
    if first and first[0].lower() in INSTRUCTION_VERBS:
        return f"is an instruction to the agent ('{first[0]} ...'), not wording a customer could receive: put it in 'fix' and give the words to send in 'say'"
    if DESCRIPTION.match(text):
        return "describes what to write instead of being the words to send: give the words, with a <slot> for what the agent fills in"
    note = NOTE_OPENERS.search(text)
    if note:
        return f"has a note to the agent in brackets ('{note[0]} ...'): give the words to send, with a <slot> for what the agent fills in"
    if GAP.search(SLOT.sub("", text)):
        return "leaves a gap ('...'): write the words to send, with a <slot> for what the agent fills in"
    around = SLOT.sub(" ", text)
    for claim in CLAIMS:
        found = claim.search(around)
        if found:
            return f"claims an action the agent may not have taken ('{found[0]}'): phrase it as an offer ('I can ...') or leave the action to a <slot>"
    return None
