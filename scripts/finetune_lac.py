#!/usr/bin/env python
"""Fine-tune Baidu LAC's character BiGRU on CLUENER2020 with a new CRF head (JAX).

    python scripts/finetune_lac.py --lac lac.npz --train train.jsonl --dev dev.jsonl \\
        --config configs/ner.toml --seed 42 --out DIR

``scripts/train_ner.py train`` runs this once per seed of the config (the
shipped model votes with the three networks); run it alone to try a recipe. JAX is a training-time dependency only
(``pip install -e '.[train]'``): the result is an ``.npz`` in the layout of
``scripts/build_lac.py``'s ``lac.npz`` whose tagging head (``fc4_*``, ``crf``,
``tag_names``) is the new BIO tagger, so ``newsie.lac.LacEncoder`` runs it in
numpy at inference, unchanged.

The network is LAC's, initialised from LAC's weights and trained further end
to end: the 8,223-character embedding, two bidirectional GRU layers (the
equations of ``LacEncoder._gru``), then a new linear layer to BIO tags over the
labels of the config and a linear-chain CRF (start, end and transition
scores) trained by negative log-likelihood. Every ``epoch`` the model tags the
dev sentences (Viterbi in numpy, the same code newsie runs); the epoch with the
best micro-F1 over PERSON, ORG and GOV on dev is written to ``DIR/best.npz``
(float16, as shipped), with one line per epoch in ``DIR/epochs.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from newsie.lac import viterbi  # noqa: E402  (the decoder newsie runs)
from newsie.ner import bio_spans  # noqa: E402

CORE = ("PERSON", "ORG", "GOV")
LAC_KEYS = ("emb", "fc0_w", "fc0_b", "fc1_w", "fc1_b", "fc2_w", "fc2_b", "fc3_w", "fc3_b",
            "gru0_gates", "gru0_candidate", "gru0_b", "gru1_gates", "gru1_candidate", "gru1_b",
            "gru2_gates", "gru2_candidate", "gru2_b", "gru3_gates", "gru3_candidate", "gru3_b")


def read_jsonl(path: Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """(text, [(start, end exclusive, CLUENER type)]) per line of train_ner.py's split files."""
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            out.append((record["text"], [tuple(s) for s in record["spans"]]))
    return out


class Tags:
    """BIO tags over the config's labels: O, then B-/I- per label in config order."""

    def __init__(self, label_of_type: dict[str, str]) -> None:
        self.label_of_type = label_of_type
        labels = list(dict.fromkeys(label_of_type.values()))
        self.names = ["O"] + [f"{p}-{label}" for label in labels for p in ("B", "I")]
        self.id = {name: i for i, name in enumerate(self.names)}

    def encode(self, length: int, spans: list[tuple[int, int, str]], width: int) -> np.ndarray:
        """Tag ids for one sentence; of overlapping spans (2 in CLUENER's train file) the longer wins."""
        y = np.zeros(width, np.int32)
        taken: set[int] = set()
        for start, end, etype in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
            if etype not in self.label_of_type or taken.intersection(range(start, end)) or end > length:
                continue
            taken.update(range(start, end))
            label = self.label_of_type[etype]
            y[start] = self.id["B-" + label]
            y[start + 1 : end] = self.id["I-" + label]
        return y


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lac", type=Path, required=True, help="LAC's weights (scripts/build_lac.py)")
    parser.add_argument("--train", type=Path, required=True)
    parser.add_argument("--dev", type=Path, required=True)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--seed", type=int, required=True, help="initialisation, dropout and batch order")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    try:
        import jax
        import jax.numpy as jnp
        from jax import lax
    except ImportError:
        sys.exit("finetune_lac.py needs JAX: pip install -e '.[train]'")

    config = tomllib.loads(args.config.read_text(encoding="utf-8"))
    tags = Tags(dict(config["labels"]))
    n_tags = len(tags.names)
    width = int(config["max_length"])
    batch_size = int(config["batch_size"])
    train, dev = read_jsonl(args.train), read_jsonl(args.dev)
    too_long = [text for text, _ in train + dev if len(text) > width]
    if too_long:
        sys.exit(f"{len(too_long)} sentences are longer than max_length={width} (e.g. {too_long[0]!r})")

    with np.load(args.lac, allow_pickle=False) as data:
        lac = {name: data[name] for name in data.files}
    chars = str(lac["chars"])
    index = {c: i for i, c in enumerate(chars)}
    oov = len(chars)
    replace = dict(zip(str(lac["replace_from"]), str(lac["replace_to"])))
    hidden_size = lac["gru0_candidate"].shape[0]

    def encode(batch: list[tuple[str, list[tuple[int, int, str]]]]) -> tuple[np.ndarray, ...]:
        """Padded ids, the index that reverses each sentence in place, mask, tag ids."""
        n = len(batch)
        ids = np.full((n, width), oov, np.int32)
        reverse = np.tile(np.arange(width, dtype=np.int32), (n, 1))
        mask = np.zeros((n, width), np.float32)
        y = np.zeros((n, width), np.int32)
        for row, (text, spans) in enumerate(batch):
            length = len(text)
            ids[row, :length] = [index.get(replace.get(c, c), oov) for c in text]
            reverse[row, :length] = np.arange(length)[::-1]
            mask[row, :length] = 1
            y[row] = tags.encode(length, spans, width)
        return ids, reverse, mask, y

    def gru(p: dict[str, Any], layer: int, inputs: Any, mask: Any) -> Any:
        gates, candidate = p[f"gru{layer}_gates"], p[f"gru{layer}_candidate"]
        inputs = inputs + p[f"gru{layer}_b"]
        h_size = hidden_size

        def step(h: Any, x_m: tuple[Any, Any]) -> tuple[Any, Any]:
            x, m = x_m
            ur = jax.nn.sigmoid(x[:, : 2 * h_size] + h @ gates)
            u, r = ur[:, :h_size], ur[:, h_size:]
            c = jnp.tanh(x[:, 2 * h_size :] + (r * h) @ candidate)
            new = jnp.where(m[:, None] > 0, h + u * (c - h), h)  # padding leaves the state alone
            return new, new

        h0 = jnp.zeros((inputs.shape[0], h_size))
        _, out = lax.scan(step, h0, (jnp.swapaxes(inputs, 0, 1), jnp.swapaxes(mask, 0, 1)))
        return jnp.swapaxes(out, 0, 1)

    def in_reverse(a: Any, reverse: Any) -> Any:
        return jnp.take_along_axis(a, reverse[:, :, None], axis=1)

    def emissions(p: dict[str, Any], ids: Any, reverse: Any, mask: Any, key: Any, training: bool) -> Any:
        x = p["emb"][ids]
        if training:
            key, k = jax.random.split(key)
            keep = 1.0 - config["embed_dropout"]
            x = x * jax.random.bernoulli(k, keep, x.shape) / keep
        forward_in, backward_in = x, in_reverse(x, reverse)
        for layer in (0, 1):
            f = gru(p, 2 * layer, forward_in @ p[f"fc{2 * layer}_w"] + p[f"fc{2 * layer}_b"], mask)
            b = gru(p, 2 * layer + 1, backward_in @ p[f"fc{2 * layer + 1}_w"] + p[f"fc{2 * layer + 1}_b"], mask)
            forward_in = jnp.concatenate([f, in_reverse(b, reverse)], axis=2)
            backward_in = in_reverse(forward_in, reverse)
        if training:
            key, k = jax.random.split(key)
            keep = 1.0 - config["hidden_dropout"]
            forward_in = forward_in * jax.random.bernoulli(k, keep, forward_in.shape) / keep
        return forward_in @ p["fc4_w"] + p["fc4_b"]

    def crf_nll(p: dict[str, Any], em: Any, y: Any, mask: Any) -> Any:
        transition = p["transition"]
        emitted = (jnp.take_along_axis(em, y[:, :, None], 2)[:, :, 0] * mask).sum(1)
        moved = (transition[y[:, :-1], y[:, 1:]] * mask[:, 1:]).sum(1)
        last = jnp.take_along_axis(y, (mask.sum(1).astype(jnp.int32) - 1)[:, None], 1)[:, 0]
        gold = p["start"][y[:, 0]] + emitted + moved + p["end"][last]

        def forward(alpha: Any, em_m: tuple[Any, Any]) -> tuple[Any, None]:
            em_t, m_t = em_m
            nxt = jax.nn.logsumexp(alpha[:, :, None] + transition[None], axis=1) + em_t
            return jnp.where(m_t[:, None] > 0, nxt, alpha), None

        alpha, _ = lax.scan(forward, p["start"][None] + em[:, 0], (jnp.swapaxes(em, 0, 1)[1:], jnp.swapaxes(mask, 0, 1)[1:]))
        return jnp.mean(jax.nn.logsumexp(alpha + p["end"][None], axis=1) - gold)

    def loss_fn(p: dict[str, Any], ids: Any, reverse: Any, mask: Any, y: Any, key: Any) -> Any:
        return crf_nll(p, emissions(p, ids, reverse, mask, key, True), y, mask)

    @jax.jit
    def train_step(p: Any, m: Any, v: Any, step: Any, ids: Any, reverse: Any, mask: Any, y: Any, key: Any, rate: Any) -> Any:
        loss, grads = jax.value_and_grad(loss_fn)(p, ids, reverse, mask, y, key)
        norm = jnp.sqrt(sum(jnp.sum(g * g) for g in jax.tree_util.tree_leaves(grads)))
        scale = jnp.minimum(1.0, config["grad_clip"] / (norm + 1e-6))
        grads = jax.tree_util.tree_map(lambda g: g * scale, grads)
        m = jax.tree_util.tree_map(lambda a, g: 0.9 * a + 0.1 * g, m, grads)
        v = jax.tree_util.tree_map(lambda a, g: 0.999 * a + 0.001 * g * g, v, grads)
        p = jax.tree_util.tree_map(
            lambda w, a, b: w - rate * (a / (1 - 0.9**step)) / (jnp.sqrt(b / (1 - 0.999**step)) + 1e-8), p, m, v
        )
        return p, m, v, loss

    @jax.jit
    def predict(p: Any, ids: Any, reverse: Any, mask: Any) -> Any:
        return emissions(p, ids, reverse, mask, None, False)

    def dev_scores(p: dict[str, Any]) -> dict[str, float]:
        crf = np.vstack([np.asarray(p["start"])[None], np.asarray(p["end"])[None], np.asarray(p["transition"])])
        tp = n_pred = n_gold = 0
        for i in range(0, len(dev), 256):
            batch = dev[i : i + 256]
            ids, reverse, mask, _ = encode(batch)
            em = np.asarray(predict(p, ids, reverse, mask))
            for row, (text, spans) in enumerate(batch):
                path = viterbi(em[row, : len(text)], crf)
                pred = {s for s in bio_spans([tags.names[i] for i in path]) if s[2] in CORE}
                gold = {(s, e, tags.label_of_type[t]) for s, e, t in spans if tags.label_of_type.get(t) in CORE}
                tp, n_pred, n_gold = tp + len(pred & gold), n_pred + len(pred), n_gold + len(gold)
        p_, r_ = tp / max(n_pred, 1), tp / max(n_gold, 1)
        return {"p": round(p_, 4), "r": round(r_, 4), "f": round(2 * p_ * r_ / (p_ + r_) if p_ + r_ else 0.0, 4)}

    seed = args.seed
    key = jax.random.PRNGKey(seed)
    key, k = jax.random.split(key)
    params = {name: jnp.asarray(lac[name], jnp.float32) for name in LAC_KEYS}
    params["fc4_w"] = jax.random.normal(k, (2 * hidden_size, n_tags)) * 0.02
    params["fc4_b"] = jnp.zeros((n_tags,))
    params["transition"] = jnp.zeros((n_tags, n_tags))
    params["start"] = jnp.zeros((n_tags,))
    params["end"] = jnp.zeros((n_tags,))
    m = jax.tree_util.tree_map(jnp.zeros_like, params)
    v = jax.tree_util.tree_map(jnp.zeros_like, params)
    shuffle = random.Random(seed)
    epochs = int(config["epochs"])
    total = epochs * ((len(train) + batch_size - 1) // batch_size)
    args.out.mkdir(parents=True, exist_ok=True)
    log = (args.out / "epochs.jsonl").open("w", encoding="utf-8")
    best_f, step, started = -1.0, 0, time.time()
    for epoch in range(epochs):
        order = list(range(len(train)))
        shuffle.shuffle(order)
        losses = []
        for i in range(0, len(order), batch_size):
            batch = [train[j] for j in order[i : i + batch_size]]
            batch += [train[j] for j in order[: batch_size - len(batch)]]  # one batch shape: one compilation
            step += 1
            rate = config["learn_rate"] * min(1.0, step / config["warmup_steps"]) * max(0.0, 1 - step / total) + 1e-5
            key, k = jax.random.split(key)
            params, m, v, loss = train_step(params, m, v, step, *encode(batch), k, rate)
            losses.append(float(loss))
        scores = dev_scores(params)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        line = {"epoch": epoch, "step": step, "loss": round(float(np.mean(losses)), 4), "dev_core": scores,
                "wall_s": round(time.time() - started), "cpu_s": round(usage.ru_utime + usage.ru_stime)}
        print(json.dumps(line), flush=True)
        log.write(json.dumps(line) + "\n")
        log.flush()
        if scores["f"] > best_f:
            best_f = scores["f"]
            save(args.out / "best.npz", params, lac, tags)
    log.close()


def save(path: Path, params: dict[str, Any], lac: dict[str, np.ndarray], tags: Tags) -> None:
    """The fine-tuned network in lac.npz's layout (float16), with the new tagging head."""
    arrays: dict[str, Any] = {name: np.asarray(params[name], np.float32).astype(np.float16) for name in (*LAC_KEYS, "fc4_w", "fc4_b")}
    crf = np.vstack([np.asarray(params["start"])[None], np.asarray(params["end"])[None], np.asarray(params["transition"])])
    arrays["crf"] = crf.astype(np.float16)
    arrays["tag_names"] = np.array(" ".join(tags.names))
    for name in ("chars", "replace_from", "replace_to"):
        arrays[name] = lac[name]
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    os.replace(tmp, path)


if __name__ == "__main__":
    main()
