"""Logistic regression for several labels at once, fitted with numpy alone.

Examples are rows of binary features (sets of feature ids). The fit minimises the summed
log-loss of every (example, label) pair that is not masked out, plus an L2 penalty, with
L-BFGS from zero weights: a deterministic solver, so the same examples always give the same
model, whatever random seed the caller uses elsewhere (folds), and on any machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass
class SparseRows:
    """Binary rows in compressed form (CSR), with the transposed order kept for gradients."""

    indptr: np.ndarray
    columns: np.ndarray
    width: int

    @classmethod
    def build(cls, rows: Sequence[Sequence[int]], width: int) -> SparseRows:
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        columns = np.fromiter((c for r in rows for c in r), dtype=np.int64, count=int(indptr[-1]))
        return cls(indptr, columns, width)

    def __post_init__(self) -> None:
        counts = np.diff(self.indptr)
        self._row_of = np.repeat(np.arange(len(counts)), counts)
        self._order = np.argsort(self.columns, kind="stable")
        self._column_counts = np.bincount(self.columns, minlength=self.width)

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """rows @ weights, for weights of shape (width, labels)."""
        sums = np.zeros((len(self.indptr) - 1, weights.shape[1]))
        gathered = weights[self.columns]
        nonempty = np.diff(self.indptr) > 0
        if gathered.size:
            reduced = np.add.reduceat(gathered, self.indptr[:-1][nonempty], axis=0)
            sums[nonempty] = reduced
        return sums

    def transpose_dot(self, values: np.ndarray) -> np.ndarray:
        """rows.T @ values, for values of shape (rows, labels)."""
        out = np.zeros((self.width, values.shape[1]))
        if not len(self.columns):
            return out
        gathered = values[self._row_of[self._order]]
        present = self._column_counts > 0
        starts = np.concatenate([[0], np.cumsum(self._column_counts)[:-1]])[present]
        out[present] = np.add.reduceat(gathered, starts, axis=0)
        return out


def _loss_and_gradient(
    weights: np.ndarray, rows: SparseRows, targets: np.ndarray, mask: np.ndarray, l2: float
) -> tuple[float, np.ndarray]:
    logits = rows.dot(weights)
    # log(1 + e^z) - y z, computed without overflow.
    loss = (np.logaddexp(0.0, logits) - targets * logits) * mask
    probabilities = 0.5 * (1.0 + np.tanh(0.5 * logits))
    gradient = rows.transpose_dot((probabilities - targets) * mask)
    return float(loss.sum() + 0.5 * l2 * np.sum(weights * weights)), gradient + l2 * weights


def fit(rows: SparseRows, targets: np.ndarray, mask: np.ndarray, l2: float = 1.0, iterations: int = 150) -> np.ndarray:
    """Weights of shape (width, labels) minimising the masked log-loss + ``l2``/2 ‖W‖²
    (L-BFGS with a memory of 10 steps and backtracking line search, from zeros)."""
    weights = np.zeros((rows.width, targets.shape[1]))
    loss, gradient = _loss_and_gradient(weights, rows, targets, mask, l2)
    steps: list[tuple[np.ndarray, np.ndarray, float]] = []
    for _ in range(iterations):
        # Two-loop recursion: direction = -H·g from the remembered steps.
        direction = -gradient
        alphas = []
        for s, y, rho in reversed(steps):
            alpha = rho * np.sum(s * direction)
            alphas.append(alpha)
            direction = direction - alpha * y
        if steps:
            s, y, _ = steps[-1]
            direction = direction * (np.sum(s * y) / np.sum(y * y))
        for (s, y, rho), alpha in zip(steps, reversed(alphas)):
            beta = rho * np.sum(y * direction)
            direction = direction + s * (alpha - beta)
        slope = float(np.sum(direction * gradient))
        if slope >= 0:
            direction, slope = -gradient, -float(np.sum(gradient * gradient))
        step = 1.0 if steps else 1.0 / max(1.0, float(np.sqrt(np.sum(gradient * gradient))))
        while True:
            candidate = weights + step * direction
            new_loss, new_gradient = _loss_and_gradient(candidate, rows, targets, mask, l2)
            if new_loss <= loss + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        s, y = candidate - weights, new_gradient - gradient
        sy = float(np.sum(s * y))
        if sy > 1e-10:
            steps.append((s, y, 1.0 / sy))
            steps = steps[-10:]
        converged = abs(loss - new_loss) <= 1e-7 * max(1.0, abs(loss))
        weights, loss, gradient = candidate, new_loss, new_gradient
        if converged:
            break
    return weights
