"""Screenshot of newsie.render() in headless Chromium, for the README (docs/render.png).

    python scripts/screenshot_render.py [ARTICLE] [-o docs/render.png] [--gold] [--html OUT.html] [--max-height PX]

ARTICLE defaults to corpus/articles/002_nanjing_gulou.txt. With ``--gold``
(or when newsie finds no facts in the article) the facts and entities shown
are the article's gold annotation (corpus/gold/), put on newsie's real
quantities. Needs selenium and Debian's ``chromium`` and ``chromium-driver``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import newsie  # noqa: E402

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--hide-scrollbars",
)


def find_browser() -> tuple[str, str] | None:
    """(chromium, chromedriver) paths, or None when either is missing."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
    return (chromium, driver) if chromium and driver else None


def start_browser(profile: Path, width: int = 1000, height: int = 900):
    """Headless Chromium under Selenium, offline, with a fresh profile folder."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = find_browser()
    if found is None:
        raise RuntimeError("chromium and chromedriver are needed: apt-get install chromium chromium-driver")
    chromium, driver = found
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    browser = webdriver.Chrome(options=options, service=Service(driver))
    browser.set_page_load_timeout(60)
    return browser


def full_page_screenshot(browser, url: str, out: Path, width: int = 1000, max_height: int = 6000) -> None:
    browser.get(url)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, min(int(height) + 40, max_height))
    out.parent.mkdir(parents=True, exist_ok=True)
    if not browser.save_screenshot(str(out)):
        raise RuntimeError(f"could not save {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", default=str(REPO / "corpus" / "articles" / "002_nanjing_gulou.txt"))
    parser.add_argument("-o", "--output", default=str(REPO / "docs" / "render.png"))
    parser.add_argument("--gold", action="store_true", help="show the gold facts and entities instead of newsie's")
    parser.add_argument("--html", help="also save the rendered page here")
    parser.add_argument("--max-height", type=int, default=1100, help="cut the picture at this many pixels (default 1100)")
    args = parser.parse_args(argv)

    article = Path(args.article)
    doc = newsie.extract_file(article, id=article.name)
    if args.gold or not doc.facts:
        from gold_facts import gold_document

        print(f"{article.name}: showing the gold facts and entities", file=sys.stderr)
        doc = gold_document(article.stem, doc)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(args.html) if args.html else Path(tmp) / "render.html"
        page.write_text(newsie.render(doc, page=True), encoding="utf-8")
        browser = start_browser(Path(tmp) / "profile")
        try:
            full_page_screenshot(browser, page.resolve().as_uri(), Path(args.output), max_height=args.max_height)
        finally:
            browser.quit()
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
