"""Speed of newsie's read → normalize → quantities stage, beside JioNLP's ``extract_money``.

Not a test: nothing here asserts on time. Run it by hand (see benchmarks/README.md):

    python benchmarks/bench_quantities.py --articles 2000 --out benchmarks/results/quantities.md

What happens:

1. ``make_corpus.generate`` writes N deterministic article variants (plain
   UTF-8, GB18030, traditional + pinyin, HTML pages, UTF-16) as bytes to a
   scratch folder (``--work``, default /tmp/newsie-bench), and the code is
   frozen in ``WORK/snapshot`` (``benchmarks/snapshot.py``: by default the
   wheel pip builds from this checkout, with its mypyc-compiled stages;
   ``--build source`` for pure Python): every subprocess imports newsie from
   there, so all rounds time the same code even while the work tree is being
   edited (the report gives the snapshot's fingerprint).
2. A *prepare* subprocess runs read + normalize once on every file and saves
   each article's normalized text (decoded, HTML body extracted, pinyin out,
   simplified): that text is what JioNLP gets, so it is not handicapped by
   encodings, markup or traditional characters it does not handle.
3. For each of ``--rounds`` rounds, one subprocess per side (order alternating
   between rounds), single-threaded, each on the whole corpus in memory:
   import + first call timed as *load*; a warm-up over the first
   ``--warmup`` articles; then one timed pass (``time.perf_counter`` and
   ``time.process_time``) over all N articles; peak RSS from
   ``getrusage(RUSAGE_SELF).ru_maxrss``.

   * newsie: on the file's bytes, ``newsie.read.read_bytes`` (decode, format
     sniffing, HTML extraction) → ``newsie.normalize.normalize`` (text and
     headline) → ``newsie.quantities.find_quantities``, the way
     ``newsie.pipeline.process`` calls them (``newsie.extract`` also tags
     entities and builds facts, which this stage leaves out; ``--full-pipeline``
     times it too, for information). A second pass times the three stages
     one by one.
   * JioNLP: ``jionlp.ner.extract_money(text)`` with its defaults
     (``with_parsing=True``: amounts parsed to numbers, like newsie's values;
     ``ret_all=False``; ``use_jiojio=False``: no word segmentation), on the
     whole normalized article text at once: the function takes a text of any
     length and its docstring example passes a multi-sentence text.

MB/s counts the UTF-8 bytes of the normalized article text (the same number
for both sides); newsie's throughput on the raw file bytes is given too.
Money found: newsie quantities with ``kind == "money"`` vs JioNLP's results;
"same span" counts money spans with identical (start, end) offsets in the
same text.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
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


# --------------------------------------------------------------------------- workers (subprocesses)


def _stage_functions():
    """read → normalize → quantities, called the way ``newsie.pipeline.process`` calls them."""
    from newsie.normalize import normalize
    from newsie.quantities import find_quantities
    from newsie.read import read_bytes

    def stage(data: bytes):
        raw = next(read_bytes(data))
        if raw.error is not None:
            return raw, None, None
        normalized = normalize(raw.text)
        if raw.meta.get("title"):
            normalize(raw.meta["title"])  # process() normalizes the headline too
        return raw, normalized, find_quantities(normalized.text)

    return stage, read_bytes, normalize, find_quantities


def worker_prepare(work: Path) -> dict:
    stage = _stage_functions()[0]
    with open(work / "texts.jsonl", "w", encoding="utf-8") as f:
        for path in _corpus_files(work / "corpus"):
            raw, normalized, _ = stage(path.read_bytes())
            text = normalized.text if normalized is not None else ""
            f.write(json.dumps({"name": path.name, "ok": raw.error is None, "text": text}, ensure_ascii=False) + "\n")
    return {}


def _summarize(raw, normalized, scan) -> tuple:
    """(text bytes, warnings, error, money spans, count per kind) of one article."""
    if raw.error is not None:
        return 0, len(raw.warnings), (raw.error.type, raw.error.message), [], {}
    kinds: dict[str, int] = {}
    for q in scan.quantities:
        kinds[q.kind] = kinds.get(q.kind, 0) + 1
    spans = [[q.start, q.end] for q in scan.quantities if q.kind == "money"]
    warnings = len(raw.warnings) + len(normalized.warnings) + len(scan.warnings)
    return len(normalized.text.encode("utf-8")), warnings, None, spans, kinds


def worker_newsie(work: Path, warmup: int, full: bool) -> dict:
    files = _corpus_files(work / "corpus")
    datas = [p.read_bytes() for p in files]
    rss_before_import = _rss_now_kb()

    t0 = time.perf_counter()
    stage, read_bytes, normalize, find_quantities = _stage_functions()
    import_s = time.perf_counter() - t0
    stage("天心区引进外资4099万美元、10亿元以上重大项目4个。".encode())
    stage("經(jīng)濟(jì)增長１２．５％".encode())  # loads OpenCC's t2s and s2t
    load_s = time.perf_counter() - t0

    for data in datas[:warmup]:
        stage(data)

    # Each article is summarized and dropped at once, as a streaming batch
    # would: peak RSS is then the stage's, not that of N kept results.
    per_article: list[float] = []
    summaries = []
    c0, w0 = time.process_time(), time.perf_counter()
    for data in datas:
        t = time.perf_counter()
        result = stage(data)
        per_article.append(time.perf_counter() - t)
        summaries.append(_summarize(*result))
        del result
    wall_s, cpu_s = time.perf_counter() - w0, time.process_time() - c0
    peak_stage_kb = _peak_rss_kb()

    # The stages one by one.
    stages = {"read": 0.0, "normalize": 0.0, "quantities": 0.0}
    for data in datas:
        t = time.perf_counter()
        raw = next(read_bytes(data))
        t2 = time.perf_counter()
        stages["read"] += t2 - t
        if raw.error is not None:
            continue
        normalized = normalize(raw.text)
        if raw.meta.get("title"):
            normalize(raw.meta["title"])
        t3 = time.perf_counter()
        stages["normalize"] += t3 - t2
        find_quantities(normalized.text)
        stages["quantities"] += time.perf_counter() - t3

    full_result = None
    if full:  # the whole current pipeline, for information: newsie.extract(bytes)
        t = time.perf_counter()
        import newsie

        newsie.extract("天心区引进外资4099万美元、10亿元以上重大项目4个。".encode())
        full_load = time.perf_counter() - t
        for data in datas[:warmup]:
            newsie.extract(data)
        c0, w0 = time.process_time(), time.perf_counter()
        for data in datas:
            newsie.extract(data)
        full_result = {"load_s": full_load, "wall_s": time.perf_counter() - w0, "cpu_s": time.process_time() - c0, "peak_rss_kb": _peak_rss_kb()}

    money_spans = []
    kinds: dict[str, int] = {}
    errors = []
    warnings = 0
    text_bytes = 0
    for path, (n_bytes, n_warnings, error, spans, doc_kinds) in zip(files, summaries):
        text_bytes += n_bytes
        warnings += n_warnings
        if error is not None:
            errors.append({"name": path.name, "error": error[0], "message": error[1]})
        money_spans.append(spans)
        for kind, count in doc_kinds.items():
            kinds[kind] = kinds.get(kind, 0) + count
    slowest = sorted(range(len(files)), key=per_article.__getitem__, reverse=True)[:5]
    return {
        "articles": len(datas),
        "file_bytes": sum(map(len, datas)),
        "text_bytes": text_bytes,
        "import_s": import_s,
        "load_s": load_s,
        "wall_s": wall_s,
        "cpu_s": cpu_s,
        "stages_s": stages,
        "median_article_ms": statistics.median(per_article) * 1e3,
        "slowest": [{"name": files[i].name, "ms": per_article[i] * 1e3, "bytes": len(datas[i])} for i in slowest],
        "money": sum(map(len, money_spans)),
        "money_spans": money_spans,
        "kinds": kinds,
        "errors": errors,
        "warnings": warnings,
        "rss_before_import_kb": rss_before_import,
        "peak_rss_kb": peak_stage_kb,
        "full": full_result,
        "module": sys.modules["newsie.read"].__file__,
    }


def worker_jionlp(work: Path, warmup: int) -> dict:
    with open(work / "texts.jsonl", encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f]
    rss_before_import = _rss_now_kb()

    t0 = time.perf_counter()
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):  # jionlp prints a banner on import
        import jionlp
    import_s = time.perf_counter() - t0
    extract_money = jionlp.ner.extract_money
    extract_money("天心区引进外资4099万美元、10亿元以上重大项目4个。")
    load_s = time.perf_counter() - t0

    for text in texts[:warmup]:
        extract_money(text)

    money_spans = []
    failures = []
    c0, w0 = time.process_time(), time.perf_counter()
    for i, text in enumerate(texts):
        try:
            money_spans.append([list(r["offset"]) for r in extract_money(text)])
        except Exception as e:  # noqa: BLE001 - counted, not hidden
            money_spans.append([])
            failures.append({"index": i, "error": f"{type(e).__name__}: {e}"})
    wall_s, cpu_s = time.perf_counter() - w0, time.process_time() - c0

    return {
        "articles": len(texts),
        "text_bytes": sum(len(t.encode("utf-8")) for t in texts),
        "import_s": import_s,
        "load_s": load_s,
        "wall_s": wall_s,
        "cpu_s": cpu_s,
        "money": sum(map(len, money_spans)),
        "money_spans": money_spans,
        "failures": failures,
        "rss_before_import_kb": rss_before_import,
        "peak_rss_kb": _peak_rss_kb(),
    }


# --------------------------------------------------------------------------- driver


def _run_worker(side: str, work: Path, warmup: int, full: bool = False) -> dict:
    result_path = work / f"result-{side}.json"
    result_path.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", side, "--work", str(work), "--warmup", str(warmup)]
    if full:
        cmd.append("--full-pipeline")
    load_before = os.getloadavg()
    env = dict(os.environ)
    snapshot = work / "snapshot" / "src"
    if snapshot.is_dir():  # every round times the same code, even if the work tree changes meanwhile
        env["PYTHONPATH"] = os.pathsep.join([str(snapshot), *filter(None, [env.get("PYTHONPATH")])])
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0 or not result_path.exists():
        return {"failed": True, "returncode": proc.returncode, "stderr": proc.stderr[-3000:]}
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


def _same_spans(a: list, b: list) -> int:
    return sum(len({tuple(s) for s in x} & {tuple(s) for s in y}) for x, y in zip(a, b))


def _differences(work: Path, newsie_spans: list, jionlp_spans: list, top: int = 6) -> tuple[list, list]:
    """Most frequent money spans only one side found (with a little context)."""
    from collections import Counter

    with open(work / "texts.jsonl", encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f]
    only: tuple[Counter, Counter] = (Counter(), Counter())
    for text, ns, js in zip(texts, newsie_spans, jionlp_spans):
        a, b = {tuple(x) for x in ns}, {tuple(x) for x in js}
        for counter, mine, theirs in ((only[0], a, b), (only[1], b, a)):
            for start, end in mine - theirs:
                overlap = next((f"{text[s:e]}" for s, e in theirs if s < end and start < e), None)
                shown = f"{text[max(0, start - 4):start]}[{text[start:end]}]{text[end:end + 3]}"
                counter[(shown, overlap)] += 1
    return only[0].most_common(top), only[1].most_common(top)


def _summary(runs: list[dict], key: str) -> tuple[float, float]:
    values = [r[key] for r in runs]
    return statistics.median(values), min(values)


def _mb(n: float) -> str:
    return f"{n / 1e6:.3f}"


def report(args: argparse.Namespace, manifest: dict, runs: dict[str, list[dict]], started: str, uptimes: list[str], command: str, prints: list[str]) -> str:
    lines: list[str] = []
    add = lines.append
    n_runs = runs["newsie"]
    j_runs = runs["jionlp"]
    n_ok = [r for r in n_runs if not r.get("failed")]
    j_ok = [r for r in j_runs if not r.get("failed")]

    add("# Benchmark: read + normalize + quantities vs JioNLP `extract_money`")
    add("")
    add(f"- date: {started}")
    add(f"- machine: {os.cpu_count()} CPUs (`nproc` {os.cpu_count()}), {_cpu_model()}, {platform.system()} {platform.release()}")
    add(f"- python: {platform.python_implementation()} {platform.python_version()}")
    versions = ", ".join(f"{d} {_version(d)}" for d in ("newsie", "jionlp", "regex", "opencc", "cn2an", "selectolax", "charset-normalizer"))
    add(f"- packages: {versions}")
    add(f"- load (`uptime`) before: `{uptimes[0]}`")
    add(f"- load (`uptime`) after: `{uptimes[1]}`")
    add("- single process per side, one side at a time; the machine is shared, so wall time includes waiting for a core: CPU time (`time.process_time`) is given beside it")
    add(f"- command: `{command}`")
    modules = sorted({r.get("module", "?") for r in n_runs if not r.get("failed")})
    add(f"- code timed: {SNAPSHOT_DESCRIPTION[args.build]}, taken at the start (imported from `{'`, `'.join(modules)}`); sha256 `{prints[0]}`")
    rend = ", ".join(f"{k} {v}" for k, v in sorted(manifest["renderings"].items()))
    add(
        f"- corpus: {manifest['articles']} variants generated by `benchmarks/make_corpus.py` (seed {manifest['seed']}, "
        f"sha256 `{manifest['sha256'][:16]}`): {_mb(manifest['total_bytes'])} MB of files ({rend})"
    )
    add(f"- rounds: {args.rounds} (one subprocess per side per round, order alternating), warm-up {args.warmup} articles per run; table = median over rounds (best in brackets)")
    add("")

    if not n_ok:
        add("newsie failed to run: " + json.dumps(n_runs[0], ensure_ascii=False)[:2000])
        return "\n".join(lines) + "\n"
    base = n_ok[0]
    text_bytes = base["text_bytes"]
    articles = base["articles"]

    def row(name: str, rs: list[dict], money_note: str) -> str:
        wall, wall_best = _summary(rs, "wall_s")
        cpu, cpu_best = _summary(rs, "cpu_s")
        load, _ = _summary(rs, "load_s")
        peak = max(r["peak_rss_kb"] for r in rs) / 1024
        before = statistics.median(r["rss_before_import_kb"] for r in rs) / 1024
        return (
            f"| {name} | {articles / wall:,.0f} ({articles / wall_best:,.0f}) | {articles / cpu:,.0f} ({articles / cpu_best:,.0f}) "
            f"| {text_bytes / wall / 1e6:.2f} ({text_bytes / wall_best / 1e6:.2f}) | {text_bytes / cpu / 1e6:.2f} "
            f"| {peak:.0f} (+{peak - before:.0f}) | {load:.2f} | {money_note} |"
        )

    add("| | articles/s (wall) | articles/s (CPU) | MB/s text (wall) | MB/s text (CPU) | peak RSS MiB (+ over corpus in memory) | load s (import + first call) | money found |")
    add("|---|---:|---:|---:|---:|---:|---:|---:|")
    add(row("newsie read+normalize+quantities (bytes)", n_ok, f"{base['money']:,}"))
    if j_ok:
        same = _same_spans(base["money_spans"], j_ok[0]["money_spans"])
        add(row("JioNLP `ner.extract_money(text)`", j_ok, f"{j_ok[0]['money']:,}"))
        add("")
        ratio_wall = statistics.median(r["wall_s"] for r in j_ok) / statistics.median(r["wall_s"] for r in n_ok)
        ratio_cpu = statistics.median(r["cpu_s"] for r in j_ok) / statistics.median(r["cpu_s"] for r in n_ok)
        verdict = "meets" if min(ratio_wall, ratio_cpu) >= 3 else "does NOT meet"
        add(
            f"**Speed ratio newsie / JioNLP: {ratio_wall:.2f}× (wall), {ratio_cpu:.2f}× (CPU time)** — "
            f"target ≥ 3×: {verdict} it. newsie does more per article (decoding, HTML, pinyin, t2s, all quantity kinds) than JioNLP (money only, on text newsie already cleaned)."
        )
        add("")
        add(f"Money spans with identical offsets in both: {same:,} (newsie {base['money']:,}, JioNLP {j_ok[0]['money']:,}). Counts only, not accuracy.")
        only_newsie, only_jionlp = _differences(args.work, base["money_spans"], j_ok[0]["money_spans"])
        for title, items, other in (("only newsie", only_newsie, "JioNLP"), ("only JioNLP", only_jionlp, "newsie")):
            shown = "; ".join(f"`{span}` ×{n}" + (f" ({other}: `{o}`)" if o else "") for (span, o), n in items)
            add(f"Most frequent money spans {title} found (span in brackets, the other side's overlapping span if any): {shown}.")
    else:
        add("")
        add("JioNLP did not run: " + (j_runs[0].get("stderr") or "")[-1500:].replace("\n", " "))
    add("")
    add(f"Input: {_mb(text_bytes)} MB of normalized article text (UTF-8; the numerator of MB/s for both sides), {_mb(base['file_bytes'])} MB of file bytes. "
        f"newsie on file bytes: {base['file_bytes'] / statistics.median(r['wall_s'] for r in n_ok) / 1e6:.2f} MB/s (wall).")
    add("")

    stages = {k: statistics.median(r["stages_s"][k] for r in n_ok) for k in ("read", "normalize", "quantities")}
    total = sum(stages.values())
    add("newsie stages, timed one by one (median over rounds):")
    add("")
    add("| stage | s for the corpus | share | articles/s |")
    add("|---|---:|---:|---:|")
    for k, v in stages.items():
        add(f"| {k} | {v:.2f} | {v / total:.0%} | {articles / v:,.0f} |")
    add(f"| sum | {total:.2f} | | {articles / total:,.0f} |")
    add("")
    add(f"newsie per article: median {statistics.median(r['median_article_ms'] for r in n_ok):.2f} ms; slowest (last round):")
    add("")
    for s in n_ok[-1]["slowest"]:
        add(f"- `{s['name']}` ({s['bytes']:,} bytes): {s['ms']:.1f} ms")
    add("")
    kinds = ", ".join(f"{k} {v:,}" for k, v in sorted(base["kinds"].items()))
    add(f"newsie quantities of all kinds: {kinds}; documents with ok=false: {len(base['errors'])}; warnings: {base['warnings']:,}.")
    for e in base["errors"][:10]:
        add(f"- `{e['name']}`: {e['error']}: {e['message']}")
    if j_ok and j_ok[0]["failures"]:
        add(f"JioNLP raised on {len(j_ok[0]['failures'])} articles, e.g. {j_ok[0]['failures'][0]['error']}")
    add("")
    fulls = [r["full"] for r in n_ok if r.get("full")]
    if fulls:
        wall = statistics.median(f["wall_s"] for f in fulls)
        cpu = statistics.median(f["cpu_s"] for f in fulls)
        add(
            f"For information, the whole current pipeline `newsie.extract(bytes)` (with entities and facts): {articles / wall:,.0f} articles/s wall, "
            f"{articles / cpu:,.0f} CPU, load {statistics.median(f['load_s'] for f in fulls):.2f} s, peak RSS {max(f['peak_rss_kb'] for f in fulls) / 1024:.0f} MiB."
        )
        add("")
    add("Per round (wall s / CPU s, loadavg 1-min before→after):")
    add("")
    for side, rs in runs.items():
        parts = []
        for r in rs:
            if r.get("failed"):
                parts.append("failed")
            else:
                parts.append(f"{r['wall_s']:.2f}/{r['cpu_s']:.2f} ({r['loadavg'][0][0]:.2f}→{r['loadavg'][1][0]:.2f})")
        add(f"- {side}: " + "; ".join(parts))
    add("")
    add("What is timed: newsie — for each file's bytes, `newsie.read.read_bytes` → `newsie.normalize.normalize` (text and headline) → `newsie.quantities.find_quantities`, "
        "as `newsie.pipeline.process` calls them; `newsie.extract` now also tags entities and builds facts, which are not part of this stage. "
        "JioNLP — `jionlp.ner.extract_money(text)` with defaults (`with_parsing=True`, `use_jiojio=False`) on newsie's normalized text of the same article, "
        "i.e. already decoded, HTML-stripped and simplified. Load time (imports, pattern compilation, OpenCC) is excluded from throughput and shown apart.")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Time newsie's read+normalize+quantities against JioNLP's extract_money.")
    parser.add_argument("--articles", type=int, default=2000, help="article variants to generate (default 2000; at least 1000 for the spec)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/newsie-bench"), help="scratch folder for the corpus and results (default /tmp/newsie-bench)")
    parser.add_argument("--seed", type=int, default=20231008, help="corpus seed")
    parser.add_argument("--rounds", type=int, default=5, help="runs per side, order alternating; the median is reported (default 5)")
    parser.add_argument("--warmup", type=int, default=100, help="articles run before timing (default 100)")
    parser.add_argument("--no-jionlp", action="store_true", help="time newsie only")
    parser.add_argument("--full-pipeline", action="store_true", help="also time the whole newsie.extract (entities, facts), for information")
    parser.add_argument("--build", choices=BUILDS, default="wheel", help="time the wheel pip builds from this checkout (default: compiled stages, as users install it) or a copy of the sources (pure Python)")
    parser.add_argument("--out", type=Path, help="also write the Markdown report here")
    parser.add_argument("--worker", choices=["prepare", "newsie", "jionlp"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        fn = {"prepare": lambda: worker_prepare(args.work), "newsie": lambda: worker_newsie(args.work, args.warmup, args.full_pipeline), "jionlp": lambda: worker_jionlp(args.work, args.warmup)}[args.worker]
        result = fn()
        (args.work / f"result-{args.worker}.json").write_text(json.dumps(result), encoding="utf-8")
        return

    command = "python benchmarks/bench_quantities.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    started = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    uptimes = [_uptime()]
    args.work.mkdir(parents=True, exist_ok=True)
    prints = [build_snapshot(args.work, args.build)[1]]
    args.work.mkdir(parents=True, exist_ok=True)
    manifest = make_corpus.generate(args.articles, args.work / "corpus", args.seed)
    print(f"corpus: {manifest['articles']} articles, {manifest['total_bytes'] / 1e6:.2f} MB in {args.work / 'corpus'}", file=sys.stderr)
    prep = _run_worker("prepare", args.work, 0)
    if prep.get("failed"):
        sys.exit("prepare step failed:\n" + prep["stderr"])

    sides = ["newsie"] if args.no_jionlp else ["newsie", "jionlp"]
    runs: dict[str, list[dict]] = {s: [] for s in sides}
    for r in range(args.rounds):
        for side in sides if r % 2 == 0 else list(reversed(sides)):
            print(f"round {r + 1}/{args.rounds}: {side} …", file=sys.stderr)
            result = _run_worker(side, args.work, args.warmup, args.full_pipeline and side == "newsie")
            runs[side].append(result)
            if result.get("failed"):
                print(f"  failed: {result['stderr'][-500:]}", file=sys.stderr)
            else:
                print(f"  {result['articles'] / result['wall_s']:,.0f} articles/s wall, {result['articles'] / result['cpu_s']:,.0f} CPU", file=sys.stderr)
    uptimes.append(_uptime())
    text = report(args, manifest, runs, started, uptimes, command, prints)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
