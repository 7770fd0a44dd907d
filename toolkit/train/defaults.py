"""`toolkit train --defaults`: train the candidate models of every layer and keep, per layer, the one with the best
validation score as the default extractor's model (models/default/TASK). A layer whose rules score best keeps
no folder: the default extractor then uses the rules for it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Callable

from .. import atomic
from .run import train
from .validation import headline

CANDIDATES = {"entities": ["rules", "crf-lexicon"], "events": ["lexicon", "trigger-tagger"], "attribution": ["rules", "learned"]}
RULE_MODELS = {"rules", "lexicon"}
CHOICE_FILE = "choice.json"


def build_defaults(data: str, out: Path, seed: int = 0, candidates: dict[str, list[str]] | None = None,
                   progress: Callable[[str], None] | None = None) -> dict:
    """Train, compare on validation, and write the chosen folders plus choice.json (every candidate's score)."""
    out = Path(out)
    choice: dict[str, dict] = {}
    with atomic.staged(out.parent) as stage:
        folder = stage / out.name
        scratch = stage / f".{out.name}-candidates"
        for task, models in (candidates or CANDIDATES).items():
            scores = {}
            for model in models:
                progress and progress(f"training {task} {model}")
                meta = train(task, model, data, scratch / f"{task}-{model}", seed=seed)
                best = headline(task, meta.get("validation"))
                scores[model] = {"metric": best[0], "validation": best[1]} if best else None
            ranked = [m for m in models if scores[m] is not None]
            winner = max(ranked, key=lambda m: (scores[m]["validation"], m in RULE_MODELS)) if ranked else None
            if winner and winner not in RULE_MODELS:
                shutil.copytree(scratch / f"{task}-{winner}", folder / task)
            choice[task] = {"chosen": winner, "candidates": scores}
        folder.mkdir(exist_ok=True)
        (folder / CHOICE_FILE).write_text(json.dumps({"data": str(data), "seed": seed, "choice": choice}, indent=2)
                                          + "\n", encoding="utf-8")
        shutil.rmtree(scratch)
    return choice
