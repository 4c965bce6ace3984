"""Speed and memory of newsie's segment/tag stage, and of the whole pipeline per NER mode.

Not a test: nothing here asserts on time. Run it by hand (see benchmarks/README.md):

    python benchmarks/bench_tagging.py --articles 1000 --out benchmarks/results/tagging.md

What happens:

1. ``make_corpus.generate`` writes N deterministic article variants to
   ``WORK/corpus`` (default WORK: /tmp/newsie-bench-tagging), and src/newsie
   is built into ``WORK/snapshot`` (``--build wheel``, the default: the wheel
   pip builds from this checkout, with its mypyc-compiled stages; ``--build
   source``: a plain copy of src/newsie + patterns/): every subprocess
   imports newsie from there, so all configurations time the same code even
   while the work tree is being edited (the report gives its fingerprint).
2. A *prepare* subprocess runs ``newsie.read.read_bytes`` +
   ``newsie.normalize.normalize`` once per file, with the headline handled as
   ``newsie.pipeline.process`` handles it, and saves the normalized text and
   headline: every segment/tag configuration times the same normalized texts.
3. Each configuration runs in its own subprocess (one at a time, single
   threaded: ``OMP_NUM_THREADS=1`` etc.), on the corpus held in memory:
   imports + set-up + first call timed as *load*; a warm-up over the first
   ``--warmup`` articles; one timed pass over all N articles with
   ``time.perf_counter`` (wall) and ``time.process_time`` (CPU); peak RSS
   from ``getrusage(RUSAGE_SELF).ru_maxrss`` right after the timed pass.
   Results are summarized and dropped per article, as a streaming batch does.

   * ``segment jieba`` / ``segment pkuseg``: ``nlp.tokenizer(text)`` of
     ``newsie.segment.blank(...)`` (spaCy's Chinese tokenizer with newsie's
     domain words).
   * ``tag ner=MODE``: ``newsie.entities.tag(text, title=..., quantities=...,
     ner=MODE)``; the quantities come from
     ``newsie.quantities.find_quantities`` computed before timing.
   * ``extract ner=MODE``: ``newsie.extract(file_bytes, ner=MODE)`` — read,
     normalize, quantities, tag, facts. A second, separately timed pass calls
     the stages one by one (as ``newsie.pipeline.process`` does) to show
     where the time goes.
   * with ``--spacy-pipeline``: ``newsie.load(segmenter, ner=MODE)(text)`` —
     the spaCy pipeline (segmentation + quantities + entities + facts) for
     jieba and pkuseg, with and without the statistical model.

MB/s counts the UTF-8 bytes of the normalized article text (the same
numerator for every configuration, extract included); extract's throughput
on raw file bytes is given too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import resource
import shlex
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_corpus  # noqa: E402
from snapshot import BUILDS, build_snapshot  # noqa: E402
from snapshot import DESCRIPTION as SNAPSHOT_DESCRIPTION  # noqa: E402

# name → (kind, argument): the configurations, in the order they run and are reported.
CONFIGS: dict[str, tuple[str, str]] = {
    "segment jieba": ("segment", "jieba"),
    "segment pkuseg": ("segment", "pkuseg"),
    "tag ner=off": ("tag", "off"),
    "tag ner=quantity_sentences": ("tag", "quantity_sentences"),
    "tag ner=full": ("tag", "full"),
    "extract ner=off": ("extract", "off"),
    "extract ner=quantity_sentences": ("extract", "quantity_sentences"),
    "extract ner=full": ("extract", "full"),
    "NER model parts": ("parts", "full"),
}
SPACY_CONFIGS: dict[str, tuple[str, str]] = {
    "load(jieba) ner=off": ("load", "jieba:off"),
    "load(jieba) ner=quantity_sentences": ("load", "jieba:quantity_sentences"),
    "load(pkuseg) ner=off": ("load", "pkuseg:off"),
    "load(pkuseg) ner=quantity_sentences": ("load", "pkuseg:quantity_sentences"),
}
SAMPLE = "新华社长沙10月7日电 截至8月底，全市新引进重大项目75个，其中百亿以上项目6个；天心区引进外资4099万美元。"


def _rss_now_kb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _corpus_files(corpus: Path) -> list[Path]:
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    return [corpus / f["name"] for f in manifest["files"]]


def _load_texts(work: Path) -> list[dict]:
    with open(work / "texts.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


# --------------------------------------------------------------------------- workers (subprocesses)


def worker_prepare(work: Path) -> dict:
    """Normalized text and headline of every file, the way ``newsie.pipeline.process`` makes them."""
    from newsie.normalize import normalize
    from newsie.read import read_bytes, title_of_plain_text

    with open(work / "texts.jsonl", "w", encoding="utf-8") as f:
        for path in _corpus_files(work / "corpus"):
            raw = next(read_bytes(path.read_bytes()))
            text, title = "", None
            if raw.error is None:
                text = normalize(raw.text).text
                if raw.meta.get("title"):
                    title = normalize(raw.meta["title"]).text
                elif raw.meta.get("format") == "txt":
                    title = title_of_plain_text(text)
            f.write(json.dumps({"name": path.name, "ok": raw.error is None, "text": text, "title": title}, ensure_ascii=False) + "\n")
    return {}


def _setup(kind: str, arg: str, pkuseg_model: str | None):
    """(call(item) -> summary dict, item list builder) for one configuration; imports happen here."""
    if kind == "segment":
        from newsie.segment import blank

        nlp = blank(arg, pkuseg_model=pkuseg_model) if arg == "pkuseg" else blank(arg)
        tokenizer = nlp.tokenizer

        def call(item):
            return {"tokens": len(tokenizer(item["text"]))}

        return call

    if kind == "tag":
        from newsie.entities import tag

        def call(item):
            tagged = tag(item["text"], title=item["title"], quantities=item["quantities"], ner=arg)
            labels: dict[str, int] = {}
            for e in tagged.entities:
                labels[e.label] = labels.get(e.label, 0) + 1
            return {"labels": labels}

        return call

    if kind == "extract":
        import newsie

        def call(item):
            doc = newsie.extract(item["bytes"], ner=arg)
            labels: dict[str, int] = {}
            for e in doc.entities:
                labels[e.label] = labels.get(e.label, 0) + 1
            return {"labels": labels, "facts": len(doc.facts), "ok": int(doc.ok)}

        return call

    if kind == "load":
        import newsie

        segmenter, mode = arg.split(":")
        nlp = newsie.load(segmenter, pkuseg_model=pkuseg_model if segmenter == "pkuseg" else None, ner=mode)

        def call(item):
            doc = nlp(item["text"])
            labels: dict[str, int] = {}
            for e in doc._.newsie_entities:
                labels[e.label] = labels.get(e.label, 0) + 1
            return {"labels": labels, "facts": len(doc._.newsie_facts), "tokens": len(doc)}

        return call
    raise ValueError(kind)


def _stage_pass(items: list[dict], mode: str) -> dict:
    """The stages of ``newsie.pipeline.process`` one by one (wall s per stage, summed over the corpus)."""
    from newsie.entities import tag
    from newsie.facts import build_facts
    from newsie.normalize import normalize
    from newsie.quantities import find_quantities
    from newsie.read import read_bytes, title_of_plain_text

    stages = {"read": 0.0, "normalize": 0.0, "quantities": 0.0, "tag": 0.0, "facts": 0.0}
    for item in items:
        t0 = time.perf_counter()
        raw = next(read_bytes(item["bytes"]))
        t1 = time.perf_counter()
        stages["read"] += t1 - t0
        if raw.error is not None:
            continue
        text = normalize(raw.text).text
        title = raw.meta.get("title")
        if title:
            title = normalize(title).text
        elif raw.meta.get("format") == "txt":
            title = title_of_plain_text(text)
        t2 = time.perf_counter()
        stages["normalize"] += t2 - t1
        scan = find_quantities(text)
        t3 = time.perf_counter()
        stages["quantities"] += t3 - t2
        tagged = tag(text, title=title, quantities=scan.quantities, ner=mode)
        t4 = time.perf_counter()
        stages["tag"] += t4 - t3
        body_start = len(title) + 1 if title and text.startswith(title + "\n") else 0
        build_facts(text, scan.quantities, tagged.mentions, tagged.home, body_start=body_start)
        stages["facts"] += time.perf_counter() - t4
    return stages


def worker_parts(work: Path, articles: int) -> dict:
    """The statistical model's steps (tokenizer, then each pipe) timed apart on whole articles, cut as ``predict_many`` cuts them."""
    from newsie.ner import StatisticalNER, split_chunks

    texts = [r["text"] for r in _load_texts(work)][:articles]
    model = StatisticalNER.default()
    list(model.predict_many(texts[:3]))  # warm
    chunks = [piece for text in texts for _, piece in split_chunks(text)]
    nlp = model.nlp
    steps = {}
    c0, w0 = time.process_time(), time.perf_counter()
    docs = [nlp.make_doc(piece) for piece in chunks]
    steps["tokenizer: spaCy's characters"] = (time.perf_counter() - w0, time.process_time() - c0)
    for name, pipe in nlp.pipeline:
        c0, w0 = time.process_time(), time.perf_counter()
        docs = list(pipe.pipe(docs, batch_size=64))
        steps[name] = (time.perf_counter() - w0, time.process_time() - c0)
    return {
        "config": "NER model parts",
        "parts": True,
        "articles": len(texts),
        "chunks": len(chunks),
        "chars": sum(map(len, texts)),
        "text_bytes": sum(len(t.encode("utf-8")) for t in texts),
        "steps": steps,
        "peak_rss_kb": _peak_rss_kb(),
    }


def worker_config(work: Path, config: str, warmup: int, pkuseg_model: str | None, stage_articles: int) -> dict:
    kind, arg = {**CONFIGS, **SPACY_CONFIGS}[config]
    if kind == "parts":
        return worker_parts(work, stage_articles or 200)
    records = _load_texts(work)
    items = [{"text": r["text"], "title": r["title"]} for r in records]
    if kind == "extract":
        for item, path in zip(items, _corpus_files(work / "corpus")):
            item["bytes"] = path.read_bytes()
    text_bytes = sum(len(r["text"].encode("utf-8")) for r in records)
    chars = sum(len(r["text"]) for r in records)
    file_bytes = sum(len(i["bytes"]) for i in items) if kind == "extract" else None
    window_chars = None
    if kind == "tag":  # quantities before timing (and before the RSS baseline)
        from newsie.quantities import find_quantities

        for item in items:
            item["quantities"] = find_quantities(item["text"]).quantities
        if arg == "quantity_sentences":  # how much text the model reads in this mode (not timed)
            from newsie.entities import _sentences_with

            window_chars = sum(e - s for item in items for s, e in _sentences_with(item["text"], item["quantities"]))
    rss_before = _rss_now_kb()

    t0 = time.perf_counter()
    c0 = time.process_time()
    call = _setup(kind, arg, pkuseg_model)
    call({"text": SAMPLE, "title": None, "quantities": _sample_quantities() if kind == "tag" else (), "bytes": SAMPLE.encode()})
    load_s, load_cpu_s = time.perf_counter() - t0, time.process_time() - c0

    for item in items[:warmup]:
        call(item)

    per_article: list[float] = []
    summaries = []
    c0, w0 = time.process_time(), time.perf_counter()
    for item in items:
        t = time.perf_counter()
        summaries.append(call(item))
        per_article.append(time.perf_counter() - t)
    wall_s, cpu_s = time.perf_counter() - w0, time.process_time() - c0
    peak = _peak_rss_kb()

    totals: dict = {"labels": {}}
    for s in summaries:
        for k, v in s.items():
            if k == "labels":
                for label, n in v.items():
                    totals["labels"][label] = totals["labels"].get(label, 0) + n
            else:
                totals[k] = totals.get(k, 0) + v
    stage_s = _stage_pass(items[:stage_articles], arg) if stage_articles and kind == "extract" else None
    slowest = sorted(range(len(items)), key=per_article.__getitem__, reverse=True)[:3]
    return {
        "config": config,
        "articles": len(items),
        "chars": chars,
        "text_bytes": text_bytes,
        "file_bytes": file_bytes,
        "window_chars": window_chars,
        "load_s": load_s,
        "load_cpu_s": load_cpu_s,
        "wall_s": wall_s,
        "cpu_s": cpu_s,
        "median_article_ms": statistics.median(per_article) * 1e3,
        "slowest": [{"name": records[i]["name"], "ms": per_article[i] * 1e3, "chars": len(records[i]["text"])} for i in slowest],
        "rss_before_kb": rss_before,
        "peak_rss_kb": peak,
        "totals": totals,
        "stages_s": stage_s,
        "module": sys.modules["newsie"].__file__ if "newsie" in sys.modules else None,
    }


def _sample_quantities():
    from newsie.quantities import find_quantities

    return find_quantities(SAMPLE).quantities


# --------------------------------------------------------------------------- driver


def _env(work: Path) -> dict:
    env = dict(os.environ)
    snapshot = work / "snapshot" / "src"
    if snapshot.is_dir():
        env["PYTHONPATH"] = os.pathsep.join([str(snapshot), *filter(None, [env.get("PYTHONPATH")])])
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
        env[var] = "1"  # single threaded: "per core" means one core
    return env


def _run_worker(args: argparse.Namespace, config: str) -> dict:
    slug = "prepare" if config == "prepare" else hashlib.sha1(config.encode()).hexdigest()[:10]
    result_path = args.work / f"result-{slug}.json"
    result_path.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", config, "--work", str(args.work), "--warmup", str(args.warmup)]
    if args.pkuseg_model:
        cmd += ["--pkuseg-model", str(args.pkuseg_model)]
    cmd += ["--stage-articles", str(args.stage_articles)]
    load_before = os.getloadavg()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(args.work))
    if proc.returncode != 0 or not result_path.exists():
        return {"config": config, "failed": True, "returncode": proc.returncode, "stderr": proc.stderr[-3000:]}
    result = json.loads(result_path.read_text(encoding="utf-8"))
    result["loadavg"] = [load_before, os.getloadavg()]
    return result


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        l1, l5, l15 = os.getloadavg()
        return f"load average: {l1:.2f}, {l5:.2f}, {l15:.2f}"


def _default_ner(snapshot: Path) -> str:
    """``DEFAULT_NER`` as newsie/entities.py in the snapshot sets it."""
    source = (snapshot / "src" / "newsie" / "entities.py").read_text(encoding="utf-8")
    match = re.search(r'^DEFAULT_NER\s*=\s*"(\w+)"', source, re.M)
    return match.group(1) if match else "off"


def _model_info(snapshot: Path) -> str:
    meta = snapshot / "src" / "newsie" / "models" / "ner_cluener" / "meta.json"
    if not meta.is_file():
        return "MISSING (src/newsie/models/ner_cluener/meta.json not found: ner=quantity_sentences/full then run no model)"
    m = json.loads(meta.read_text(encoding="utf-8"))
    return f"`{m.get('name')}` {m.get('version')} (spaCy {m.get('spacy_version')}; pipes {', '.join(m.get('pipeline', []))})"


def report(args, manifest, runs: dict[str, list[dict]], started: str, uptimes: list[str], command: str, fingerprint: str, snapshot: Path) -> str:
    lines: list[str] = []
    add = lines.append
    parts = [r for rs in runs.values() for r in rs if r.get("parts")]
    runs = {name: rs for name, rs in runs.items() if not any(r.get("parts") for r in rs)}
    ok = {name: [r for r in rs if not r.get("failed")] for name, rs in runs.items()}
    base = next((rs[0] for rs in ok.values() if rs), None)

    add("# Benchmark: segment/tag stage (jieba, pkuseg, gazetteer + patterns, statistical NER) and `newsie.extract` per NER mode")
    add("")
    add(f"- date: {started}")
    add(f"- machine: {os.cpu_count()} CPUs, {_cpu_model()}, {platform.system()} {platform.release()}; shared with other jobs")
    add(f"- python: {platform.python_implementation()} {platform.python_version()}")
    versions = ", ".join(f"{d} {_version(d)}" for d in ("newsie", "spacy", "thinc", "numpy", "jieba", "spacy-pkuseg", "ahocorasick-rs", "regex", "opencc", "selectolax"))
    add(f"- packages: {versions}")
    add(f"- NER model: {_model_info(snapshot)}; pkuseg model: `{args.pkuseg_model}`")
    add(f"- load (`uptime`) before: `{uptimes[0]}`")
    add(f"- load (`uptime`) after: `{uptimes[1]}`")
    add("- one subprocess per configuration, one at a time, single threaded (`OMP_NUM_THREADS=1`); the machine is shared, so wall time includes waiting "
        "for a core: CPU time (`time.process_time`) is the per-core figure")
    add(f"- command: `{command}`")
    add(f"- code timed: {SNAPSHOT_DESCRIPTION[args.build]}, taken at the start, imported from `{snapshot / 'src'}`; sha256 `{fingerprint}`")
    rend = ", ".join(f"{k} {v}" for k, v in sorted(manifest["renderings"].items()))
    add(f"- corpus: {manifest['articles']} variants generated by `benchmarks/make_corpus.py` (seed {manifest['seed']}, sha256 `{manifest['sha256'][:16]}`): "
        f"{manifest['total_bytes'] / 1e6:.3f} MB of files ({rend})")
    if base:
        add(f"- normalized text (what every configuration is measured against): {base['chars']:,} characters, {base['text_bytes'] / 1e6:.3f} MB UTF-8, "
            f"{base['chars'] / base['articles']:,.0f} characters per article on average")
    add(f"- rounds: {args.rounds} (configurations in listed order, reversed every other round); warm-up {args.warmup} articles per run; "
        "throughput = median over rounds; peak RSS = max over rounds")
    add("")
    if base is None:
        add("Every configuration failed: " + json.dumps(runs, ensure_ascii=False)[:3000])
        return "\n".join(lines) + "\n"

    add("| configuration | articles/s (wall) | articles/s (CPU) | k chars/s (CPU) | MB/s text (wall) | MB/s text (CPU) | median ms/article | load s (wall / CPU) | peak RSS MiB (+ over corpus in memory) |")
    add("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, rs in ok.items():
        if not rs:
            add(f"| {name} | failed | | | | | | | |")
            continue
        n, chars, tb = rs[0]["articles"], rs[0]["chars"], rs[0]["text_bytes"]
        wall = statistics.median(r["wall_s"] for r in rs)
        cpu = statistics.median(r["cpu_s"] for r in rs)
        load = statistics.median(r["load_s"] for r in rs)
        load_cpu = statistics.median(r["load_cpu_s"] for r in rs)
        peak = max(r["peak_rss_kb"] for r in rs) / 1024
        before = statistics.median(r["rss_before_kb"] for r in rs) / 1024
        med = statistics.median(r["median_article_ms"] for r in rs)
        add(f"| {name} | {n / wall:,.0f} | {n / cpu:,.0f} | {chars / cpu / 1e3:,.0f} | {tb / wall / 1e6:.3f} | **{tb / cpu / 1e6:.3f}** | {med:.2f} "
            f"| {load:.2f} / {load_cpu:.2f} | {peak:.0f} (+{peak - before:.0f}) |")
    add("")

    def cpu_of(name: str) -> float | None:
        rs = ok.get(name) or []
        return statistics.median(r["cpu_s"] for r in rs) if rs else None

    tb = base["text_bytes"]
    # the driver does not import newsie (the snapshot is what is timed): the
    # default mode is read from the snapshot's source
    default_mode = _default_ner(snapshot)
    default = cpu_of(f"extract ner={default_mode}")
    if default:
        mbs = tb / default / 1e6
        verdict = "reaches" if mbs >= 1 else "does NOT reach"
        add(f"**End to end, default (`newsie.extract`, ner={default_mode}): {mbs:.3f} MB/s per core (CPU time) — {verdict} the 1 MB/s per core target.**")
        for name in ("extract ner=off", "extract ner=quantity_sentences", "extract ner=full"):
            c = cpu_of(name)
            if c and name != f"extract ner={default_mode}":
                add(f"- {name}: {tb / c / 1e6:.3f} MB/s per core (CPU time)")
        add("")

    # What the model costs, derived from the tag rows.
    off, qs, full = cpu_of("tag ner=off"), cpu_of("tag ner=quantity_sentences"), cpu_of("tag ner=full")
    qs_run = (ok.get("tag ner=quantity_sentences") or [{}])[0]
    if off and qs and full and qs_run.get("window_chars") is not None:
        share = qs_run["window_chars"] / base["chars"]
        add(f"Statistical model cost, from the tag rows (CPU): gazetteer + DATE/GOV patterns alone {off:.2f} s for the corpus; "
            f"the model adds {qs - off:.2f} s reading only sentences with a quantity ({share:.0%} of the characters) "
            f"and {full - off:.2f} s reading everything, i.e. the model alone runs at about {tb / (full - off) / 1e6:.3f} MB/s per core.")
        add("")

    stage_runs = [(name, rs) for name, rs in ok.items() if rs and rs[0].get("stages_s")]
    if stage_runs:
        add(f"Where the time goes in `newsie.extract`: the stages of `newsie.pipeline.process` timed one by one in a second pass over the first {args.stage_articles} articles "
            "(wall s, median over rounds; share of the sum):")
        add("")
        keys = ("read", "normalize", "quantities", "tag", "facts")
        add("| configuration | " + " | ".join(keys) + " | sum |")
        add("|---|" + "---:|" * (len(keys) + 1))
        for name, rs in stage_runs:
            st = {k: statistics.median(r["stages_s"][k] for r in rs) for k in keys}
            total = sum(st.values())
            add(f"| {name} | " + " | ".join(f"{st[k]:.2f} ({st[k] / total:.0%})" for k in keys) + f" | {total:.2f} |")
        add("")

    if parts:
        p = parts[-1]
        total_cpu = sum(cpu for _, cpu in p["steps"].values())
        add(f"Inside the statistical model: its steps timed apart on the first {p['articles']} articles, whole texts cut into {p['chunks']} chunks "
            f"as `StatisticalNER.predict_many` cuts them ({p['chars']:,} characters; last round):")
        add("")
        add("| step | CPU s | share | k chars/s (CPU) | MB/s text (CPU) |")
        add("|---|---:|---:|---:|---:|")
        for name, (_, cpu) in p["steps"].items():
            add(f"| {name} | {cpu:.2f} | {cpu / total_cpu:.0%} | {p['chars'] / cpu / 1e3:,.0f} | {p['text_bytes'] / cpu / 1e6:.3f} |")
        add(f"| all | {total_cpu:.2f} | | {p['chars'] / total_cpu / 1e3:,.1f} | {p['text_bytes'] / total_cpu / 1e6:.3f} |")
        add("")

    add("What each configuration found (last round; counts, not accuracy):")
    add("")
    for name, rs in ok.items():
        if not rs:
            continue
        t = rs[-1]["totals"]
        parts = []
        if "tokens" in t:
            parts.append(f"{t['tokens']:,} tokens")
        if t.get("labels"):
            parts.append("entities " + ", ".join(f"{k} {v:,}" for k, v in sorted(t["labels"].items())))
        if "facts" in t:
            parts.append(f"{t['facts']:,} facts")
        if "ok" in t:
            parts.append(f"{t['ok']:,} documents ok")
        slow = ", ".join(f"`{s['name']}` {s['ms']:.0f} ms ({s['chars']:,} chars)" for s in rs[-1]["slowest"])
        add(f"- {name}: {'; '.join(parts)}; slowest: {slow}")
    extract_run = (ok.get("extract ner=quantity_sentences") or [{}])[0]
    if extract_run.get("file_bytes"):
        c = cpu_of("extract ner=quantity_sentences")
        add(f"- extract ner=quantity_sentences on file bytes: {extract_run['file_bytes'] / c / 1e6:.3f} MB/s per core (CPU) over {extract_run['file_bytes'] / 1e6:.3f} MB of files")
    add("")
    failed = [r for rs in runs.values() for r in rs if r.get("failed")]
    for r in failed:
        add(f"- {r['config']} FAILED (exit {r['returncode']}): `{r['stderr'][-800:].strip()}`")
    if failed:
        add("")
    add("Per run (wall s / CPU s, 1-min loadavg before→after):")
    add("")
    for name, rs in runs.items():
        add(f"- {name}: " + "; ".join("failed" if r.get("failed") else f"{r['wall_s']:.2f}/{r['cpu_s']:.2f} ({r['loadavg'][0][0]:.2f}→{r['loadavg'][1][0]:.2f})" for r in rs))
    add("")
    add("What is timed: `segment` — `newsie.segment.blank(SEGMENTER).tokenizer(text)`; `tag` — `newsie.entities.tag(text, title=title, quantities=..., ner=MODE)` "
        "with quantities from `find_quantities` computed before timing; `extract` — `newsie.extract(file_bytes, ner=MODE)`, everything from bytes to facts"
        + ("; `load(SEGMENTER)` — `newsie.load(SEGMENTER, ner=MODE)(text)`, the spaCy pipeline on the normalized text" if args.spacy_pipeline else "")
        + ". `text` and `title` are the normalized text and headline made once, before any timing, by `read_bytes` + `normalize` as `newsie.pipeline.process` makes them. "
        "Load time (imports, dictionaries, gazetteer, model, first call) is excluded from throughput and shown apart.")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Time newsie's segment/tag stage (jieba, pkuseg, NER modes) and newsie.extract per NER mode.")
    parser.add_argument("--articles", type=int, default=1000, help="article variants to generate (default 1000, the issue's minimum)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/newsie-bench-tagging"), help="scratch folder (default /tmp/newsie-bench-tagging)")
    parser.add_argument("--seed", type=int, default=20231008, help="corpus seed")
    parser.add_argument("--rounds", type=int, default=1, help="runs per configuration; the median is reported (default 1)")
    parser.add_argument("--warmup", type=int, default=50, help="articles run before timing (default 50)")
    parser.add_argument("--pkuseg-model", default=os.environ.get("NEWSIE_PKUSEG_MODEL", "/tmp/pkuseg-default"), help="pkuseg model folder (default $NEWSIE_PKUSEG_MODEL or /tmp/pkuseg-default)")
    parser.add_argument("--only", action="append", help="run only configurations whose name contains this (repeatable)")
    parser.add_argument("--spacy-pipeline", action="store_true", help="also time newsie.load(jieba|pkuseg, ner=off|quantity_sentences) on the normalized text")
    parser.add_argument("--skip", action="append", help="skip configurations whose name contains this (repeatable)")
    parser.add_argument("--stage-articles", type=int, default=200, help="articles in the per-stage pass of the extract configurations and in the model-parts run (default 200; 0: none)")
    parser.add_argument("--build", choices=BUILDS, default="wheel", help="time the wheel pip builds from this checkout (default: compiled stages, as users install it) or a copy of the sources (pure Python)")
    parser.add_argument("--out", type=Path, help="also write the Markdown report here")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        if args.worker == "prepare":
            result = worker_prepare(args.work)
            slug = "prepare"
        else:
            result = worker_config(args.work, args.worker, args.warmup, args.pkuseg_model, args.stage_articles)
            slug = hashlib.sha1(args.worker.encode()).hexdigest()[:10]
        (args.work / f"result-{slug}.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        return

    command = "python benchmarks/bench_tagging.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    started = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    uptimes = [_uptime()]
    args.work.mkdir(parents=True, exist_ok=True)
    snapshot, fingerprint = build_snapshot(args.work, args.build)
    manifest = make_corpus.generate(args.articles, args.work / "corpus", args.seed)
    print(f"corpus: {manifest['articles']} articles, {manifest['total_bytes'] / 1e6:.2f} MB in {args.work / 'corpus'}", file=sys.stderr)
    prep = _run_worker(args, "prepare")
    if prep.get("failed"):
        sys.exit("prepare step failed:\n" + prep["stderr"])

    configs = list(CONFIGS) + (list(SPACY_CONFIGS) if args.spacy_pipeline else [])
    if args.only:
        configs = [c for c in configs if any(o in c for o in args.only)]
    if args.skip:
        configs = [c for c in configs if not any(o in c for o in args.skip)]
    runs: dict[str, list[dict]] = {c: [] for c in configs}
    for r in range(args.rounds):
        for config in configs if r % 2 == 0 else list(reversed(configs)):
            print(f"round {r + 1}/{args.rounds}: {config} …", file=sys.stderr, flush=True)
            result = _run_worker(args, config)
            runs[config].append(result)
            if result.get("failed"):
                print(f"  failed: {result['stderr'][-800:]}", file=sys.stderr)
            else:
                if result.get("parts"):
                    print("  " + ", ".join(f"{k} {v[1]:.2f} s CPU" for k, v in result["steps"].items()), file=sys.stderr, flush=True)
                    continue
                print(f"  {result['articles'] / result['cpu_s']:,.0f} articles/s CPU, {result['text_bytes'] / result['cpu_s'] / 1e6:.3f} MB/s CPU "
                      f"({result['wall_s']:.1f} s wall, {result['cpu_s']:.1f} s CPU, peak {result['peak_rss_kb'] / 1024:.0f} MiB)", file=sys.stderr, flush=True)
    uptimes.append(_uptime())
    text = report(args, manifest, runs, started, uptimes, command, fingerprint, snapshot)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
