"""Safe YAML loading that remembers where every value came from.

Rule and config files are user-written, so loading them must be safe and errors must point
at ``file:line``. We compose the YAML node graph ourselves instead of calling
``yaml.safe_load`` so that we can:

* reject aliases (a "billion laughs" document expands aliases exponentially),
* reject tags other than the plain YAML types (no object construction),
* reject duplicate keys (YAML silently keeps the last one),
* record the line of every mapping key and value for error messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cslint.errors import CslintError

if TYPE_CHECKING:
    import yaml

#: Rule and config files are small; anything larger is rejected before parsing.
MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:timestamp",
}
#: Dates and times (``date: 2024-03-01`` in a reply's front matter or a saved-reply list) are
#: kept as written: text, like every other value a reader passes on.
_AS_WRITTEN = {"tag:yaml.org,2002:timestamp"}

Path = tuple  # a path of keys / indices into the loaded document


def _composer():
    """libyaml's parser is ~10x faster than the pure-Python one. PyYAML is imported only
    when a YAML file is actually parsed (rules usually come from the rule cache)."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Positions:
    """Line numbers (1-based) of the values in a loaded YAML document, by path."""

    def __init__(self) -> None:
        self._lines: dict[Path, int] = {}

    def record(self, path: Path, line: int) -> None:
        self._lines.setdefault(path, line)

    def items(self):
        """(path, line) of every recorded value."""
        return self._lines.items()

    def rows(self) -> list[list]:
        """As JSON keeps them (the rule cache, the built-in index): ``[*path, line]`` each."""
        return [[*path, line] for path, line in self._lines.items()]

    @classmethod
    def from_rows(cls, rows: Any) -> Positions:
        """Back from ``rows()``; TypeError or ValueError when they are not such rows."""
        positions = cls()
        for *path, line in rows:
            positions.record(tuple(path), int(line))
        return positions

    def line(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest recorded ancestor."""
        path = tuple(path)
        while True:
            if path in self._lines:
                return self._lines[path]
            if not path:
                return None
            path = path[:-1]


def load_yaml(text: str, path: str, error: type[CslintError] = CslintError) -> tuple[Any, Positions]:
    """Parse ``text`` safely; raise ``error`` naming ``path:line`` on any problem."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_YAML_BYTES:
        raise error(f"file is larger than {MAX_YAML_BYTES // 1024 // 1024} MiB", path)
    import yaml

    try:
        node = yaml.compose(text, Loader=_composer())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise error(f"invalid YAML: {problem}", path, line) from None
    except yaml.YAMLError as exc:
        # e.g. a control character: yaml's message spans lines; keep the first.
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
        raise error(f"invalid YAML: {first}", path) from None
    positions = Positions()
    if node is None:
        return None, positions
    converter = _Converter(path, error, positions)
    return converter.convert(node, ()), positions


class _Converter:
    def __init__(self, path: str, error: type[CslintError], positions: Positions) -> None:
        self.path = path
        self.error = error
        self.positions = positions
        self.seen: set[int] = set()
        import yaml

        self.yaml = yaml
        self.scalars = yaml.SafeLoader("")  # only used for its scalar constructors

    def fail(self, message: str, node: yaml.Node) -> CslintError:
        return self.error(message, self.path, node.start_mark.line + 1)

    def convert(self, node: yaml.Node, at: Path) -> Any:
        yaml = self.yaml
        if id(node) in self.seen:
            raise self.fail("YAML aliases (*name) are not allowed", node)
        self.seen.add(id(node))
        if len(at) > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels", node)
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(f"YAML tag {node.tag!r} is not allowed", node)
        self.positions.record(at, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:bool" and node.value.lower() not in ("true", "false"):
                # YAML 1.1 reads yes/no/on/off as booleans; in phrase lists and patterns
                # ("no", "on") that silently breaks rules, so only true/false are booleans.
                return node.value
            if node.tag in _AS_WRITTEN:
                return node.value
            try:
                return self.scalars.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError, OverflowError) as exc:
                raise self.fail(f"invalid value: {exc}", node) from None
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(child, at + (i,)) for i, child in enumerate(node.value)]
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail("YAML merge keys (<<) are not allowed", key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail("mapping keys must be plain scalars", key_node)
            key = self.convert(key_node, at + ("<key>",))
            if isinstance(key, (list, dict)):
                raise self.fail("mapping keys must be plain scalars", key_node)
            if key in result:
                raise self.fail(f"duplicate key {key!r}", key_node)
            self.positions.record(at + (key,), key_node.start_mark.line + 1)
            result[key] = self.convert(value_node, at + (key,))
        return result
