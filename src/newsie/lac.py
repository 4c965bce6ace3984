"""Baidu LAC's character BiGRU-CRF, run in numpy: newsie's NER network.

LAC (github.com/baidu/lac, Apache-2.0) is a character BiGRU-CRF trained by
Baidu on a large annotated corpus for word segmentation, part of speech and
PER/LOC/ORG/TIME entities. Its weights ship in the ``LAC`` source
distribution on PyPI; ``scripts/build_lac.py`` converts the embedding (the
single-character rows only), the two BiGRU layers and the CRF into one
``.npz`` file (float16), so newsie needs neither PaddlePaddle nor the 30 MB
word table. ``scripts/finetune_lac.py`` trains that network further on
CLUENER2020 with a new output layer and CRF, in the same layout: the model
``newsie.ner`` ships. This module runs either:

* :meth:`LacEncoder.hidden_many` — the second BiGRU layer's output, 256
  numbers per character, for a batch of texts at once;
* :meth:`LacEncoder.tags` — the CRF's Viterbi tags per character (LAC's own
  ``PER-B``, ``n-I`` …, or the fine-tuned model's ``B-PERSON`` …).

LAC itself reads a mix of words and characters; newsie feeds characters only
(the table's 8,223 single characters), which keeps the file small and the
tags aligned with characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np


def viterbi(emission: np.ndarray, crf: np.ndarray) -> list[int]:
    """The best tag path of a linear-chain CRF: ``emission`` [T, tags];
    ``crf`` = start scores, end scores, then transitions [from, to]."""
    start, end, transition = crf[0], crf[1], crf[2:]
    score = start + emission[0]
    back = []
    for t in range(1, len(emission)):
        candidates = score[:, None] + transition
        back.append(candidates.argmax(0))
        score = candidates.max(0) + emission[t]
    best = [int((score + end).argmax())]
    for pointers in reversed(back):
        best.append(int(pointers[best[-1]]))
    best.reverse()
    return best


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class LacEncoder:
    """LAC's character BiGRU-CRF in numpy, batched over sentences."""

    def __init__(self, path: Path | str) -> None:
        with np.load(path, allow_pickle=False) as data:
            weights = {name: data[name] for name in data.files}
        chars = str(weights.pop("chars"))
        self.index = {char: i for i, char in enumerate(chars)}
        self.oov = len(chars)  # the last embedding row
        self.replace = dict(zip(str(weights.pop("replace_from")), str(weights.pop("replace_to"))))
        self.tag_names = str(weights.pop("tag_names")).split(" ")
        self.weights = {name: array.astype(np.float32) for name, array in weights.items()}
        self.hidden_size = self.weights["gru0_candidate"].shape[0]

    def ids(self, text: str) -> np.ndarray:
        index, replace, oov = self.index, self.replace, self.oov
        return np.fromiter((index.get(replace.get(c, c), oov) for c in text), dtype=np.int64, count=len(text))

    def _gru(self, inputs: np.ndarray, layer: int) -> np.ndarray:
        """One GRU over a padded batch [B, T, 3H] of left-aligned sequences.

        Paddle's dynamic_gru (origin_mode=False): u, r = σ(x_ur + h W_ur),
        c = tanh(x_c + (r ⊙ h) W_c), h' = (1 - u) ⊙ h + u ⊙ c; h0 = 0.
        Padding sits after each sequence's end, so it never reaches a real
        position.
        """
        w = self.weights
        size = self.hidden_size
        gates, candidate = w[f"gru{layer}_gates"], w[f"gru{layer}_candidate"]
        inputs = inputs + w[f"gru{layer}_b"]
        batch, steps, _ = inputs.shape
        h = np.zeros((batch, size), np.float32)
        out = np.empty((batch, steps, size), np.float32)
        for t in range(steps):
            x = inputs[:, t]
            ur = _sigmoid(x[:, : 2 * size] + h @ gates)
            u, r = ur[:, :size], ur[:, size:]
            c = np.tanh(x[:, 2 * size :] + (r * h) @ candidate)
            h = h + u * (c - h)
            out[:, t] = h
        return out

    def hidden_many(self, texts: Sequence[str]) -> list[np.ndarray]:
        """The second BiGRU layer's output [len(text), 2 x hidden size] for each text (float32)."""
        if not texts:
            return []
        lengths = np.array([len(t) for t in texts])
        steps = max(int(lengths.max()), 1)
        ids = np.full((len(texts), steps), self.oov, np.int64)
        # reversed copies, also left-aligned, for the backward GRUs
        reverse_ids = np.full((len(texts), steps), self.oov, np.int64)
        for row, text in enumerate(texts):
            seq = self.ids(text)
            ids[row, : len(seq)] = seq
            reverse_ids[row, : len(seq)] = seq[::-1]
        w = self.weights
        forward_in = w["emb"][ids]
        backward_in = w["emb"][reverse_ids]
        for layer in (0, 1):
            f = self._gru(forward_in @ w[f"fc{2 * layer}_w"] + w[f"fc{2 * layer}_b"], 2 * layer)
            b = self._gru(backward_in @ w[f"fc{2 * layer + 1}_w"] + w[f"fc{2 * layer + 1}_b"], 2 * layer + 1)
            # back to reading order: un-reverse each sequence's backward states
            b_in_order = np.zeros_like(b)
            f_reversed = np.zeros_like(f)
            for row, n in enumerate(lengths):
                b_in_order[row, :n] = b[row, :n][::-1]
                f_reversed[row, :n] = f[row, :n][::-1]
            forward_in = np.concatenate([f, b_in_order], axis=2)
            backward_in = np.concatenate([f_reversed, b], axis=2)
        return [forward_in[row, :n] for row, n in enumerate(lengths)]

    def hidden(self, text: str) -> np.ndarray:
        return self.hidden_many([text])[0]

    def tags_from_hidden(self, hidden: np.ndarray) -> list[str]:
        """The Viterbi tag per character from :meth:`hidden`'s output."""
        if len(hidden) == 0:
            return []
        w = self.weights
        return [self.tag_names[i] for i in viterbi(hidden @ w["fc4_w"] + w["fc4_b"], w["crf"])]

    def tags(self, text: str) -> list[str]:
        return self.tags_from_hidden(self.hidden(text))
