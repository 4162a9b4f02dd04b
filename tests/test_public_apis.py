"""cslint relies on no private internals of the standard library's ``json`` (they change
without notice between Python versions); the locator gives the same positions through the
public ``JSONDecoder.raw_decode``."""

import ast
import json
from pathlib import Path

import cslint
from cslint.readers._support.jsonpos import JsonDocumentPositions

PACKAGE = Path(cslint.__file__).parent
PRIVATE_JSON = {"json.scanner", "json.decoder", "_json"}


def test_no_private_json_modules_imported():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [f"{path.relative_to(PACKAGE)}: {name}" for name in names if name in PRIVATE_JSON]
    assert not offenders, offenders


def test_locations_through_the_public_decoder():
    document = json.dumps(
        {"audit": [{"x": "a\\u00e9\n" * 3}], "turns": [{"speaker": "agent", "text": 'say "hi"\nthen visit'}]}, indent=1
    )
    positions = JsonDocumentPositions(document)
    location = positions.locate(("turns", 0, "text"), len('say "hi"\nthen '))
    line = document.splitlines()[location.line - 1]
    assert line[location.column - 1 :].startswith("visit")
