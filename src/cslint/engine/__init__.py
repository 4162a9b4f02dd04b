"""The linting engine: the spaCy pipeline, the matching service, the kinds, the linter.

Importing it has no side effects: process-level settings (deferring spaCy's command line,
freezing the heap) are made once by the command line (``cslint.startup``).
"""
