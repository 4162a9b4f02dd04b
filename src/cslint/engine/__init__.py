"""The linting engine: spaCy pipeline, shared matchers, detectors, linter."""

from cslint.engine import spacy_cli

# Before any module of the engine imports spaCy: its command line is not needed to lint
# (see spacy_cli), and skipping it takes a third off the start-up of a single draft.
spacy_cli.defer()
