"""A learned bead score: a logistic model over the features ``scoring`` computes per bead.

The model file (``models/<name>.json``, versioned by name) holds, per feature, a weight;
per bead type (a-b sentences, "larger" for the rest) an intercept; what the search adds
up per bead (see ``BeadModel.search``) and what a null bead (1-0 or 0-1) is worth there
(none: the engine's ``null_score``); and a calibration table mapping a bead's
log-odds to the probability that it is exactly right (isotonic regression, measured on
the training texts' own alignments). It was trained by ``tools/train_bead_scorer.py`` on
text that is not MAC: Bible books and the PRC and CPC constitutions; the file says which.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from bitext.errors import InputError

DEFAULT_MODEL = "bead_scorer-v1"
TYPES = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1))
"""Bead types with an intercept of their own; every other type shares "larger"."""


def type_name(a: int, b: int) -> str:
    return f"{a}-{b}" if (a, b) in TYPES else "larger"


@dataclass(frozen=True)
class BeadModel:
    name: str
    features: tuple[str, ...]
    weights: np.ndarray
    type_intercepts: Mapping[str, float]
    null_score: float | None
    calibration_logits: np.ndarray
    calibration_probabilities: np.ndarray
    trained_on: str = ""
    search: str = "formula_units"
    """What the search adds up per bead: "formula_units" (the log-odds less the type's
    intercept, over the weight of the ``formula`` feature: the formula's score corrected
    by the other features, in the formula's units, so the search keeps the behaviour it
    was built around), "probability" (uncalibrated) or "log_odds"."""

    def search_score(self, logits: np.ndarray, a: int, b: int) -> np.ndarray:
        """A bead's worth in the search, from its log-odds."""
        if self.search == "log_odds":
            return logits
        if self.search == "probability":
            return 1.0 / (1.0 + np.exp(-logits))
        return (logits - self.type_intercepts[type_name(a, b)]) / self.weight("formula")

    def weight(self, feature: str) -> float:
        """A feature's weight, 0 for a feature the model does not use."""
        return float(self.weights[self.features.index(feature)]) if feature in self.features \
            else 0.0

    def logit(self, values: Mapping[str, np.ndarray], a: int, b: int) -> np.ndarray:
        """Log-odds that the a-b beads described by ``values`` (feature → one value per
        bead) are right; a feature missing from ``values`` counts as 0."""
        size = len(next(iter(values.values())))
        out = np.full(size, self.type_intercepts[type_name(a, b)], dtype=np.float64)
        for feature, weight in zip(self.features, self.weights.tolist(), strict=True):
            if feature in values and weight:
                out += weight * values[feature]
        return out

    def probability(self, logits: np.ndarray) -> np.ndarray:
        """Calibrated probability that a bead of these log-odds is exactly right."""
        return np.interp(logits, self.calibration_logits, self.calibration_probabilities)

    def to_json(self) -> str:
        return json.dumps({
            "name": self.name, "trained_on": self.trained_on,
            "features": dict(zip(self.features, self.weights.round(6).tolist(), strict=True)),
            "type_intercepts": {k: round(v, 6) for k, v in self.type_intercepts.items()},
            "search": self.search, "null_score": self.null_score,
            "calibration": {"logits": self.calibration_logits.round(4).tolist(),
                            "probabilities": self.calibration_probabilities.round(4).tolist()},
        }, indent=1, ensure_ascii=False) + "\n"


def model_from_json(text: str) -> BeadModel:
    data = json.loads(text)
    features = data["features"]
    return BeadModel(
        name=data["name"], features=tuple(features),
        weights=np.array(list(features.values()), dtype=np.float64),
        type_intercepts={k: float(v) for k, v in data["type_intercepts"].items()},
        null_score=None if data["null_score"] is None else float(data["null_score"]),
        search=data["search"],
        calibration_logits=np.array(data["calibration"]["logits"], dtype=np.float64),
        calibration_probabilities=np.array(data["calibration"]["probabilities"],
                                           dtype=np.float64),
        trained_on=data.get("trained_on", ""))


@lru_cache(maxsize=8)
def load_model(name: str) -> BeadModel:
    """A model shipped in ``bitext/core/align/models`` by name, or a model file by path."""
    if name.endswith(".json"):
        path = Path(name)
        if not path.is_file():
            raise InputError(f"bead model file not found: {name}")
        return model_from_json(path.read_text(encoding="utf-8"))
    shipped = resources.files("bitext.core.align") / "models" / f"{name}.json"
    if not shipped.is_file():
        raise InputError(f"no bead model named {name!r} ships with bitext")
    return model_from_json(shipped.read_text(encoding="utf-8"))
