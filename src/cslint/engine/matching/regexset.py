"""Which of the rules' regular expressions occur in a turn, found in one pass.

The built-in rules hold ~120 regular expressions; running each over every turn (the RE2
wrapper re-encodes the text for each call) took as long as tokenising. An RE2 ``Set`` scans a
text once and says which of its patterns match somewhere; ``kind: regex`` detectors then run
``finditer`` only for those. The answer is exact: a pattern the set does not report has no
match in the text, so no ``finditer`` result is lost.

RE2 reports a Set's out-of-memory failure as "no match", which would silently drop findings.
That failure can only happen when not even one DFA state fits in the memory budget, so it
would show on any text: each set therefore carries a sentinel pattern, checked once after
compiling, and a set that cannot find its sentinel is not used (every pattern then runs, as
before).

A set is also split into sets of at most ``max_patterns`` patterns. RE2 builds a set's DFA
lazily within a fixed memory budget (8 MB); 170 token patterns in one set need more states
than fit, so the DFA was rebuilt over and over (60 ms for 750 chat messages); sets of 50 stay
within the budget (6 ms, a few MB).
"""

from __future__ import annotations

from typing import Any

#: Matched only by the sentinel text (control characters never appear in a rule's pattern
#: next to this word); used to prove that a compiled set works.
_SENTINEL = "\x00cslint-regex-set-sentinel\x01"


class RegexSet:
    def __init__(self, max_patterns: int = 50) -> None:
        self.max_patterns = max_patterns
        #: option values -> [(id, pattern)] of the regexes compiled with those options
        self._groups: dict[tuple, list[tuple[int, str]]] = {}
        self._options: dict[tuple, Any] = {}
        self._count = 0
        #: [(RE2 set, ids by set index)] once compiled; None when a set could not be built.
        self._compiled: list[tuple[Any, list[int]]] | None = None

    def add(self, regex: Any) -> int:
        """Register a compiled ``re2`` pattern; returns its id for :meth:`matching`."""
        return self.add_pattern(regex.pattern, regex.options)

    def add_pattern(self, pattern: str, options: Any) -> int:
        """Register a pattern with its ``re2.Options``, uncompiled (a pattern RE2 refuses
        makes its set unusable: every pattern of that set is then reported as matching)."""
        import re2

        key = tuple(getattr(options, name) for name in re2.Options.NAMES)  # type: ignore[attr-defined]
        ident = self._count
        self._count += 1
        self._groups.setdefault(key, []).append((ident, pattern))
        self._options.setdefault(key, options)
        self._compiled = None
        return ident

    def _compile(self) -> list[tuple[Any, list[int]]]:
        import re2

        compiled: list[tuple[Any, list[int]]] = []
        size = self.max_patterns
        chunks = [(key, group[i : i + size]) for key, group in self._groups.items() for i in range(0, len(group), size)]
        for key, entries in chunks:
            try:
                regex_set = re2.Set.SearchSet(self._options[key])
                for _, pattern in entries:
                    regex_set.Add(pattern)
                sentinel = regex_set.Add(re2.escape(_SENTINEL))
                regex_set.Compile()
                # (The stubs say Match may return True; it returns the ids of the matching patterns.)
                matched: Any = regex_set.Match(_SENTINEL)
                works = sentinel in (matched or ())
            except re2.error:
                works = False
            if works:
                compiled.append((regex_set, [ident for ident, _ in entries]))
            else:
                compiled.append((None, [ident for ident, _ in entries]))
        return compiled

    def preload(self) -> None:
        """Compile the sets now rather than on the first text."""
        self._sets()

    @property
    def exact(self) -> bool:
        """Whether every registered pattern compiled into a working set, so that
        :meth:`matching` reports exactly the patterns that occur (no "maybe")."""
        return all(regex_set is not None for regex_set, _ in self._sets())

    def _sets(self) -> list[tuple[Any, list[int]]]:
        """The compiled sets, compiled on first use (and again after a registration)."""
        if self._compiled is None:
            self._compiled = self._compile()
        return self._compiled

    def matching(self, text: str | bytes) -> set[int]:
        """Ids of the registered patterns that may match in ``text``: exactly those that do,
        plus every pattern of a set that could not be built."""
        compiled = self._sets()
        if isinstance(text, str):
            text = text.encode("utf-8")  # once, not by the wrapper for each set (RE2 reads UTF-8)
        found: set[int] = set()
        for regex_set, ids in compiled:
            if regex_set is None:
                found.update(ids)
                continue
            matched: Any = regex_set.Match(text)
            for index in matched or ():
                if index < len(ids):
                    found.add(ids[index])
        return found
