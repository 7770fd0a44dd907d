"""`toolkit train`: baseline extractors for one layer each (entities, events, attribution).

A model family is one module in `toolkit/train/models/` whose trainer class carries
`@register_model(TASK, NAME)`; `run.train` trains it into a model folder (model files in a safe format plus
`model.json`), and `loading.load_trained` turns such a folder back into an extractor.
"""

from .registry import TASKS, get_trainer, model_names, register_model

__all__ = ["TASKS", "get_trainer", "model_names", "register_model"]
