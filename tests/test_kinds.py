"""The kinds registry: a small closed set, each kind documented with a YAML example and with a
valid schema; the registry cannot be changed at run time."""

from __future__ import annotations

import inspect
import sys

import jsonschema
import pytest

from cslint.engine.kinds import KIND_CLASSES, KINDS, detector_schema


def test_the_registry_is_the_closed_list_of_kind_classes():
    assert list(KINDS) == [cls.kind for cls in KIND_CLASSES]
    assert len(KINDS) == len(KIND_CLASSES)  # no two kinds share a name
    with pytest.raises(TypeError):
        KINDS["mine"] = KIND_CLASSES[0]  # type: ignore[index]


@pytest.mark.parametrize("cls", KIND_CLASSES, ids=lambda cls: cls.kind)
def test_every_kind_documents_itself_with_a_yaml_example(cls):
    module = sys.modules[cls.__module__]
    assert f"kind: {cls.kind}" in (inspect.getdoc(module) or ""), f"{module.__name__} shows no YAML example"


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_schema_is_a_valid_json_schema(kind):
    schema = detector_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["required"][0] == "kind" and schema["additionalProperties"] is False


def test_importing_the_kinds_does_not_import_spacy():
    import subprocess

    code = "import sys, cslint.engine.kinds; print('spacy' in sys.modules)"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
        == "False"
    )
