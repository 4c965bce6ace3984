#!/usr/bin/env python
"""Convert Baidu LAC's lexical-analysis model into newsie's ``lac.npz``.

The LAC 2.1.2 source distribution on PyPI (Apache-2.0, github.com/baidu/lac)
ships its trained PaddlePaddle weights as plain tensor files under
``LAC/lac_model/model/``. This script reads them without PaddlePaddle, keeps
the single-character rows of the 58,224-row embedding (the rest are words,
which newsie does not feed), and writes every tensor as float16 together with
the character list, LAC's replacement table (``q2b.dic``: full-width and
traditional forms) and tag names:

    python scripts/build_lac.py OUT.npz [--sdist LAC-2.1.2.tar.gz]

Without ``--sdist`` the sdist is fetched with ``pip download`` (the only
network use). The sdist's sha256 is checked.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import struct
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

import numpy as np

SDIST = "LAC==2.1.2"
SDIST_FILE = "LAC-2.1.2.tar.gz"
PYPI_SIMPLE = "https://pypi.org/simple/lac/"  # the PEP 503 index page
SDIST_SHA256 = "22fcde0d5082d2044205ea6f6a7a9cd1f0d63e7b21b2dd5c9c73f27e7c0a3ef1"
ROOT = "LAC-2.1.2/LAC/lac_model/"


def paddle_tensor(raw: bytes) -> np.ndarray:
    """A tensor saved by PaddlePaddle's save_params: version, LoD, a TensorDesc
    protobuf (data type, dims), then the raw little-endian data."""
    offset = 4  # uint32 version
    (lod_levels,) = struct.unpack_from("<Q", raw, offset)
    offset += 8
    for _ in range(lod_levels):
        (size,) = struct.unpack_from("<Q", raw, offset)
        offset += 8 + size
    offset += 4  # uint32 tensor version
    (desc_size,) = struct.unpack_from("<i", raw, offset)
    offset += 4
    desc = raw[offset : offset + desc_size]
    offset += desc_size

    def varint(buf: bytes, i: int) -> tuple[int, int]:
        value = shift = 0
        while True:
            byte = buf[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value, i

    dims: list[int] = []
    data_type = None
    i = 0
    while i < len(desc):
        key, i = varint(desc, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(desc, i)
            if field == 1:
                data_type = value
            elif field == 2:
                dims.append(value)
        else:  # packed dims
            length, i = varint(desc, i)
            packed = desc[i : i + length]
            i += length
            j = 0
            while j < len(packed):
                value, j = varint(packed, j)
                dims.append(value)
    if data_type != 5:  # FP32
        raise ValueError(f"unexpected paddle data type {data_type}")
    return np.frombuffer(raw, dtype="<f4", offset=offset).reshape(dims)


def fetch_sdist(folder: Path) -> Path:
    """Download the sdist: with pip, else straight from PyPI (pip has to build
    LAC's metadata to download it, which fails with setuptools that lack
    pkg_resources). The caller checks the sha256 either way."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
         "--no-build-isolation", SDIST, "-d", str(folder)],
        check=False,
    )
    found = list(folder.glob("LAC-*.tar.gz"))
    if found:
        return found[0]
    try:
        with urllib.request.urlopen(PYPI_SIMPLE, timeout=60) as response:
            index = response.read().decode("utf-8")
        (url,) = {u for u in re.findall(r'href="([^"#]+)', index) if u.endswith("/" + SDIST_FILE)}
        target = folder / SDIST_FILE
        with urllib.request.urlopen(url, timeout=600) as response:
            target.write_bytes(response.read())
    except (OSError, ValueError) as error:
        raise SystemExit(f"could not download {SDIST} ({error}); pass --sdist with a local copy") from error
    return target


def build(sdist: Path, out: Path) -> dict[str, object]:
    digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
    if digest != SDIST_SHA256:
        raise SystemExit(f"{sdist}: sha256 {digest}, expected {SDIST_SHA256}")
    with tarfile.open(sdist) as archive:
        def member(name: str) -> bytes:
            handle = archive.extractfile(ROOT + name)
            assert handle is not None
            return handle.read()

        tensors = {name: paddle_tensor(member("model/" + name)) for name in (
            "word_emb", "crfw", *(f"fc_{i}.{k}_0" for i in range(5) for k in "wb"),
            *(f"gru_{i}.{k}_0" for i in range(4) for k in "wb"))}
        vocab = [line.split("\t", 1) for line in member("conf/word.dic").decode("utf-8").splitlines()]
        replace = [line.split("\t", 1) for line in member("conf/q2b.dic").decode("utf-8").splitlines()]
        tag_lines = [line.split("\t", 1) for line in member("conf/tag.dic").decode("utf-8").splitlines()]

    rows = [(int(i), w) for i, w in vocab if len(w) == 1]
    oov_row = next(int(i) for i, w in vocab if w == "OOV")
    chars = "".join(w for _, w in rows)
    emb = np.concatenate([tensors["word_emb"][[i for i, _ in rows]], tensors["word_emb"][[oov_row]]])
    # replacements whose source and target are single characters the table knows
    pairs = [(a, b) for a, b in replace if len(a) == 1 and len(b) == 1 and b in chars and a != b]
    tag_names = [""] * (max(int(i) for i, _ in tag_lines) + 1)
    for i, name in tag_lines:
        tag_names[int(i)] = name  # some ids appear twice (PER-B = nr-B …): the entity name wins, it comes last
    hidden = tensors["gru_0.w_0"].shape[0]
    arrays: dict[str, np.ndarray] = {
        "chars": np.array(chars),
        "replace_from": np.array("".join(a for a, _ in pairs)),
        "replace_to": np.array("".join(b for _, b in pairs)),
        "tag_names": np.array(" ".join(tag_names)),
        "emb": emb.astype(np.float16),
        "crf": tensors["crfw"].astype(np.float16),
    }
    for i in range(5):
        arrays[f"fc{i}_w"] = tensors[f"fc_{i}.w_0"].astype(np.float16)
        arrays[f"fc{i}_b"] = tensors[f"fc_{i}.b_0"].reshape(-1).astype(np.float16)
    for i in range(4):
        # paddle stores the GRU weight as [H, 2H] (update, reset) followed by [H, H] (candidate)
        flat = tensors[f"gru_{i}.w_0"].reshape(-1)
        arrays[f"gru{i}_gates"] = flat[: 2 * hidden * hidden].reshape(hidden, 2 * hidden).astype(np.float16)
        arrays[f"gru{i}_candidate"] = flat[2 * hidden * hidden :].reshape(hidden, hidden).astype(np.float16)
        arrays[f"gru{i}_b"] = tensors[f"gru_{i}.b_0"].reshape(-1).astype(np.float16)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    out.write_bytes(buffer.getvalue())
    check_layout(out)
    return {"sdist_sha256": digest, "characters": len(chars), "replacements": len(pairs),
            "bytes": out.stat().st_size, "npz_sha256": hashlib.sha256(out.read_bytes()).hexdigest()}


def check_layout(npz: Path) -> None:
    """LAC's own tags for a sentence it knows. A wrong weight layout (e.g.
    reading paddle's GRU weight as one [H, 3H] matrix) still runs but tags
    garbage (沈/n-B …), so a build that fails this is refused."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from newsie.lac import LacEncoder

    tags = LacEncoder(npz).tags("长沙市委书记沈晓明在湘江新区会见了广汽埃安董事长。")
    expected = {(6, 9): "PER", (10, 14): "LOC", (17, 21): "ORG"}  # 沈晓明, 湘江新区, 广汽埃安
    for (start, end), label in expected.items():
        if tags[start:end] != [f"{label}-B"] + [f"{label}-I"] * (end - start - 1):
            raise SystemExit(f"{npz}: LAC tags the check sentence as {tags}: the weights were read in a wrong layout")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="where to write lac.npz")
    parser.add_argument("--sdist", type=Path, default=None, help="a local LAC-2.1.2.tar.gz (default: pip download)")
    args = parser.parse_args()
    if args.sdist is None:
        with tempfile.TemporaryDirectory() as folder:
            print(build(fetch_sdist(Path(folder)), args.out))
    else:
        print(build(args.sdist, args.out))


if __name__ == "__main__":
    main()
