"""The models a linter asks, loaded on first use and kept for that linter only.

A run's learned detectors (``kind: model``, ``kind: model-below``) share one ``ModelStore``,
created by the linter: every rule that uses a model reads its file once, and two linters in one
process (a team's model and the built-in one) never see each other's models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cslint.learning.modelfile import META, LinearModel, ModelFileError, load

#: The model shipped with cslint (``scripts/train_builtin_models.py``).
BUILTIN_MODEL = Path(__file__).resolve().parents[1] / "models" / "builtin"


@dataclass(frozen=True)
class ResolvedModel:
    """The model that answers for one label, its column, and the threshold in force."""

    model: LinearModel
    column: int
    threshold: float


@dataclass
class ModelStore:
    #: A team's model folder (``--models``), asked before the built-in one; None: built-in only.
    team: str | None = None
    _loaded: dict[str, LinearModel] = field(default_factory=dict, repr=False)

    def folders(self) -> list[str]:
        """The model folders to ask, in order: the team's, then the built-in one."""
        folders = [str(BUILTIN_MODEL)]
        if self.team:
            if not (Path(self.team) / META).is_file():
                raise ModelFileError(f"models: {self.team}: no {META} there (build one with 'cslint train')")
            folders.insert(0, str(self.team))
        return folders

    def check_team_model(self) -> None:
        """Read the team's model now, when rules compile: a wrong ``--models`` is a one-line
        error before the run, not a failure in the middle of it. (The built-in model ships
        with cslint and is read on first use.)"""
        if self.team:
            self.load(self.folders()[0])

    def load(self, folder: str) -> LinearModel:
        if folder not in self._loaded:
            self._loaded[folder] = load(folder)
        return self._loaded[folder]

    def resolve(self, label: str, threshold: float | None, use_own_threshold: bool) -> ResolvedModel | None:
        """The first model that has ``label``, read on first use (a run whose turns never
        reach a learned detector never reads a model file); None when none has it.

        A rule's threshold is tuned for the built-in model; a team's model brings its own
        (``use_own_threshold``). A model that stands in for the built-in one (cross-validation,
        ``exclusive``) takes the rule's, and is silent for labels it lacks."""
        folders = self.folders()
        for i, folder in enumerate(folders):
            model = self.load(folder)
            column = model.column(label)
            if column is None and model.meta.get("exclusive"):
                return None
            if column is None:
                continue
            is_team = i == 0 and len(folders) > 1 and not model.meta.get("exclusive")
            if threshold is None or (is_team and use_own_threshold):
                threshold = model.thresholds.get(label, 1.0)
            return ResolvedModel(model, column, float(threshold))
        return None
