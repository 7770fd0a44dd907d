"""spaCy's own training loop (`spacy.training.loop.train`) on a generated config and DocBins from records.

Docs are built with the toolkit tokenizer (`toolkit.nlp.parse`), so model tokens are the rule extractor's
tokens. Training runs on CPU, single-threaded, seeded; the best checkpoint on the dev DocBin is kept.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans, load_config_from_str

from ..errors import ToolkitError
from ..nlp import parse
from ..spans import outermost

PIPELINE_DIR = "pipeline"

BASE_CONFIG = """
[paths]
train = null
dev = null

[system]
gpu_allocator = null
seed = 0

[nlp]
lang = "en"
pipeline = []
batch_size = 256

[components]

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${paths.train}
max_length = 0

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${paths.dev}
max_length = 0

[training]
seed = ${system.seed}
gpu_allocator = ${system.gpu_allocator}
dropout = 0.1
accumulate_gradient = 1
patience = 1000
max_epochs = 20
max_steps = 0
eval_frequency = 100
frozen_components = []
annotating_components = []

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = true
eps = 1e-08
learn_rate = 0.001

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.score_weights]

[initialize]
vectors = null
"""


def tok2vec_block(prefix: str, width: int, depth: int, rows: int) -> str:
    """An embedded (non-shared) tok2vec: hashed NORM/PREFIX/SUFFIX/SHAPE embeddings + a CNN window encoder."""
    return f"""
[{prefix}]
@architectures = "spacy.Tok2Vec.v2"

[{prefix}.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = {width}
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
rows = [{rows}, {rows // 4}, {rows // 2}, {rows // 2}]
include_static_vectors = false

[{prefix}.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = {width}
depth = {depth}
window_size = 1
maxout_pieces = 3
"""


def ner_config(params: dict, seed: int, source: str | None = None) -> str:
    """NER on its own tok2vec; with `source`, the pretrained pipeline's NER (and its tok2vec) is fine-tuned."""
    if source:
        component = f'\n[components.ner]\nsource = "{source}"\n'
    else:
        component = f"""
[components.ner]
factory = "ner"
moves = null
update_with_oracle_cut_size = 100

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = {params["hidden_width"]}
maxout_pieces = 2
use_upper = true
nO = null
""" + tok2vec_block("components.ner.model.tok2vec", params["width"], params["depth"], params["rows"])
    return finish(BASE_CONFIG + component, ["ner"], params, seed, {"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0})


def textcat_config(params: dict, seed: int) -> str:
    if params["architecture"] == "bow":
        model = f"""
[components.textcat_multilabel.model]
@architectures = "spacy.TextCatBOW.v3"
exclusive_classes = false
ngram_size = {params["ngram_size"]}
no_output_layer = false
length = 262144
"""
    else:
        model = f"""
[components.textcat_multilabel.model]
@architectures = "spacy.TextCatEnsemble.v2"
nO = null

[components.textcat_multilabel.model.linear_model]
@architectures = "spacy.TextCatBOW.v3"
exclusive_classes = false
ngram_size = {params["ngram_size"]}
no_output_layer = false
length = 262144
""" + tok2vec_block("components.textcat_multilabel.model.tok2vec", params["width"], params["depth"], params["rows"])
    component = f"""
[components.textcat_multilabel]
factory = "textcat_multilabel"
threshold = {params["threshold"]}
""" + model
    return finish(BASE_CONFIG + component, ["textcat_multilabel"], params, seed, {"cats_macro_f": 1.0})


def finish(text: str, pipeline: list[str], params: dict, seed: int, weights: dict) -> str:
    config = load_config_from_str(text, interpolate=False)
    config["nlp"]["pipeline"] = pipeline
    config["system"]["seed"] = seed
    for key in ("max_epochs", "patience", "eval_frequency", "dropout"):
        config["training"][key] = params[key]
    config["training"]["optimizer"]["learn_rate"] = params["learn_rate"]
    config["training"]["score_weights"] = weights
    return config.to_str()


def entity_docs(records, labels: set[str]) -> list[Doc]:
    """One Doc per sentence with its entities (outermost layer; spans snap outwards to token edges)."""
    docs = []
    for record in records:
        doc = parse(record.text)
        spans = [(e.start, e.end, e.label) for e in record.entities if e.label in labels]
        ents = [doc.char_span(s, e, label=lab, alignment_mode="expand") for s, e, lab in outermost(spans)]
        doc.ents = filter_spans([x for x in ents if x is not None])
        docs.extend(sent.as_doc() for sent in doc.sents if sent.text.strip())
    return docs


def train_pipeline(config_text: str, train_docs: list[Doc], dev_docs: list[Doc], out: Path, log: io.StringIO) -> Path:
    """Run spaCy's loop on DocBins; the best model (by dev score) is written to out/pipeline."""
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop

    if not dev_docs:  # spaCy needs a dev corpus to pick the best checkpoint: fall back to the last epochs' data
        dev_docs = train_docs[-max(1, len(train_docs) // 10):]
    work = Path(tempfile.mkdtemp(prefix="spacy-train-"))
    try:
        (work / "output").mkdir()
        DocBin(docs=train_docs).to_disk(work / "train.spacy")
        DocBin(docs=dev_docs).to_disk(work / "dev.spacy")
        config = load_config_from_str(config_text, interpolate=False)
        config["paths"]["train"] = str(work / "train.spacy")
        config["paths"]["dev"] = str(work / "dev.spacy")
        try:
            nlp = init_nlp(config.interpolate(), use_gpu=-1)
            train_loop(nlp, work / "output", use_gpu=-1, stdout=log, stderr=log)
        except (OSError, ValueError) as err:
            raise ToolkitError(f"spaCy training failed: {err.__class__.__name__}: {str(err).splitlines()[0]}") from None
        shutil.move(str(work / "output" / "model-best"), str(out / PIPELINE_DIR))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out / PIPELINE_DIR


def load_pipeline(path: Path):
    return spacy.load(path / PIPELINE_DIR)
