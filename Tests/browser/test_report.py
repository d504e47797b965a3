"""Real-browser checks of the HTML report (Chromium through Playwright).

Run from the repository root:

    python3 -m pytest Tests/browser -q
    TRACE_REPORT_DIR=report/ python3 -m pytest Tests/browser -q   # an already rendered folder

Every page these tests open was written by the trace-report command line: the report of every
Examples/**/*.jsonl plus a generated run with what the examples may not hold (an unfinished span,
an orphan whose parent was never recorded, an error deep in the tree), a generated chain deep
enough for flat rows, and generated 20,000-span runs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from browser_support import REPO, open_page

CSS = (REPO / "assets" / "report.css").read_text("utf-8")
JS = (REPO / "assets" / "report.js").read_text("utf-8")
# The page's style and script elements, each the files assets/bundles.txt lists joined with a newline.
BUNDLES = {
    name.strip(): [REPO / p for p in paths.split()]
    for name, paths in (
        line.split(":", 1)
        for line in (REPO / "assets" / "bundles.txt").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
}
PAGE_JS = "\n".join(p.read_text("utf-8") for p in BUNDLES["page.js"])
PAGE_CSS = "\n".join(p.read_text("utf-8") for p in BUNDLES["page.css"])


def q(value: str) -> str:
    """A CSS string literal."""
    return json.dumps(value)


def run_pages(site: Path) -> list[Path]:
    pages = sorted((site / "runs").glob("*.html"))
    assert pages, f"{site}/runs has no pages"
    return pages


def tree_stats(page) -> dict:
    return page.evaluate(
        """() => ({
          nested: document.querySelectorAll('.tree details.node > .node').length,
          nodes: document.querySelectorAll('.tree .node').length })"""
    )


_richest: dict[Path, Path] = {}


def richest_run_page(context, site: Path) -> Path:
    """The run page with the most nested spans (the best one for tree checks)."""
    if site in _richest:
        return _richest[site]
    best, best_n = None, -1
    for path in run_pages(site):
        page, _ = open_page(context, path)
        n = tree_stats(page)["nested"]
        page.close()
        if n > best_n:
            best, best_n = path, n
    assert best is not None and best_n > 0, "no run page has a span with children"
    _richest[site] = best
    return best


def assert_clean(log, where: str) -> None:
    assert not log.page_errors, f"{where}: page errors {log.page_errors}"
    assert not log.console_errors, f"{where}: console errors {log.console_errors}"
    assert not log.csp_messages, f"{where}: CSP messages {log.csp_messages}"
    assert not log.other_requests(), f"{where}: network requests {log.other_requests()}"


def row_locator(page, span_id: str):
    return page.locator(f".tree .node[data-span-id={q(span_id)}] > .row")


# Rows not inside a closed <details> or a hidden node, in document order. Worked out
# from the DOM: checkVisibility() would force layout of every off-screen row.
VISIBLE_ROW_IDS = """() => {
  const shown = (row) => {
    for (let n = row.parentElement; n && !n.classList.contains('tree'); n = n.parentElement) {
      if (n.hidden) return false;
      if (n.tagName === 'DETAILS' && !n.open && n !== row.parentElement) return false;
    }
    return true;
  };
  return Array.from(document.querySelectorAll('.tree .row')).filter(shown)
    .map(r => r.closest('.node').getAttribute('data-span-id'));
}"""


SELECTED_ID = "document.querySelector('.tree .row.selected').closest('.node').getAttribute('data-span-id')"


# ------------------------------------------------------------------ assets


def test_assets_are_safe_to_inline():
    assert "</style" not in PAGE_CSS.lower()
    js = PAGE_JS.lower()
    assert "</script" not in js and "<!--" not in js
    for forbidden in ("eval(", "new function", "fetch(", "xmlhttprequest", "import(", "document.write",
                      "innerhtml", "createelement(\"script", "createelement(\"style", "sendbeacon", "websocket"):
        assert forbidden not in js, f"the page script uses {forbidden}"
    assert '"use strict"' in JS
    assert not re.search(r"@import|url\(\s*['\"]?(?!data:)", CSS), "report.css loads external resources"


def test_rendered_pages_inline_current_assets(rendered_dir):
    """The renderer embeds assets/ at build time; a stale copy means regenerating them."""
    for path in [rendered_dir / "index.html", *run_pages(rendered_dir)]:
        text = path.read_text("utf-8")
        assert f"<style>{PAGE_CSS}</style>" in text, (
            f"{path.name}: inlined CSS differs from assets/bundles.txt's page.css; run `swift run generate-embedded-assets`"
        )
        assert f"<script>{PAGE_JS}</script>" in text, (
            f"{path.name}: inlined JS differs from assets/bundles.txt's page.js; run `swift run generate-embedded-assets`"
        )


# ------------------------------------------------------------ (a) clean load


def test_pages_load_without_errors_or_network(context, site):
    for path in [site / "index.html", *run_pages(site)]:
        page, log = open_page(context, path)
        page.wait_for_timeout(50)
        assert page.evaluate("document.body.classList.contains('js')"), f"{path.name}: report.js did not run (CSP hash?)"
        assert page.evaluate("window.__cspViolations") == [], f"{path.name}: CSP violations"
        # open a span too, so selection code runs
        if path.parent.name == "runs":
            first = page.locator(".tree .row").first
            first.locator(".col-dur").click()
            page.keyboard.press("ArrowDown")
            page.keyboard.press("ArrowUp")
        assert_clean(log, path.name)
        page.close()


# ------------------------------------------------------ (b) collapse / expand


def settle(page) -> None:
    """Wait two frames: rows that were off screen render a frame after they scroll in."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def caret_point(page, span_id: str) -> dict:
    return page.evaluate(
        """(id) => {
          const row = document.querySelector(`.tree .node[data-span-id="${CSS.escape(id)}"] > .row`);
          const badge = row.querySelector('.col-name .badge');
          const rb = row.getBoundingClientRect(), bb = badge.getBoundingClientRect();
          return { x: bb.left - 7, y: rb.top + rb.height / 2 };
        }""",
        span_id,
    )


def test_caret_collapses_and_expands_children(context, site):
    path = richest_run_page(context, site)
    page, log = open_page(context, path)
    parent_id = page.evaluate(
        """() => { const d = Array.from(document.querySelectorAll('.tree details.node[open]'))
                   .find(d => d.querySelector(':scope > .node') && d.firstElementChild.checkVisibility());
                   return d ? d.getAttribute('data-span-id') : null; }"""
    )
    assert parent_id, "no open span with children"
    details = page.locator(f".tree details.node[data-span-id={q(parent_id)}]")
    children = details.locator(":scope > .node > .row")
    n = children.count()
    assert n > 0
    for i in range(n):
        assert children.nth(i).is_visible()

    row_locator(page, parent_id).scroll_into_view_if_needed()
    settle(page)
    pt = caret_point(page, parent_id)
    page.mouse.click(pt["x"], pt["y"])
    assert details.evaluate("d => d.open") is False
    for i in range(n):
        assert not children.nth(i).is_visible(), f"child {i} of {parent_id} still visible after collapse"
    # a caret click toggles only: it does not select
    assert "selected" not in (row_locator(page, parent_id).get_attribute("class") or "")

    pt = caret_point(page, parent_id)
    page.mouse.click(pt["x"], pt["y"])
    assert details.evaluate("d => d.open") is True
    for i in range(n):
        assert children.nth(i).is_visible()

    # a click on the row elsewhere selects and does not toggle
    row_locator(page, parent_id).locator(".col-dur").click()
    assert details.evaluate("d => d.open") is True
    assert "selected" in row_locator(page, parent_id).get_attribute("class")
    assert_clean(log, path.name)


def test_expand_all_and_collapse_all(context, site):
    path = richest_run_page(context, site)
    page, log = open_page(context, path)
    head = page.locator(".trace-head")
    head.get_by_role("button", name="Collapse all").click()
    assert page.evaluate("document.querySelectorAll('.tree details.node[open]').length") == 0
    roots = page.evaluate("document.querySelectorAll('.tree > .node').length")
    assert len(page.evaluate(VISIBLE_ROW_IDS)) == roots
    head.get_by_role("button", name="Expand all").click()
    assert page.evaluate("document.querySelectorAll('.tree details.node:not([open])').length") == 0
    assert len(page.evaluate(VISIBLE_ROW_IDS)) == page.evaluate("document.querySelectorAll('.tree .row').length")
    assert_clean(log, path.name)


# -------------------------------------------------------------- (c) waterfall


BAR_CHECK = """() => {
  const bad = [];
  const rows = Array.from(document.querySelectorAll('.tree .row')).filter(r => r.checkVisibility());
  for (const row of rows) {
    const id = row.closest('.node').getAttribute('data-span-id');
    const wf = row.querySelector(':scope > .col-wf');
    const bar = wf && wf.querySelector('.bar');
    if (!bar) { bad.push(id + ': no bar'); continue; }
    const w = wf.getBoundingClientRect(), b = bar.getBoundingClientRect();
    if (!(b.width > 0 && b.height > 0)) bad.push(id + ': empty bar ' + b.width + 'x' + b.height);
    if (b.left < w.left - 0.5 || b.right > w.right + 0.5 || b.top < w.top - 0.5 || b.bottom > w.bottom + 0.5)
      bad.push(id + ': bar ' + [b.left, b.right, b.top, b.bottom] + ' outside column ' + [w.left, w.right, w.top, w.bottom]);
  }
  // children start at or after their parent
  for (const d of document.querySelectorAll('.tree details.node')) {
    const pbar = d.querySelector(':scope > summary .bar');
    if (!pbar || !pbar.checkVisibility()) continue;
    const pl = pbar.getBoundingClientRect().left;
    for (const c of d.querySelectorAll(':scope > .node > .row .bar')) {
      if (!c.checkVisibility()) continue;
      const cl = c.getBoundingClientRect().left;
      if (cl < pl - 0.5) bad.push(c.closest('.node').getAttribute('data-span-id') + ': starts before parent ' + cl + ' < ' + pl);
    }
  }
  return { count: rows.length, bad };
}"""


def test_waterfall_bars_are_visible_and_inside_their_column(context, site):
    for path in run_pages(site):
        page, log = open_page(context, path)
        result = page.evaluate(BAR_CHECK)
        assert result["count"] > 0, f"{path.name}: no visible rows"
        assert result["bad"] == [], f"{path.name}: {result['bad'][:10]}"
        assert_clean(log, path.name)
        page.close()


def test_axis_lines_up_with_waterfall_column(context, site):
    path = richest_run_page(context, site)
    page, _ = open_page(context, path)
    boxes = page.evaluate(
        """() => {
          const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; };
          const axis = document.querySelector('.trace-head .axis');
          const wf = document.querySelector('.tree .row .col-wf');
          const ticks = Array.from(axis.querySelectorAll('.tick')).filter(t => t.checkVisibility()).map(box);
          return { axis: box(axis), wf: box(wf), ticks };
        }"""
    )
    assert abs(boxes["axis"][0] - boxes["wf"][0]) < 1 and abs(boxes["axis"][1] - boxes["wf"][1]) < 1, boxes
    assert boxes["ticks"], "no visible axis ticks"
    for left, right in boxes["ticks"]:
        assert left >= boxes["axis"][0] - 1 and right <= boxes["axis"][1] + 1, f"tick outside axis: {boxes}"
    # visible tick labels do not overlap each other
    ticks = sorted(boxes["ticks"])
    for (_, r1), (l2, _) in zip(ticks, ticks[1:]):
        assert r1 <= l2 + 0.5, f"overlapping tick labels: {ticks}"


# -------------------------------------------------------- (d) row selection


def test_clicking_a_row_shows_its_details_and_sets_the_hash(context, site):
    path = richest_run_page(context, site)
    page, log = open_page(context, path)
    assert page.locator(".details-hint").is_visible()
    ids = page.evaluate(VISIBLE_ROW_IDS)
    for span_id in [ids[0], ids[len(ids) // 2], ids[-1]]:
        row = row_locator(page, span_id)
        row.locator(".col-tok").click()
        article = page.locator(f".span-detail[data-span-id={q(span_id)}]")
        assert article.is_visible(), f"details of {span_id} not shown"
        assert page.locator(".span-detail.selected").count() == 1
        assert page.evaluate("Array.from(document.querySelectorAll('.span-detail')).filter(a => a.checkVisibility()).length") == 1
        assert "selected" in row.get_attribute("class")
        assert page.evaluate("location.hash") == "#" + article.get_attribute("id")
        assert not page.locator(".details-hint").is_visible()
    # clicking the name link selects too (and does not navigate away or toggle)
    link_id = ids[1] if len(ids) > 1 else ids[0]
    row_locator(page, link_id).locator(".span-link").click()
    assert page.locator(f".span-detail[data-span-id={q(link_id)}]").is_visible()
    assert_clean(log, path.name)


def test_initial_hash_selects_and_reveals_the_span(context, site):
    path = richest_run_page(context, site)
    probe, _ = open_page(context, path)
    deepest = probe.evaluate(
        """() => { let best = null, d = -1;
          for (const n of document.querySelectorAll('.tree .node')) {
            const k = +n.getAttribute('data-depth'); if (k > d) { d = k; best = n; } }
          return document.getElementById('s-' + best.getAttribute('data-span-id')) ? 's-' + best.getAttribute('data-span-id')
               : best.querySelector('.span-link').getAttribute('href').slice(1); }"""
    )
    probe.close()
    page, log = open_page(context, path, "#" + deepest)
    article = page.locator(f"[id={q(deepest)}]")
    assert article.is_visible()
    span_id = article.get_attribute("data-span-id")
    assert row_locator(page, span_id).is_visible()
    assert "selected" in row_locator(page, span_id).get_attribute("class")
    assert_clean(log, path.name)


def test_arrow_keys_move_across_visible_rows(context, site):
    path = richest_run_page(context, site)
    page, log = open_page(context, path)
    ids = page.evaluate(VISIBLE_ROW_IDS)
    row_locator(page, ids[0]).locator(".col-dur").click()
    steps = min(len(ids) - 1, 25)
    for i in range(1, steps + 1):
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.querySelector('.tree .row.selected').closest('.node').getAttribute('data-span-id')") == ids[i]
    for i in range(steps - 1, -1, -1):
        page.keyboard.press("ArrowUp")
        assert page.evaluate("document.querySelector('.tree .row.selected').closest('.node').getAttribute('data-span-id')") == ids[i]
    settle(page)  # details follow in the next frame
    assert page.locator(f".span-detail[data-span-id={q(ids[0])}]").is_visible()
    assert_clean(log, path.name)


def test_arrow_left_and_right_fold_and_move_to_parent(context, site):
    path = richest_run_page(context, site)
    page, log = open_page(context, path)
    parent_id, child_id, child_open = page.evaluate(
        """() => { const d = Array.from(document.querySelectorAll('.tree details.node[open]'))
                     .find(d => d.querySelector(':scope > .node.leaf')) || document.querySelector('.tree details.node[open]');
                   const c = d.querySelector(':scope > .node.leaf') || d.querySelector(':scope > .node');
                   return [d.getAttribute('data-span-id'), c.getAttribute('data-span-id'), c.tagName === 'DETAILS' && c.open]; }"""
    )
    details = page.locator(f".tree details.node[data-span-id={q(parent_id)}]")
    row_locator(page, child_id).locator(".col-dur").click()
    if child_open:
        page.keyboard.press("ArrowLeft")  # an open child folds first
    page.keyboard.press("ArrowLeft")  # then moves to its parent
    settle(page)
    assert page.evaluate(SELECTED_ID) == parent_id
    page.keyboard.press("ArrowLeft")  # open parent: fold it
    assert details.get_attribute("open") is None
    assert not row_locator(page, child_id).is_visible()
    page.keyboard.press("ArrowRight")  # unfold
    assert details.get_attribute("open") == ""
    page.keyboard.press("ArrowRight")  # open: to its first child
    settle(page)
    first_child = page.evaluate(
        "(id) => document.querySelector(`.tree details.node[data-span-id=\"${CSS.escape(id)}\"] > .node`).getAttribute('data-span-id')",
        parent_id,
    )
    assert page.evaluate(SELECTED_ID) == first_child
    assert_clean(log, path.name)


def test_span_name_filter_marks_matches(context, site):
    path = richest_run_page(context, site)
    page, log = open_page(context, path)
    names = page.evaluate("Array.from(document.querySelectorAll('.tree .span-link')).map(a => a.textContent)")
    needle = names[-1][: max(3, min(6, len(names[-1])))].lower()
    expected = sum(1 for n in names if needle in n.lower())
    page.locator(".trace-head input[type=search]").fill(needle)
    page.wait_for_function("(n) => document.querySelectorAll('.tree .row.match').length === n", arg=expected)
    assert page.evaluate("document.querySelector('.tree').classList.contains('filtering')")
    page.locator(".trace-head input[type=search]").press("Enter")
    sel = page.locator(".tree .row.selected")
    assert sel.count() == 1 and "match" in sel.get_attribute("class") and sel.is_visible()
    page.locator(".trace-head input[type=search]").fill("")
    page.wait_for_function("() => document.querySelectorAll('.tree .row.match').length === 0")
    assert_clean(log, path.name)


def test_links_into_other_spans_details_select_that_span(context, site):
    """A reference to a message shown in full in another span (#m-N) opens that span."""
    for path in run_pages(site):
        page, log = open_page(context, path)
        if page.locator(".msg-ref-link").count() == 0:
            page.close()
            continue
        # open the span whose details hold a reference, then follow it
        art = page.locator(".span-detail:has(.msg-ref-link)").first
        span_id = art.get_attribute("data-span-id")
        row_locator(page, span_id).locator(".col-dur").click()
        history = art.locator("details.history")
        if history.count():
            history.first.locator(":scope > summary").click()
        link = art.locator(".msg-ref-link").first
        target_id = link.get_attribute("href")[1:]
        link.click()
        target = page.locator(f"[id={q(target_id)}]")
        settle(page)
        assert target.is_visible(), f"{path.name}: #{target_id} is not shown"
        owner = target.evaluate("t => t.closest('.span-detail').getAttribute('data-span-id')")
        assert page.evaluate(SELECTED_ID) == owner
        assert_clean(log, path.name)
        page.close()
        return
    pytest.skip("no message references in these pages")


def test_narrow_screen_docks_details_below(browser, site):
    ctx = browser.new_context(viewport={"width": 700, "height": 800})
    path = richest_run_page(ctx, site)
    page, log = open_page(ctx, path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 700, "the run page overflows horizontally"
    ids = page.evaluate(VISIBLE_ROW_IDS)
    row_locator(page, ids[-1]).locator(".col-dur").click()
    article = page.locator(f".span-detail[data-span-id={q(ids[-1])}]")
    assert article.is_visible()
    box = page.locator(".details").bounding_box()
    assert box["y"] < 800 and box["y"] + box["height"] <= 801, "details pane is not on screen"
    assert_clean(log, path.name)
    ctx.close()


# ----------------------------------------------------------- (e) without JS


def test_pages_work_without_javascript(nojs_context, site):
    for path in run_pages(site):
        page = nojs_context.new_page()
        page.goto(path.resolve().as_uri())
        rows = page.locator(".tree .row")
        assert rows.count() > 0 and rows.first.is_visible()
        bars = page.locator(".tree .row .bar")
        box = bars.first.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0
        assert page.locator(".details-hint").is_visible()
        assert page.locator(".span-detail").first.is_hidden()
        assert page.locator(".controls").count() == 0 or page.locator(".controls").is_hidden()
        # :target shows the chosen span's details
        article_id = page.locator(".span-detail").last.get_attribute("id")
        page.goto(path.resolve().as_uri() + "#" + article_id)
        assert page.locator(f"[id={q(article_id)}]").is_visible()
        assert not page.locator(".details-hint").is_visible()
        visible = page.evaluate("Array.from(document.querySelectorAll('.span-detail')).filter(a => a.checkVisibility()).length")
        assert visible == 1
        # a link into a span's details (a message shown in full there) opens that span
        msg_id = page.evaluate("(() => { const m = document.querySelector('.span-detail .msg[id]'); return m && m.id; })()")
        if msg_id:
            page.goto(path.resolve().as_uri() + "#" + msg_id)
            assert page.locator(f"[id={q(msg_id)}]").is_visible()
        # the span link is a plain fragment link
        link = page.locator(".tree .span-link").first
        link.click()
        href = link.get_attribute("href")
        assert page.locator(f"[id={q(href[1:])}]").is_visible()
        page.close()


def test_no_javascript_summary_click_toggles_natively(nojs_context, site):
    path = run_pages(site)[0]
    page = nojs_context.new_page()
    page.goto(path.resolve().as_uri())
    first = page.locator(".tree details.node[open]").first
    if first.count() == 0:
        pytest.skip("no span with children")
    d = page.locator(f".tree details.node[data-span-id={q(first.get_attribute('data-span-id'))}]")
    child = d.locator(":scope > .node > .row").first
    assert child.is_visible()
    d.locator(":scope > summary .col-dur").click()
    assert d.get_attribute("open") is None
    assert not child.is_visible()
    d.locator(":scope > summary .col-dur").click()
    assert d.get_attribute("open") == ""
    assert child.is_visible()
    page.close()


# ------------------------------------------------------------- (f) index page


def visible_values(page, key: str) -> list[str]:
    return page.evaluate(
        """(key) => Array.from(document.querySelectorAll('#runs tbody tr[data-run-id]'))
            .filter(tr => tr.checkVisibility())
            .map(tr => { const td = Array.from(tr.cells).find(c => c.getAttribute('data-key') === key);
                         return td ? td.getAttribute('data-value') : null; })""",
        key,
    )


def check_numeric_order(values: list[str], descending: bool) -> None:
    present = [float(v) for v in values if v not in ("", None)]
    missing = [v for v in values if v in ("", None)]
    assert values[: len(present)] == [v for v in values if v not in ("", None)], f"empty values not last: {values}"
    assert len(present) + len(missing) == len(values)
    assert present == sorted(present, reverse=descending), f"not sorted {'desc' if descending else 'asc'}: {values}"


def test_index_sorts_by_numeric_columns(context, site):
    page, log = open_page(context, site / "index.html")
    for key in ["duration", "spans", "tokens", "cost"] + page.evaluate(
        "Array.from(document.querySelectorAll('#runs th[data-key^=\"score:\"]')).map(t => t.getAttribute('data-key'))"
    ):
        th = page.locator(f"#runs thead th[data-key={q(key)}]")
        if th.count() == 0:
            continue
        th.click()
        assert th.get_attribute("aria-sort") == "ascending"
        check_numeric_order(visible_values(page, key), descending=False)
        th.click()
        assert th.get_attribute("aria-sort") == "descending"
        check_numeric_order(visible_values(page, key), descending=True)
        others = page.evaluate(
            f"Array.from(document.querySelectorAll('#runs thead th')).filter(t => t.getAttribute('data-key') !== {q(key)})"
            ".map(t => t.getAttribute('aria-sort')).filter(s => s === 'ascending' || s === 'descending')"
        )
        assert others == [], f"other headers still sorted: {others}"
    # text column
    th = page.locator("#runs thead th[data-key=name]")
    th.click()
    names = [v.lower() for v in visible_values(page, "name")]
    assert names == sorted(names, key=lambda s: s.lower()) or th.get_attribute("aria-sort") == "ascending"
    assert_clean(log, "index.html")


def test_index_duration_sort_ascending_then_descending(context, site):
    page, log = open_page(context, site / "index.html")
    th = page.locator("#runs thead th[data-key=duration]")
    th.click()
    check_numeric_order(visible_values(page, "duration"), descending=False)
    th.click()
    check_numeric_order(visible_values(page, "duration"), descending=True)
    assert_clean(log, "index.html")


def test_index_filter_and_status(context, site):
    page, log = open_page(context, site / "index.html")
    assert page.locator(".controls").is_visible()
    total = page.locator("#runs tbody tr[data-run-id]").count()
    count = page.locator(".controls .count")
    assert count.inner_text().strip() == f"{total} of {total} run{'s' if total != 1 else ''}"

    name = page.locator("#runs tbody tr[data-run-id] td[data-key=name]").first.get_attribute("data-value")
    page.locator("#filter").fill(name)
    rows = page.locator("#runs tbody tr[data-run-id]")
    shown = [i for i in range(total) if rows.nth(i).is_visible()]
    assert shown, "filter hid every row"
    for i in range(total):
        text = rows.nth(i).inner_text().lower() + " " + " ".join(
            rows.nth(i).evaluate("tr => Array.from(tr.cells).map(c => c.getAttribute('data-value') || '')")
        ).lower()
        assert (i in shown) == (name.lower() in text), f"row {i} visibility does not match the filter"
    assert count.inner_text().strip() == f"{len(shown)} of {total} run{'s' if total != 1 else ''}"

    page.locator("#filter").fill("zzz-no-such-run-zzz")
    assert count.inner_text().strip().startswith("0 of ")
    page.locator("#filter").fill("")

    statuses = page.evaluate("Array.from(document.querySelectorAll('#runs tbody tr[data-run-id]')).map(tr => tr.dataset.status)")
    for status in ["ok", "error", "unfinished"]:
        page.locator("#status-filter").select_option(status)
        visible = page.evaluate(
            "Array.from(document.querySelectorAll('#runs tbody tr[data-run-id]')).filter(tr => tr.checkVisibility()).map(tr => tr.dataset.status)"
        )
        assert visible == [s for s in statuses if s == status] or sorted(visible) == sorted(s for s in statuses if s == status)
        assert count.inner_text().strip().startswith(f"{len(visible)} of {total}")
    page.locator("#status-filter").select_option("all")
    assert count.inner_text().strip().startswith(f"{total} of {total}")
    assert_clean(log, "index.html")


# ------------------------------------------------------ (g) ids line up


def test_every_span_has_a_row_and_a_detail(context, site):
    for path in run_pages(site):
        page, _ = open_page(context, path)
        ids = page.evaluate(
            """() => ({
              tree: Array.from(document.querySelectorAll('.tree [data-span-id]')).map(e => e.getAttribute('data-span-id')),
              articles: Array.from(document.querySelectorAll('.details .span-detail')).map(e => e.getAttribute('data-span-id')),
              links: Array.from(document.querySelectorAll('.tree .span-link')).map(a => a.getAttribute('href')),
              articleIds: Array.from(document.querySelectorAll('.details .span-detail')).map(e => '#' + e.id) })"""
        )
        assert len(ids["tree"]) == len(ids["articles"]), f"{path.name}: {len(ids['tree'])} rows, {len(ids['articles'])} details"
        assert sorted(ids["tree"]) == sorted(ids["articles"]), path.name
        assert len(set(ids["tree"])) == len(ids["tree"]), f"{path.name}: duplicate span ids"
        assert sorted(ids["links"]) == sorted(ids["articleIds"]), f"{path.name}: span links do not match detail ids"
        page.close()


# ------------------------------------------- deep trees and large pages


def test_flat_rows_collapse_their_descendants(context, deep_page):
    page, log = open_page(context, deep_page)
    flat = page.locator(".tree .node.flat.parent").first
    assert flat.count() == 1
    depth = int(flat.get_attribute("data-depth"))
    descendants = page.evaluate(
        """(d) => { const first = document.querySelector('.tree .node.flat.parent'); const out = [];
          for (let n = first.nextElementSibling; n && +n.getAttribute('data-depth') > d; n = n.nextElementSibling)
            out.push(n.getAttribute('data-span-id'));
          return out; }""",
        depth,
    )
    assert descendants
    flat_id = flat.get_attribute("data-span-id")
    row_locator(page, flat_id).scroll_into_view_if_needed()
    settle(page)
    pt = caret_point(page, flat_id)
    page.mouse.click(pt["x"], pt["y"])
    for d in descendants:
        assert not row_locator(page, d).is_visible()
    row_locator(page, flat_id).scroll_into_view_if_needed()
    settle(page)
    pt = caret_point(page, flat_id)
    page.mouse.click(pt["x"], pt["y"])
    for d in descendants:
        assert row_locator(page, d).is_visible()
    # names stay readable at depth 300: the indentation is capped
    box = row_locator(page, descendants[-1]).locator(".span-link").bounding_box()
    assert box and box["width"] > 20
    assert_clean(log, deep_page.name)


def in_viewport(page, locator) -> bool:
    """Fully on screen and not under the sticky trace header."""
    box = locator.bounding_box()
    top = max(0, page.locator(".trace-head").bounding_box()["y"] + page.locator(".trace-head").bounding_box()["height"])
    bottom = page.viewport_size["height"]
    return bool(box) and box["width"] > 0 and box["y"] >= top - 1 and box["y"] + box["height"] <= bottom + 1


def check_large_page(context, path: Path, spans: int) -> None:
    """What a person does on a 20,000-span page, with loose time limits (the machine may
    be busy): they catch work that grows with the number of rows, which takes seconds.
    Runs this large get a data page: only the rows in view exist (run-viewer.js)."""
    page, log = open_page(context, path)
    page.wait_for_function("() => document.body.classList.contains('viewer-ready')", timeout=30000)
    assert page.evaluate("document.body.classList.contains('run-data')")
    ids = page.evaluate("window.traceReport.spanIds()")
    assert len(ids) == spans and len(set(ids)) == spans
    assert 0 < page.evaluate("document.querySelectorAll('.tree .row').length") <= 200
    row_h = page.evaluate("document.querySelector('.tree .vnode').getBoundingClientRect().height")

    def shown() -> int:
        return round(page.evaluate("parseFloat(document.querySelector('.tree').style.height)") / row_h)

    t = page.evaluate(
        "() => { const t0 = performance.now(); document.querySelector('.trace-head .expand-all').click();"
        " document.body.offsetHeight; return performance.now() - t0; }"
    )
    assert t < 3000, f"Expand all took {t:.0f} ms"
    assert shown() == spans
    assert page.evaluate("document.querySelectorAll('.tree .row').length") <= 200

    # jump to the last span (the deepest of a chain) through the address
    last = ids[-1]
    page.evaluate("(id) => { location.hash = '#s-' + id; }", last)
    page.wait_for_function("(id) => { const r = document.querySelector('.tree .row.selected');"
                           " const a = document.querySelector('.details .span-detail.selected');"
                           " return r && r.closest('.node').dataset.spanId === id && a && a.dataset.spanId === id; }", arg=last)
    settle(page)
    assert in_viewport(page, row_locator(page, last)), "the selected row is not scrolled into view"
    assert row_locator(page, last).locator(".span-link").bounding_box()["width"] > 20, "deep names are unreadable"

    # key repeat: cheap per event, details and scrolling follow
    start = len(ids) // 2
    page.evaluate("(id) => { location.hash = '#s-' + id; }", ids[start])
    page.wait_for_function(f"() => {{ const r = document.querySelector('.tree .row.selected'); return r && r.closest('.node').dataset.spanId === {q(ids[start])}; }}")
    t = page.evaluate(
        """() => { const t0 = performance.now();
          for (let i = 0; i < 50; i++) document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true}));
          return performance.now() - t0; }"""
    )
    assert t < 2000, f"50 ArrowDown key events took {t:.0f} ms"
    page.wait_for_function(f"() => {{ const a = document.querySelector('.details .span-detail.selected'); return a && a.dataset.spanId === {q(ids[start + 50])}; }}")
    settle(page)
    assert page.evaluate(SELECTED_ID) == ids[start + 50]
    assert in_viewport(page, row_locator(page, ids[start + 50]))
    # script time of one key press: the handler plus its work in the next frame
    t = page.evaluate(
        """async () => { let total = 0;
          for (let i = 0; i < 20; i++) {
            const t0 = performance.now();
            document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true}));
            total += performance.now() - t0;
            total += await new Promise(r => requestAnimationFrame(ts => r(Math.max(0, performance.now() - ts))));
            await new Promise(r => setTimeout(r, 0));
          }
          return total / 20; }"""
    )
    assert t < 1000, f"a key press took {t:.0f} ms of script time"

    # search the whole run
    page.locator(".trace-head input[type=search]").fill("step 1")
    page.wait_for_function("() => /^[0-9,]+ match/.test(document.querySelector('.trace-head .match-count').textContent)"
                           " && !/searching/.test(document.querySelector('.trace-head .match-count').textContent)")
    found = int(page.locator(".trace-head .match-count").inner_text().split()[0].replace(",", ""))
    assert found > 0
    page.locator(".trace-head input[type=search]").press("Enter")
    page.wait_for_function("() => document.querySelectorAll('.tree .row.match.selected').length === 1")

    t = page.evaluate(
        "() => { const t0 = performance.now(); document.querySelector('.trace-head .collapse-all').click();"
        " document.body.offsetHeight; return performance.now() - t0; }"
    )
    assert t < 3000, f"Collapse all took {t:.0f} ms"
    assert shown() == 1
    assert_clean(log, path.name)
    page.close()


@pytest.mark.parametrize("name", ["deep-chain", "wide"])
def test_large_rendered_page_stays_responsive(context, large_rendered, name):
    check_large_page(context, large_rendered[name], 20000)


# --------------------------------------------------------------- screenshots


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshot(browser, site, scheme, tmp_path_factory):
    """Full-page screenshots for a person to look at (paths are printed with -s)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, color_scheme=scheme)
    page, _ = open_page(ctx, richest_run_page(ctx, site))
    page.locator(".tree .row").nth(min(3, page.locator(".tree .row").count() - 1)).locator(".col-dur").click()
    out = tmp_path_factory.getbasetemp() / f"run-{site.name}-{scheme}.png"
    page.screenshot(path=str(out), full_page=True)
    print(f"screenshot: {out}")
    assert out.stat().st_size > 10000
    ctx.close()
