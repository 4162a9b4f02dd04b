"""Learned signals: models trained from a team's labelled conversations, and their evaluation.

``features`` turns an agent turn (with the conversation before it) into hashed feature ids,
``linear`` fits a logistic model with numpy, ``modelfile`` saves and loads it, ``training``
builds the examples from labels, ``evaluation`` scores cslint against labels (with folds).

Check time needs only ``features``, ``modelfile`` and numpy: nothing here imports a learning
library, and importing this package costs nothing (its modules are imported where used).
"""
