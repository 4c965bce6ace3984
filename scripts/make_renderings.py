#!/usr/bin/env python3
"""Generate alternative renderings of the evaluation corpus.

For every hand-written article ``corpus/articles/NNN_slug.txt`` (NNN >= 001; the
seed ``000_seed.txt`` is itself a traditional/pinyin rendering and is skipped)
this writes three files into ``corpus/renderings/``:

* ``NNN_slug.trad.txt`` -- traditional characters (OpenCC ``s2t``) with
  tone-marked pinyin annotations such as ``經(jīng)濟(jì)`` inserted after a
  deterministic ~30 % subset of the Han characters, like the seed article.
* ``NNN_slug.gbk.txt``  -- the plain article encoded as GB18030 bytes.
* ``NNN_slug.html``     -- the article inside a realistic local news page
  (navigation, breadcrumb, info bar, share bar, related-news list with numbers,
  footer with ICP number and phone), i.e. boilerplate that an extractor must drop.

Everything is deterministic (no clock, no unseeded randomness): re-running the
script reproduces the same bytes. Requires the dev-only packages ``opencc`` and
``pypinyin``.

Usage: python scripts/make_renderings.py [--corpus corpus] [--out corpus/renderings]
"""
from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import re
import sys
from pathlib import Path

try:
    import opencc
    from pypinyin import Style, pinyin
except ImportError as exc:  # pragma: no cover - dev tool
    sys.exit(f"make_renderings.py needs the dev packages opencc and pypinyin ({exc}); "
             "pip install opencc pypinyin")

ROOT = Path(__file__).resolve().parent.parent
ANNOTATE_SHARE = 0.30
HAN = re.compile(r"[\u4e00-\u9fff]")
TONE_MARKED = re.compile(r"^[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]*$")

# Province (first two adcode digits) -> (ICP abbreviation, default area code).
PROVINCES = {
    "11": ("京", "010"), "12": ("津", "022"), "13": ("冀", "0311"), "14": ("晋", "0351"),
    "15": ("蒙", "0471"), "21": ("辽", "024"), "22": ("吉", "0431"), "23": ("黑", "0451"),
    "31": ("沪", "021"), "32": ("苏", "025"), "33": ("浙", "0571"), "34": ("皖", "0551"),
    "35": ("闽", "0591"), "36": ("赣", "0791"), "37": ("鲁", "0531"), "41": ("豫", "0371"),
    "42": ("鄂", "027"), "43": ("湘", "0731"), "44": ("粤", "020"), "45": ("桂", "0771"),
    "46": ("琼", "0898"), "50": ("渝", "023"), "51": ("蜀", "028"), "52": ("黔", "0851"),
    "53": ("滇", "0871"), "54": ("藏", "0891"), "61": ("陕", "029"), "62": ("陇", "0931"),
    "63": ("青", "0971"), "64": ("宁", "0951"), "65": ("新", "0991"),
}

# Article id -> (site name, source shown in the info bar, area code). Articles not
# listed fall back to a name derived from their home region.
SITES = {
    "001_hefei_signing": ("合肥在线", "合肥日报", "0551"),
    "002_nanjing_gulou": ("南京新闻网", "南京日报", "025"),
    "003_fuzhou_gulou_brief": ("福州新闻网", "福州日报", "0591"),
    "004_hunan_xinhua_wire": ("湖南在线", "新华社", "0731"),
    "005_guangdong_province": ("南方网", "南方日报", "020"),
    "006_suzhou_sip_groundbreaking": ("名城苏州网", "苏州日报", "0512"),
    "007_henan_stats_release": ("大河网", "河南省统计局", "0371"),
    "008_yiwu_county": ("义乌新闻网", "义乌商报", "0579"),
    "009_tianfu_newarea": ("四川新闻网", "四川新闻网", "028"),
    "010_wuhan_targets": ("长江网", "长江日报", "027"),
    "011_xian_silk_expo": ("西部网", "新华社", "029"),
    "012_shandong_harvest_stats": ("大众网", "大众日报", "0531"),
    "013_xinfeng_county": ("信丰县人民政府网", "信丰县融媒体中心", "0797"),
    "014_qingdao_japan_korea": ("青岛新闻网", "青岛日报", "0532"),
    "015_xiamen_siming_brief": ("厦门网", "厦门日报", "0592"),
    "016_guiyang_bigdata_expo": ("贵阳网", "贵阳日报", "0851"),
    "017_hainan_ftp_fdi": ("南海网", "海南日报", "0898"),
    "018_shenyang_heping": ("沈阳网", "沈阳日报", "024"),
    "019_kunming_expo_yunnan": ("云南网", "云南网", "0871"),
    "020_taiyuan_stats": ("太原新闻网", "太原日报", "0351"),
    "021_zhengzhou_airport_zone": ("大河网", "河南日报", "0371"),
    "022_xuzhou_gulou_brief": ("中国徐州网", "徐州日报", "0516"),
    "023_chongqing_liangjiang_signing": ("上游新闻", "上游新闻", "023"),
    "024_zhejiang_province": ("浙江在线", "浙江日报", "0571"),
    "025_changsha_customs_trade": ("中国新闻网", "中国新闻网", "0731"),
}

NAV = ["首页", "时政", "经济", "招商", "园区", "民生", "文旅", "视频", "专题", "数字报"]

RELATED_TEMPLATES = [
    "{place}新签约项目{a}个 总投资{b}亿元",
    "{place}前三季度实际使用外资{c}亿美元 同比增长{d}%",
    "{place}举办产业链招商推介会 现场签约{a}个项目",
    "{place}{e}个重大项目集中开工 总投资{b}亿元",
    "{place}1至9月新设外资企业{f}家",
    "{place}：{g}个亿元以上项目年内投产",
    "{place}发布招商引资“十条”措施 单个项目最高奖励{h}万元",
    "{place}开展“百企走访”活动 收集问题{f}条",
]


def det_fraction(*parts: object) -> float:
    """A deterministic pseudo-random number in [0, 1) from the given parts."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def to_traditional_with_pinyin(aid: str, text: str, converter) -> str:
    trad = converter.convert(text)
    # pinyin from the simplified text (better word context); s2t keeps lengths for
    # this corpus, otherwise fall back to the traditional text itself.
    basis = text if len(trad) == len(text) else trad
    readings = pinyin(basis, style=Style.TONE, errors=lambda s: [[c] for c in s])
    assert len(readings) == len(basis), (aid, len(readings), len(basis))
    out = []
    for i, ch in enumerate(trad):
        out.append(ch)
        if HAN.match(ch) and det_fraction(aid, i) < ANNOTATE_SHARE:
            reading = readings[i][0]
            # tone-marked readings only (neutral-tone syllables such as "de" are
            # skipped, as in the seed)
            if TONE_MARKED.match(reading):
                out.append(f"({reading})")
    return "".join(out)


def site_for(aid: str, gold: dict) -> tuple[str, str, str]:
    if aid in SITES:
        return SITES[aid]
    home = gold.get("home") or {}
    name = home.get("name") or "本地"
    code = home.get("adcode") or "43"
    short = re.sub(r"(市|省|区|县)$", "", name)
    return f"{short}新闻网", f"{short}融媒体中心", PROVINCES.get(code[:2], ("湘", "0731"))[1]


def related_headlines(aid: str, place: str) -> list[str]:
    rng = random.Random(aid)  # seeded: deterministic
    picks = rng.sample(RELATED_TEMPLATES, 5)
    out = []
    for t in picks:
        out.append(t.format(place=place, a=rng.randint(8, 60), b=rng.randint(20, 480),
                            c=round(rng.uniform(1, 30), 1), d=round(rng.uniform(2, 25), 1),
                            e=rng.randint(10, 40), f=rng.randint(30, 900),
                            g=rng.randint(3, 30), h=rng.choice([50, 100, 200, 500])))
    return out


def render_html(aid: str, headline: str, body: list[str], gold: dict) -> str:
    site, source, area = site_for(aid, gold)
    home = gold.get("home") or {}
    adcode = home.get("adcode") or "430100"
    icp = PROVINCES.get(adcode[:2], ("湘", "0731"))[0]
    place = re.sub(r"(市|省)$", "", home.get("name") or "本地")
    published = gold.get("published") or "2023-01-01"
    hour = 6 + int(det_fraction(aid, "hour") * 14)
    minute = int(det_fraction(aid, "minute") * 60)
    views = 300 + int(det_fraction(aid, "views") * 9000)
    icp_no = 10000000 + int(det_fraction(aid, "icp") * 89999999)
    phone_tail = 80000000 + int(det_fraction(aid, "phone") * 9999999)
    e = html.escape
    nav = "\n".join(f'        <li><a href="/{i:02d}/index.html">{e(n)}</a></li>' for i, n in enumerate(NAV))
    paras = "\n".join(f"      <p>{e(p)}</p>" for p in body)
    related = "\n".join(
        f'        <li><a href="/content/{published.replace("-", "")}/{1000 + i * 37}.html">{e(h)}</a>'
        f'<span class="date">{published}</span></li>'
        for i, h in enumerate(related_headlines(aid, place)))
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{e(headline)} - {e(site)}</title>
<meta name="keywords" content="招商引资,{e(place)},项目建设">
<meta name="description" content="{e(body[0][:60] if body else headline)}">
<meta name="publishdate" content="{published}">
<meta name="source" content="{e(source)}">
<link rel="stylesheet" href="/static/css/article.css">
<script src="/static/js/jquery.min.js"></script>
</head>
<body>
  <div class="top-bar"><span>欢迎访问{e(site)}</span> <a href="/login.html">登录</a> | <a href="/register.html">注册</a> | <a href="/app.html">客户端下载</a></div>
  <div class="header">
    <a class="logo" href="/"><img src="/static/img/logo.png" alt="{e(site)}"></a>
    <ul class="nav">
{nav}
    </ul>
    <form class="search" action="/search"><input name="q" placeholder="请输入关键词"><button>搜索</button></form>
  </div>
  <div class="main">
    <div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/news/">新闻</a> &gt; 正文</div>
    <div class="article">
      <h1>{e(headline)}</h1>
      <div class="info">发布时间：{published} {hour:02d}:{minute:02d} 来源：{e(source)} 浏览次数：{views} <a href="javascript:window.print()">【打印】</a> <a href="javascript:window.close()">【关闭】</a></div>
      <div class="article-content">
{paras}
      </div>
      <div class="editor">责任编辑：{e(["张伟", "李娜", "王芳", "刘洋", "陈静"][views % 5])}</div>
      <div class="share-bar">分享到：<a href="#" class="wx">微信</a> <a href="#" class="wb">微博</a> <a href="#" class="qq">QQ空间</a> <a href="#" class="copy">复制链接</a></div>
    </div>
    <div class="related">
      <h3>相关新闻</h3>
      <ul>
{related}
      </ul>
    </div>
  </div>
  <div class="footer">
    <p><a href="/about.html">关于我们</a> | <a href="/contact.html">联系我们</a> | <a href="/ad.html">广告服务</a> | <a href="/law.html">法律声明</a></p>
    <p>版权所有：{e(site)} 未经授权禁止转载、摘编、复制或建立镜像</p>
    <p>备案号：<a href="https://beian.miit.gov.cn/">{icp}ICP备{icp_no}号</a> 违法和不良信息举报电话：{area}-{phone_tail}</p>
  </div>
</body>
</html>
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    out = args.out or args.corpus / "renderings"
    out.mkdir(parents=True, exist_ok=True)
    converter = opencc.OpenCC("s2t")
    n = 0
    for path in sorted((args.corpus / "articles").glob("*.txt")):
        aid = path.stem
        if aid.startswith("000_"):
            continue  # the seed is already a traditional + pinyin rendering
        text = path.read_text(encoding="utf-8")
        gold_path = args.corpus / "gold" / f"{aid}.json"
        gold = json.loads(gold_path.read_text(encoding="utf-8")) if gold_path.exists() else {}
        lines = [l for l in text.split("\n") if l.strip()]
        headline, body = lines[0], lines[1:]
        (out / f"{aid}.trad.txt").write_text(to_traditional_with_pinyin(aid, text, converter),
                                             encoding="utf-8", newline="\n")
        (out / f"{aid}.gbk.txt").write_bytes(text.encode("gb18030"))
        (out / f"{aid}.html").write_text(render_html(aid, headline, body, gold),
                                         encoding="utf-8", newline="\n")
        n += 1
    print(f"wrote {3 * n} files for {n} articles to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
