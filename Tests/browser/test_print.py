"""Printing a run page and the index (Chromium, print media and page.pdf())."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser_support import REPO, cli_path, open_page, render


@pytest.fixture(scope="module")
def handoff_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("print") / "report"
    render(cli_path(), [REPO / "Examples" / "multi-agent-handoff" / "trace.jsonl", REPO / "Examples" / "eval-set" / "trace.jsonl"], out)
    return out


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_run_page_prints_bars_in_colour_and_no_buttons(context, handoff_report):
    page_path = next((handoff_report / "runs").glob("handoff-*.html"))
    page, log = open_page(context, page_path)
    page.emulate_media(media="print")
    bars = page.evaluate(
        """() => [...document.querySelectorAll('.tree .bar')].map(b => {
             const s = getComputedStyle(b), r = b.getBoundingClientRect();
             return { adjust: s.printColorAdjust || s.webkitPrintColorAdjust, bg: s.backgroundColor,
                      visible: b.checkVisibility(), w: r.width, h: r.height };
           })"""
    )
    assert len(bars) >= 5
    for bar in bars:
        assert bar["adjust"] == "exact", bar
        assert bar["visible"] and bar["w"] > 0 and bar["h"] > 0, bar
        assert bar["bg"] not in ("rgba(0, 0, 0, 0)", "transparent"), bar
    badges = page.evaluate("() => [...document.querySelectorAll('.badge')].map(b => getComputedStyle(b).printColorAdjust)")
    assert badges and set(badges) == {"exact"}
    assert page.evaluate("() => [...document.querySelectorAll('button')].filter(b => b.checkVisibility()).length") == 0
    # every span's details print, one after the other
    shown = page.evaluate("() => [...document.querySelectorAll('.span-detail')].map(a => a.checkVisibility())")
    assert shown and all(shown)
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF")
    pages = pdf_pages(pdf)
    # 13 spans, all their details: compact, not a page each (Chrome's default gave 13 mostly
    # blank pages)
    assert 1 <= pages <= 9, f"{pages} pages"
    assert not log.page_errors


def test_selected_span_prints_alone(context, handoff_report):
    page_path = next((handoff_report / "runs").glob("handoff-*.html"))
    page, _ = open_page(context, page_path)
    page.locator(".tree .row .span-link").nth(1).click()
    page.emulate_media(media="print")
    shown = page.evaluate("() => [...document.querySelectorAll('.span-detail')].filter(a => a.checkVisibility()).length")
    assert shown == 1


def test_index_fits_a4_portrait(browser, handoff_report):
    # A4 portrait less the page margins is about 190 mm = 718 CSS px wide.
    ctx = browser.new_context(viewport={"width": 718, "height": 1000})
    page, _ = open_page(ctx, handoff_report / "index.html")
    page.emulate_media(media="print")
    widths = page.evaluate(
        """() => { const t = document.querySelector('table.runs');
                   return { table: t.getBoundingClientRect().right, page: document.documentElement.clientWidth,
                            scroll: document.documentElement.scrollWidth }; }"""
    )
    assert widths["table"] <= widths["page"] + 0.5, widths
    assert widths["scroll"] <= widths["page"], widths
    ctx.close()
