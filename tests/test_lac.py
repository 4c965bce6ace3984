"""newsie.lac: Baidu LAC's BiGRU-CRF run in numpy (the NER model is LAC fine-tuned)."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

import numpy as np
import pytest

from newsie.lac import LacEncoder
from newsie.ner import MODEL_DIR

PACKAGED = MODEL_DIR / "newsie_lac_ner" / "model-1.npz"
REPO = Path(__file__).resolve().parents[1]


def _tiny_weights(path: Path, hidden: int = 3, emb: int = 4, tags: int = 5, seed: int = 0) -> Path:
    """A random LAC-shaped network over the characters 甲乙丙 (row 3 = OOV)."""
    rng = np.random.default_rng(seed)
    arrays: dict[str, np.ndarray] = {
        "chars": np.array("甲乙丙"),
        "replace_from": np.array("乚"),
        "replace_to": np.array("乙"),
        "tag_names": np.array(" ".join(f"T{i}" for i in range(tags))),
        "emb": rng.normal(size=(4, emb)),
        "crf": rng.normal(size=(tags + 2, tags)),
        "fc4_w": rng.normal(size=(2 * hidden, tags)),
        "fc4_b": rng.normal(size=tags),
    }
    for i in range(4):
        width_in = emb if i < 2 else 2 * hidden
        arrays[f"fc{i}_w"] = rng.normal(size=(width_in, 3 * hidden))
        arrays[f"fc{i}_b"] = rng.normal(size=3 * hidden)
        arrays[f"gru{i}_gates"] = rng.normal(size=(hidden, 2 * hidden))
        arrays[f"gru{i}_candidate"] = rng.normal(size=(hidden, hidden))
        arrays[f"gru{i}_b"] = rng.normal(size=3 * hidden)
    np.savez(path, **{k: (v.astype(np.float16) if v.dtype.kind == "f" else v) for k, v in arrays.items()})
    return path


def _reference_hidden(encoder: LacEncoder, text: str) -> np.ndarray:
    """The same network written the plain way: one sequence, one step at a
    time, the backward GRU walking the text from its end."""
    w = encoder.weights
    size = encoder.hidden_size

    def gru(x: np.ndarray, layer: int, backward: bool) -> np.ndarray:
        h = np.zeros(size)
        out = np.zeros((len(x), size))
        order = range(len(x) - 1, -1, -1) if backward else range(len(x))
        for t in order:
            xt = x[t] + w[f"gru{layer}_b"]
            u = 1 / (1 + np.exp(-(xt[:size] + h @ w[f"gru{layer}_gates"][:, :size])))
            r = 1 / (1 + np.exp(-(xt[size : 2 * size] + h @ w[f"gru{layer}_gates"][:, size:])))
            c = np.tanh(xt[2 * size :] + (r * h) @ w[f"gru{layer}_candidate"])
            h = (1 - u) * h + u * c
            out[t] = h
        return out

    if not text:
        return np.zeros((0, 2 * size))
    x = np.array([w["emb"][encoder.index.get(encoder.replace.get(c, c), encoder.oov)] for c in text])
    for layer in (0, 1):
        forward = gru(x @ w[f"fc{2 * layer}_w"] + w[f"fc{2 * layer}_b"], 2 * layer, backward=False)
        backward = gru(x @ w[f"fc{2 * layer + 1}_w"] + w[f"fc{2 * layer + 1}_b"], 2 * layer + 1, backward=True)
        x = np.concatenate([forward, backward], axis=1)
    return x


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> LacEncoder:
    return LacEncoder(_tiny_weights(tmp_path_factory.mktemp("lac") / "tiny.npz"))


@pytest.mark.parametrize("text", ["甲", "甲乙丙", "丙丙甲乙乙甲", "甲X乙", "乚乙"])
def test_hidden_matches_plain_implementation(tiny: LacEncoder, text: str) -> None:
    np.testing.assert_allclose(tiny.hidden(text), _reference_hidden(tiny, text), rtol=1e-5, atol=1e-5)


def test_batch_of_different_lengths_equals_one_at_a_time(tiny: LacEncoder) -> None:
    # padding must not leak into a shorter sequence's backward states
    texts = ["甲乙丙甲乙丙甲", "乙", "", "丙甲"]
    batched = tiny.hidden_many(texts)
    for text, rows in zip(texts, batched):
        assert rows.shape == (len(text), 2 * tiny.hidden_size)
        np.testing.assert_allclose(rows, _reference_hidden(tiny, text), rtol=1e-5, atol=1e-5)


def test_unknown_and_replaced_characters(tiny: LacEncoder) -> None:
    assert list(tiny.ids("甲乙丙X")) == [0, 1, 2, 3]  # X is not in the table: the OOV row
    assert list(tiny.ids("乚")) == [1]  # replaced by 乙 first (LAC's q2b table)


def test_viterbi_is_the_best_path(tiny: LacEncoder) -> None:
    hidden = tiny.hidden("丙甲乙甲")
    w = tiny.weights
    emission = hidden @ w["fc4_w"] + w["fc4_b"]
    start, end, transition = w["crf"][0], w["crf"][1], w["crf"][2:]

    def score(path: tuple[int, ...]) -> float:
        total = start[path[0]] + end[path[-1]] + sum(emission[t, k] for t, k in enumerate(path))
        return float(total + sum(transition[a, b] for a, b in zip(path, path[1:])))

    import itertools

    best = max(itertools.product(range(5), repeat=4), key=score)
    assert tiny.tags_from_hidden(hidden) == [f"T{k}" for k in best]


@pytest.mark.skipif(not PACKAGED.is_file(), reason="packaged NER model not built (scripts/train_ner.py)")
def test_packaged_weights_tag_the_seed_sentence() -> None:
    # The fine-tuned network in LAC's layout, its BIO head over CLUENER's types.
    encoder = LacEncoder(PACKAGED)
    text = "长沙市委书记沈晓明在湘江新区会见了广汽埃安董事长。"
    tags = encoder.tags(text)
    assert tags[:6] == ["B-POSITION"] + ["I-POSITION"] * 5  # 长沙市委书记: a title, CLUENER's position
    assert tags[6:9] == ["B-PERSON", "I-PERSON", "I-PERSON"]  # 沈晓明
    assert tags[10:14] == ["B-LOC", "I-LOC", "I-LOC", "I-LOC"]  # 湘江新区 (CLUENER address)
    assert tags[17:21] == ["B-ORG", "I-ORG", "I-ORG", "I-ORG"]  # 广汽埃安
    assert tags[14:17] == ["O", "O", "O"] and tags[-1] == "O"  # 会见了, 。


def test_build_refuses_weights_that_tag_garbage(tmp_path: Path) -> None:
    """build_lac.check_layout, run on every build: a network in a wrong layout
    (here: random weights) does not tag LAC's check sentence and is refused."""
    with pytest.raises(SystemExit, match="wrong layout"):
        _load_build_lac().check_layout(_tiny_weights(tmp_path / "tiny.npz"))


def _load_build_lac():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_lac", REPO / "scripts" / "build_lac.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("packed", [True, False])
def test_paddle_tensor_reader(packed: bool) -> None:
    build_lac = _load_build_lac()
    data = np.arange(6, dtype="<f4").reshape(2, 3)
    # TensorDesc protobuf: field 1 (data type FP32 = 5), field 2 (dims), packed or not
    desc = bytes([0x08, 0x05]) + (bytes([0x12, 0x02, 0x02, 0x03]) if packed else bytes([0x10, 0x02, 0x10, 0x03]))
    raw = struct.pack("<IQIi", 0, 0, 0, len(desc)) + desc + data.tobytes()
    np.testing.assert_array_equal(build_lac.paddle_tensor(raw), data)
    with pytest.raises(ValueError, match="data type"):
        build_lac.paddle_tensor(struct.pack("<IQIi", 0, 0, 0, 2) + bytes([0x08, 0x06]) + data.tobytes())
