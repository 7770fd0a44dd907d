"""`toolkit stats`: documents, tokens and mentions per label and per split, as a table and a bar chart."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .dataset import split_of
from .records import Record
from .schema import inventory


@dataclass
class CorpusStats:
    documents: Counter = field(default_factory=Counter)  # per split
    tokens: Counter = field(default_factory=Counter)
    labels: dict[str, Counter] = field(default_factory=dict)  # "entity:PERSON" -> per split
    totals: Counter = field(default_factory=Counter)  # per layer

    def rows(self) -> list[tuple[str, str, dict[str, int]]]:
        """(layer, label, {split: count}) for every label in the inventory, zero counts included."""
        inv = inventory()
        layers = (("entity", inv.entity_labels), ("event", inv.event_labels), ("modality", inv.modality_labels),
                  ("attribution", inv.kind_labels))
        return [(layer, label, dict(self.labels.get(f"{layer}:{label}", Counter())))
                for layer, labels in layers for label in labels]


def compute(records: list[Record]) -> CorpusStats:
    from .nlp import blank_pipeline

    stats = CorpusStats()
    tokenizer = blank_pipeline().tokenizer
    for r in records:
        split = split_of(r)
        stats.documents[split] += 1
        stats.tokens[split] += sum(1 for t in tokenizer(r.text) if not t.is_space)
        keys = ([f"entity:{e.label}" for e in r.entities] + [f"event:{e.type}" for e in r.events]
                + [f"modality:{e.modality}" for e in r.events] + [f"attribution:{a.kind}" for a in r.attributions])
        for key in keys:
            stats.labels.setdefault(key, Counter())[split] += 1
        stats.totals.update(entities=len(r.entities), events=len(r.events), attributions=len(r.attributions),
                            anonymous=sum(a.anonymous for a in r.attributions),
                            claimed=sum(1 for e in r.events if e.claimed_by))
    return stats


def splits_of(stats: CorpusStats) -> list[str]:
    return [s for s in inventory().splits if s in stats.documents] + sorted(
        s for s in stats.documents if s not in inventory().splits)


def markdown(stats: CorpusStats) -> str:
    splits = splits_of(stats)
    head = "| | " + " | ".join(splits) + " | all |\n|---|" + "---:|" * (len(splits) + 1) + "\n"
    lines = [head.rstrip("\n")]
    for name, counter in (("documents", stats.documents), ("tokens", stats.tokens)):
        lines.append(f"| {name} | " + " | ".join(str(counter[s]) for s in splits) + f" | {sum(counter.values())} |")
    for layer, label, per in stats.rows():
        lines.append(f"| {layer} {label} | " + " | ".join(str(per.get(s, 0)) for s in splits)
                     + f" | {sum(per.values())} |")
    return "\n".join(lines) + "\n"


def bar_chart(stats: CorpusStats, path: Path) -> Path:
    """Mentions per label, stacked by split, one panel per layer."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    splits = splits_of(stats)
    layers = ["entity", "event", "attribution"]
    fig, axes = plt.subplots(1, 3, figsize=(16, 6), gridspec_kw={"width_ratios": [14, 19, 3]})
    for ax, layer in zip(axes, layers):
        rows = [(label, per) for lay, label, per in stats.rows() if lay == layer]
        bottom = [0] * len(rows)
        for split in splits:
            values = [per.get(split, 0) for _, per in rows]
            ax.bar(range(len(rows)), values, bottom=bottom, label=split)
            bottom = [b + v for b, v in zip(bottom, values)]
        ax.set_xticks(range(len(rows)), [label for label, _ in rows], rotation=75, ha="right", fontsize=8)
        ax.set_title(f"{layer} mentions")
    axes[0].legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
