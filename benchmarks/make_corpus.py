"""Generate a deterministic benchmark corpus of article variants from ``corpus/``.

The 26 articles in ``corpus/articles`` are too few (and too uniform) to time
a stage on, so this script builds N variants from them, byte for byte the same
for the same ``--seed`` and ``--articles``:

* a headline and 2–12 body paragraphs drawn from all articles (paragraphs of
  the traditional + pinyin seed article ``000_seed.txt`` in about one variant
  in ten);
* about half of the ASCII numbers not followed by 年/月/日/号 replaced by random
  digits of the same length (so the same figures do not repeat verbatim);
* one rendering per variant, as bytes:

  ====================  =====  ==========================================
  rendering             share  what
  ====================  =====  ==========================================
  ``utf8``              40 %   plain text, UTF-8, simplified
  ``gb18030``           15 %   plain text, GB18030 bytes
  ``trad``              20 %   plain text, UTF-8, traditional characters
                               with pinyin annotations (the paragraphs of
                               ``corpus/renderings/*.trad.txt``)
  ``html``              20 %   a news page: one of ``corpus/renderings/*.html``
                               with its headline and body replaced, UTF-8
  ``utf16``              5 %   plain text, UTF-16 with BOM
  ====================  =====  ==========================================

Files are written to the output folder (default ``/tmp/newsie-bench/corpus``,
never into the repository) as ``NNNNN.txt`` / ``NNNNN.html`` with a
``manifest.json`` describing them.

    python benchmarks/make_corpus.py --articles 2000 --out /tmp/newsie-bench/corpus
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"

RENDERINGS = (("utf8", 40), ("gb18030", 15), ("trad", 20), ("html", 20), ("utf16", 5))
_NUMBER = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+)?(?![0-9年月日号號])")


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_pools() -> dict[str, list]:
    """Headlines and paragraphs, simplified and traditional (aligned line by line)."""
    headlines: list[tuple[str, str]] = []
    paragraphs: list[tuple[str, str]] = []
    for article in sorted((CORPUS / "articles").glob("[0-9][0-9][0-9]_*.txt")):
        if article.name.startswith("000_"):
            continue
        simp = _lines(article)
        trad_path = CORPUS / "renderings" / f"{article.stem}.trad.txt"
        trad = _lines(trad_path) if trad_path.exists() else simp
        if len(trad) != len(simp):
            trad = simp  # not aligned: fall back to the simplified text
        headlines.append((simp[0], trad[0]))
        paragraphs.extend(zip(simp[1:], trad[1:]))
    seed = CORPUS / "articles" / "000_seed.txt"
    seed_paragraphs = _lines(seed) if seed.exists() else []
    templates = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "renderings").glob("*.html"))]
    return {"headlines": headlines, "paragraphs": paragraphs, "seed": seed_paragraphs, "templates": templates}


def _perturb(text: str, rng: random.Random) -> str:
    def swap(m: re.Match[str]) -> str:
        if rng.random() >= 0.5:
            return m.group()
        out = []
        for i, ch in enumerate(m.group()):
            if ch == ".":
                out.append(ch)
            elif i == 0 and len(m.group().split(".")[0]) > 1:
                out.append(str(rng.randint(1, 9)))
            else:
                out.append(str(rng.randint(0, 9)))
        return "".join(out)

    return _NUMBER.sub(swap, text)


_H1 = re.compile(r"<h1>.*?</h1>", re.S)
_TITLE = re.compile(r"<title>.*?( - [^<]*)?</title>", re.S)
_BODY = re.compile(r'(<div class="article-content">).*?(\n\s*</div>)', re.S)


def _html_page(template: str, headline: str, paragraphs: list[str]) -> str:
    body = "".join(f"\n      <p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    page = _H1.sub(lambda m: f"<h1>{html.escape(headline, quote=False)}</h1>", template, count=1)
    page = _TITLE.sub(lambda m: f"<title>{html.escape(headline, quote=False)}{m.group(1) or ''}</title>", page, count=1)
    return _BODY.sub(lambda m: m.group(1) + body + m.group(2), page, count=1)


def make_variant(index: int, rng: random.Random, pools: dict[str, list]) -> tuple[str, str, bytes]:
    """(rendering, file name, bytes) of variant ``index``."""
    rendering = rng.choices([r for r, _ in RENDERINGS], weights=[w for _, w in RENDERINGS])[0]
    simp_head, trad_head = rng.choice(pools["headlines"])
    chosen = rng.sample(pools["paragraphs"], rng.randint(2, 12))
    use_trad = rendering == "trad"
    headline = trad_head if use_trad else simp_head
    paragraphs = [t if use_trad else s for s, t in chosen]
    if pools["seed"] and rng.random() < 0.1:
        k = rng.randint(1, 4)
        start = rng.randrange(len(pools["seed"]))
        paragraphs[rng.randrange(len(paragraphs) + 1):0] = pools["seed"][start : start + k]
    headline = _perturb(headline, rng)
    paragraphs = [_perturb(p, rng) for p in paragraphs]
    if rendering == "html":
        page = _html_page(rng.choice(pools["templates"]), headline, paragraphs)
        return rendering, f"{index:05d}.html", page.encode("utf-8")
    text = "\n".join([headline, *paragraphs]) + "\n"
    if rendering == "gb18030":
        data = text.encode("gb18030")
    elif rendering == "utf16":
        data = text.encode("utf-16")  # with BOM
    else:
        data = text.encode("utf-8")
    return rendering, f"{index:05d}.txt", data


def generate(articles: int, out: Path, seed: int = 20231008) -> dict:
    """Write ``articles`` variants to ``out`` (emptied first) and return the manifest."""
    pools = load_pools()
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    files = []
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    total = 0
    for i in range(articles):
        rendering, name, data = make_variant(i, rng, pools)
        (out / name).write_bytes(data)
        digest.update(name.encode() + b"\0" + data)
        files.append({"name": name, "rendering": rendering, "bytes": len(data)})
        counts[rendering] = counts.get(rendering, 0) + 1
        total += len(data)
    manifest = {
        "articles": articles,
        "seed": seed,
        "renderings": counts,
        "total_bytes": total,
        "sha256": digest.hexdigest(),
        "files": files,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="number of variants (default 2000)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/newsie-bench/corpus"), help="output folder (emptied first)")
    parser.add_argument("--seed", type=int, default=20231008, help="random seed (default 20231008)")
    args = parser.parse_args()
    manifest = generate(args.articles, args.out, args.seed)
    print(
        f"{manifest['articles']} articles, {manifest['total_bytes'] / 1e6:.2f} MB in {args.out} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(manifest['renderings'].items()))}); sha256 {manifest['sha256'][:16]}"
    )


if __name__ == "__main__":
    main()
