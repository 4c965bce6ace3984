"""Extract the default pkuseg segmentation model for newsie's pkuseg option.

spacy-pkuseg downloads its model on first use, which newsie never allows
(nothing downloads at run time). The same model (the "default" mixed-domain
model, features.pkl + weights.npz, about 180 MB unpacked) ships inside the
source distribution of pkuseg 0.0.25 on PyPI. This script fetches that
sdist with pip, the ordinary client, and unpacks the model folder:

    python scripts/get_pkuseg_model.py .venv/pkuseg-default
    export NEWSIE_PKUSEG_MODEL=.venv/pkuseg-default

It needs setuptools and wheel in the environment (pip prepares the sdist's
metadata without build isolation, so nothing else is built).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "0.0.25"
MODEL_FILES = ("features.pkl", "weights.npz")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path, help="folder to put features.pkl and weights.npz in")
    args = parser.parse_args()
    target: Path = args.target
    if all((target / name).is_file() for name in MODEL_FILES):
        print(f"pkuseg model already in {target}")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
             "--no-build-isolation", f"pkuseg=={VERSION}", "-d", scratch],
            check=True,
        )
        (sdist,) = Path(scratch).glob(f"pkuseg-{VERSION}.tar.gz")
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(sdist) as archive:
            for name in MODEL_FILES:
                member = archive.getmember(f"pkuseg-{VERSION}/pkuseg/models/default/{name}")
                source = archive.extractfile(member)
                assert source is not None
                with open(target / name, "wb") as out:
                    while chunk := source.read(1 << 20):
                        out.write(chunk)
    print(f"pkuseg default model written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
