"""Acme's cslint rules: the YAML files in this folder (see the cslint README, "Rule packs")."""
