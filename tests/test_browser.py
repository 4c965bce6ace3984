"""The highlight HTML in a real browser: headless Chromium reads the saved page.

Needs selenium (newsie[test]) and Debian's ``chromium`` and
``chromium-driver`` (.ci/run installs them); skipped, with the reason, when
they are missing. The browser runs offline with a fresh profile.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import newsie
from gold_facts import handmade

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install 'newsie[test]')")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
if not (CHROMIUM and DRIVER):
    pytest.skip("headless Chromium is not installed (apt-get install chromium chromium-driver)", allow_module_level=True)

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1000,900")

SPANS_JS = """
return Array.from(document.querySelectorAll('mark.newsie-span')).map(m => ({
  attrs: Object.fromEntries(Array.from(m.attributes).map(a => [a.name, a.value])),
  text: m.textContent,
  background: getComputedStyle(m).backgroundColor,
  badge: getComputedStyle(m, '::after').content,
  width: m.getBoundingClientRect().width,
}));
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    try:
        driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    except WebDriverException as e:
        pytest.skip(f"headless Chromium did not start: {e.msg}")
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def open_rendered(browser, doc, tmp_path: Path, name: str):
    page = tmp_path / f"{name}.html"
    page.write_text(newsie.render(doc, page=True), encoding="utf-8")
    browser.get(page.as_uri())
    shot = tmp_path / f"{name}.png"
    assert browser.save_screenshot(str(shot))
    png = shot.read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000, "the screenshot is missing or blank"
    return browser.execute_script(SPANS_JS)


def test_highlighted_spans_in_the_dom(browser, tmp_path):
    doc = handmade()
    d = doc.to_dict()
    spans = open_rendered(browser, doc, tmp_path, "handmade")
    assert browser.title == (d["meta"].get("title") or "demo")
    assert browser.execute_script("return document.querySelector('.newsie-text').textContent") == d["text"]
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0  # nothing fetched

    facts = [s for s in spans if s["attrs"]["data-span"] == "fact"]
    assert len(facts) == len(d["facts"]) == 3
    for s in facts:
        a = s["attrs"]
        f = d["facts"][int(a["data-fact"])]
        q = d["quantities"][f["quantity"]]
        assert int(a["data-quantity"]) == f["quantity"]
        assert s["text"] == q["text"] == d["text"][int(a["data-start"]) : int(a["data-end"])]
        assert (a["data-value"], a["data-kind"], a["data-category"], a["data-status"]) == (
            str(q["value"]), q["kind"], f["category"], f["status"])
        assert (a["data-region"], a["data-adcode"]) == (f["region"]["name"], f["region"]["adcode"])
        for needed in (f["category"], f["region"]["name"], f["status"]):
            assert needed in a["title"]
        assert s["background"] not in ("rgba(0, 0, 0, 0)", "transparent")  # the stylesheet applied
        assert s["width"] > 0
    badges = sorted(s["badge"] for s in facts)
    assert badges == ['"foreign_investment"', '"projects · target"', '"projects · target"']

    quantities = [s for s in spans if s["attrs"]["data-span"] == "quantity"]
    assert {s["text"] for s in quantities} == {q["text"] for i, q in enumerate(d["quantities"])} - {s["text"] for s in facts}
    entities = [s for s in spans if s["attrs"]["data-span"] == "entity"]
    assert [(s["text"], s["attrs"]["data-label"], s["attrs"]["data-adcode"], s["badge"]) for s in entities] == [
        ("长沙市", "GPE", "430100", '"GPE"'), ("天心区", "GPE", "430103", '"GPE"')]


def test_hovering_a_figure(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    open_rendered(browser, handmade(), tmp_path, "hover")
    mark = browser.find_element(By.CSS_SELECTOR, 'mark[data-category="foreign_investment"]')
    ActionChains(browser).move_to_element(mark).perform()
    assert browser.execute_script("return arguments[0].matches(':hover')", mark)
    assert browser.execute_script("return getComputedStyle(arguments[0]).cursor", mark) == "help"
    title = mark.get_attribute("title")
    assert "foreign_investment" in title and "4099万 USD" in title and "天心区" in title and "actual" in title


def test_real_article_with_gold_facts(browser, tmp_path):
    from gold_facts import gold_document

    doc = gold_document("002_nanjing_gulou")
    d = doc.to_dict()
    spans = open_rendered(browser, doc, tmp_path, "nanjing")
    assert browser.execute_script("return document.querySelector('.newsie-text').textContent") == d["text"]
    marked = {int(s["attrs"]["data-quantity"]): s for s in spans if "data-quantity" in s["attrs"]}
    assert set(marked) == set(range(len(d["quantities"])))
    for i, f in enumerate(d["facts"]):
        s = marked[f["quantity"]]
        assert str(i) in s["attrs"]["data-fact"].split()
        assert s["attrs"]["data-value"] == str(d["quantities"][f["quantity"]]["value"])
    rows = browser.execute_script("return document.querySelectorAll('table.newsie-facts tbody tr').length")
    assert rows == len(d["facts"])
