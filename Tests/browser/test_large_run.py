"""Real-browser checks of the page trace-report writes for a large run: the run carried as data
and drawn a screenful at a time (assets/run-viewer.js).

The page is written by the command line from a generated agent run of 30,000 spans whose
names, error messages and outputs carry an XSS payload. Every wait is for a state (the viewer
inflates data asynchronously); time limits are loose smoke checks, the figures are in Tests/bench.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from browser_support import cli_path, open_page, render, write_agent_run

SPANS = 30000
PAYLOAD = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>"
MAX_ROWS = 200  # rows in the DOM at once: a screenful and some overscan


@pytest.fixture(scope="module")
def large_run(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("large-run")
    src = root / "agent.jsonl"
    write_agent_run(src, SPANS, trace_id="agent-run", xss=PAYLOAD)
    spans = [json.loads(line) for line in src.read_text("utf-8").splitlines()]
    out = root / "report"
    render(cli_path(), [src], out)
    page = out / "runs" / "agent-run.html"
    assert page.is_file()
    return {"page": page, "spans": spans, "input_bytes": src.stat().st_size}


# Predicates are functions: Playwright evaluates a function's source once, but a plain
# expression again at every poll with eval, which the page's policy refuses.
def ready(page) -> None:
    page.wait_for_function("() => document.body.classList.contains('viewer-ready')", timeout=30000)


def row_count(page) -> int:
    return page.evaluate("document.querySelectorAll('.tree .row').length")


def selected_id(page):
    return page.evaluate(
        "(() => { const r = document.querySelector('.tree .row.selected'); return r ? r.closest('.node').dataset.spanId : null; })()"
    )


def wait_selected(page, span_id: str) -> None:
    page.wait_for_function(
        "(id) => { const r = document.querySelector('.tree .row.selected');"
        " const a = document.querySelector('.details .span-detail.selected');"
        " return r && r.closest('.node').dataset.spanId === id && a && a.dataset.spanId === id; }",
        arg=span_id,
    )


def row_height(page) -> float:
    return page.evaluate("document.querySelector('.tree .vnode').getBoundingClientRect().height")


def shown_rows(page) -> int:
    return round(page.evaluate("parseFloat(document.querySelector('.tree').style.height)") / row_height(page))


def assert_clean(log, where: str) -> None:
    assert not log.page_errors, f"{where}: page errors {log.page_errors}"
    assert not log.console_errors, f"{where}: console errors {log.console_errors}"
    assert not log.csp_messages, f"{where}: CSP messages {log.csp_messages}"
    assert not log.other_requests(), f"{where}: network requests {log.other_requests()}"


def test_page_is_small_self_contained_and_lists_every_span(context, large_run):
    page_bytes = large_run["page"].stat().st_size
    assert page_bytes < 0.6 * large_run["input_bytes"], f"page {page_bytes} bytes for {large_run['input_bytes']} of input"
    page, log = open_page(context, large_run["page"])
    ready(page)
    ids = page.evaluate("window.traceReport.spanIds()")
    assert len(ids) == SPANS
    assert sorted(ids) == sorted(s["span_id"] for s in large_run["spans"])
    assert 0 < row_count(page) <= MAX_ROWS
    rows = page.evaluate(
        "Array.from(document.querySelectorAll('.tree .vnode')).map(n => [n.dataset.spanId, n.dataset.kind])"
    )
    kinds = {s["span_id"]: s["kind"] for s in large_run["spans"]}
    assert all(kinds[i] == k for i, k in rows)
    assert page.evaluate("window.__cspViolations.length") == 0
    assert page.evaluate("window.__xss") is None
    assert_clean(log, "large run page")


def test_scrolling_draws_the_rows_in_view(context, large_run):
    page, log = open_page(context, large_run["page"])
    ready(page)
    page.locator(".trace-head .expand-all").click()
    page.wait_for_function(f"() => parseFloat(document.querySelector('.tree').style.height) > {SPANS} * 20")
    ids = page.evaluate("window.traceReport.spanIds()")
    h = row_height(page)
    for frac in (0.5, 0.9, 0.2):
        target = int(SPANS * frac)
        page.evaluate(
            "([k, h]) => window.scrollTo(0, document.querySelector('.tree').getBoundingClientRect().top + window.scrollY + k * h)",
            [target, h],
        )
        page.wait_for_function(
            "(id) => { const n = document.querySelector(`.tree .vnode[data-span-id=\"${CSS.escape(id)}\"]`);"
            " if (!n) return false; const r = n.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }",
            arg=ids[target + 5],
        )
        assert row_count(page) <= MAX_ROWS
    assert_clean(log, "scrolling")


def test_expand_and_collapse_all_and_a_subtree_of_every_span(context, large_run):
    page, log = open_page(context, large_run["page"])
    ready(page)
    t = page.evaluate(
        "() => { const t0 = performance.now(); document.querySelector('.trace-head .expand-all').click();"
        " document.body.offsetHeight; return performance.now() - t0; }"
    )
    assert t < 2000, f"Expand all took {t:.0f} ms"
    assert shown_rows(page) == SPANS
    assert row_count(page) <= MAX_ROWS
    # the root's subtree holds every other span: fold it with its caret
    root = page.locator(".tree .vnode[data-span-id='root'] > .row")
    badge = root.locator(".badge").bounding_box()
    t0 = page.evaluate("performance.now()")
    page.mouse.click(badge["x"] - 7, badge["y"] + badge["height"] / 2)
    page.wait_for_function("() => document.querySelector(\".tree .vnode[data-span-id='root'] > .row\").getAttribute('aria-expanded') === 'false'")
    assert page.evaluate("performance.now()") - t0 < 3000
    assert shown_rows(page) == 1
    assert row_count(page) == 1
    page.mouse.click(badge["x"] - 7, badge["y"] + badge["height"] / 2)
    page.wait_for_function("() => document.querySelector(\".tree .vnode[data-span-id='root'] > .row\").getAttribute('aria-expanded') === 'true'")
    assert shown_rows(page) == SPANS
    t = page.evaluate(
        "() => { const t0 = performance.now(); document.querySelector('.trace-head .collapse-all').click();"
        " document.body.offsetHeight; return performance.now() - t0; }"
    )
    assert t < 2000, f"Collapse all took {t:.0f} ms"
    assert shown_rows(page) == 1
    assert_clean(log, "expand and collapse")


def test_click_shows_details_and_sets_the_address(context, large_run):
    page, log = open_page(context, large_run["page"])
    ready(page)
    row = page.locator(".tree .vnode").nth(6)
    span_id = row.get_attribute("data-span-id")
    row.locator(".col-dur").click()
    wait_selected(page, span_id)
    article = page.locator(".details .span-detail.selected")
    assert article.is_visible()
    assert span_id in article.locator("dl.facts").inner_text()
    page.wait_for_function("(id) => location.hash === '#s-' + id", arg=span_id)
    assert_clean(log, "click")


def test_search_counts_lists_and_steps_through_matches_in_collapsed_subtrees(context, large_run):
    # "review patch" names only the model calls of sub-agents, which start folded.
    expected = [s["span_id"] for s in large_run["spans"] if s["name"] == "review patch"]
    page, log = open_page(context, large_run["page"])
    ready(page)
    assert page.locator(f".tree .vnode[data-span-id='{expected[0]}']").count() == 0
    box = page.locator(".trace-head input.span-search")
    box.fill("Review Patch")
    page.wait_for_function(
        "(n) => document.querySelector('.trace-head .match-count').textContent.startsWith(n + ' matches')",
        arg=len(expected),
    )
    assert page.locator(".search-results li").count() == min(200, len(expected))
    box.press("Enter")
    wait_selected(page, expected[0])
    box.press("Enter")
    wait_selected(page, expected[1])
    box.press("Shift+Enter")
    wait_selected(page, expected[0])
    assert page.locator(f".tree .vnode[data-span-id='{expected[0]}'] > .row.match").count() == 1
    # inputs and outputs are searched too: a tool's path
    tool = next(s for s in large_run["spans"] if s["kind"] == "tool" and s["input"]["path"] == "src/module_41.py")
    want = sum(1 for s in large_run["spans"] if s.get("input", {}) and isinstance(s["input"], dict) and s["input"].get("path") == "src/module_41.py")
    box.fill("src/module_41.py")
    page.wait_for_function(
        "(n) => document.querySelector('.trace-head .match-count').textContent.startsWith(n + ' match')", arg=want
    )
    box.press("Enter")
    wait_selected(page, tool["span_id"])
    assert_clean(log, "search")


def test_keyboard_moves_folds_and_jumps(context, large_run):
    page, log = open_page(context, large_run["page"])
    ready(page)
    tree = page.locator(".tree")
    assert tree.get_attribute("role") == "tree"
    assert page.locator(".tree [role=treeitem]").count() == row_count(page)
    page.locator(".trace-head .expand-all").click()
    ids = page.evaluate("window.traceReport.spanIds()")
    tree.focus()
    wait_selected(page, ids[0])
    assert page.evaluate("document.activeElement === document.querySelector('.tree')")
    for k in range(1, 4):
        page.keyboard.press("ArrowDown")
        page.wait_for_function("(id) => document.querySelector('.tree').getAttribute('aria-activedescendant') &&"
                               " document.getElementById(document.querySelector('.tree').getAttribute('aria-activedescendant'))"
                               "?.closest('.vnode').dataset.spanId === id", arg=ids[k])
    wait_selected(page, ids[3])
    row = page.locator(f".tree .vnode[data-span-id='{ids[3]}'] > .row")
    assert row.get_attribute("aria-selected") == "true"
    assert row.get_attribute("aria-level") == "3"
    page.keyboard.press("ArrowLeft")  # a leaf: to its parent
    wait_selected(page, ids[1])
    page.keyboard.press("ArrowLeft")  # an open parent: folds
    page.wait_for_function("(id) => document.querySelector(`.tree .vnode[data-span-id=\"${id}\"] > .row`).getAttribute('aria-expanded') === 'false'", arg=ids[1])
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(id) => document.querySelector(`.tree .vnode[data-span-id=\"${id}\"] > .row`).getAttribute('aria-expanded') === 'true'", arg=ids[1])
    page.keyboard.press("End")
    wait_selected(page, ids[-1])
    assert row_count(page) <= MAX_ROWS
    page.keyboard.press("Home")
    wait_selected(page, ids[0])
    # held keys: each press is cheap
    t = page.evaluate(
        """() => { const t0 = performance.now();
          for (let i = 0; i < 50; i++) document.querySelector('.tree').dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true}));
          return performance.now() - t0; }"""
    )
    assert t < 2000, f"50 ArrowDown key events took {t:.0f} ms"
    wait_selected(page, ids[50])
    assert_clean(log, "keyboard")


def test_deep_link_to_a_span_not_drawn_yet(context, large_run):
    target = [s for s in large_run["spans"] if s["name"] == "review patch"][-1]["span_id"]
    page, log = open_page(context, large_run["page"], "#s-" + target)
    ready(page)
    wait_selected(page, target)
    box = page.locator(f".tree .vnode[data-span-id='{target}']").bounding_box()
    head = page.locator(".trace-head").bounding_box()
    assert box and box["y"] >= head["y"] + head["height"] - 1 and box["y"] + box["height"] <= 900
    assert_clean(log, "deep link")


def test_first_error_link_and_eval_case_button(context, large_run):
    first_error = next(s for s in large_run["spans"] if "error" in s)["span_id"]
    page, log = open_page(context, large_run["page"])
    ready(page)
    page.locator(".run-findings a").first.click()
    wait_selected(page, first_error)
    assert "TimeoutError" in page.locator(".details .span-detail.selected .error-box").inner_text()
    assert page.locator(".eval-case button.copy-eval-case").count() == 1
    assert_clean(log, "first error")


def test_payload_in_names_messages_and_outputs_stays_text(context, large_run):
    page, log = open_page(context, large_run["page"])
    ready(page)
    assert PAYLOAD in page.locator(".tree .vnode[data-span-id='root'] .span-link").inner_text()
    error_span = next(s for s in large_run["spans"] if "error" in s)["span_id"]
    page.evaluate("(id) => { location.hash = '#s-' + id; }", error_span)
    wait_selected(page, error_span)
    assert PAYLOAD in page.locator(".details .span-detail.selected .error-box").inner_text()
    page.locator(".trace-head input.span-search").fill("onerror")
    page.wait_for_function("() => /^[0-9]+ matches/.test(document.querySelector('.trace-head .match-count').textContent)")
    page.locator(".trace-head input.span-search").press("Enter")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("document.querySelectorAll('img[src=x], .tree script, .details script').length") == 0
    assert page.evaluate("window.__cspViolations.length") == 0
    assert_clean(log, "payload")


def test_overview_zooms_the_waterfall_into_a_range(context, large_run):
    page, log = open_page(context, large_run["page"])
    ready(page)
    canvas = page.locator(".overview canvas")
    box = canvas.bounding_box()
    assert box["width"] > 100
    ticks_before = page.locator(".trace-head .axis .tick").all_inner_texts()
    page.mouse.move(box["x"] + box["width"] * 0.10, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.12, box["y"] + 20)
    page.mouse.up()
    page.wait_for_function("() => document.querySelector('.tree').hasAttribute('data-window')")
    assert page.locator(".overview-range").is_visible()
    assert page.locator(".trace-head .axis .tick").all_inner_texts() != ticks_before
    page.locator(".overview-reset").click()
    page.wait_for_function("() => document.querySelector('.overview-range').hidden")
    assert_clean(log, "overview")


def test_without_javascript_the_top_of_the_tree_and_a_note(nojs_context, large_run):
    page = nojs_context.new_page()
    page.goto(large_run["page"].resolve().as_uri())
    rows = page.locator(".tree .row").count()
    assert 100 <= rows <= 300
    note = page.locator(".preview-note").inner_text()
    assert "30,000 spans" in note and "more rows" in note
    first_error = next(s for s in large_run["spans"] if "error" in s)["span_id"]
    assert page.locator(f".tree [data-span-id='{first_error}']").count() == 1
    page.locator(".run-findings a").first.click()
    assert page.locator(f".details .span-detail[data-span-id='{first_error}']").is_visible()


def test_dark_mode(browser, large_run):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, color_scheme="dark")
    page, log = open_page(ctx, large_run["page"])
    ready(page)
    bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    nums = [int(x) for x in bg[bg.index("(") + 1:bg.index(")")].split(",")[:3]]
    assert sum(nums) < 200, bg
    assert_clean(log, "dark mode")
    ctx.close()


def active_id(page):
    return page.evaluate(
        "(() => { const id = document.querySelector('.tree').getAttribute('aria-activedescendant');"
        " const r = id && document.getElementById(id); return r ? r.closest('.vnode').dataset.spanId : null; })()"
    )


def wait_active(page, span_id: str) -> None:
    """The tree's active row (aria-activedescendant) is the span's, and it is the selected row."""
    page.wait_for_function(
        "(id) => { const t = document.querySelector('.tree'); const a = t.getAttribute('aria-activedescendant');"
        " const r = a && document.getElementById(a);"
        " return !!r && r.closest('.vnode').dataset.spanId === id && r.classList.contains('selected'); }",
        arg=span_id,
    )
    wait_selected(page, span_id)


def type_keys(page, keys: str) -> None:
    """Letters typed in quick succession: every keydown in one task, well inside the pause that
    starts type-ahead over."""
    page.evaluate(
        "(keys) => { const t = document.querySelector('.tree'); for (const k of keys)"
        " t.dispatchEvent(new KeyboardEvent('keydown', {key: k, bubbles: true, cancelable: true})); }",
        keys,
    )


def test_type_ahead_selects_the_next_shown_span_by_name(context, large_run):
    page, log = open_page(context, large_run["page"])
    ready(page)
    tree = page.locator(".tree")
    tree.focus()
    wait_active(page, "root")
    # "s": from the root ("coding agent") to the next name starting with s, the first step
    page.keyboard.press("s")
    wait_active(page, "s0")
    assert page.locator(".tree .vnode[data-span-id='s0'] > .row").get_attribute("aria-selected") == "true"
    # "e" alone, after a pause: no name starts with it, the selection stays
    page.wait_for_timeout(800)
    page.keyboard.press("e")
    page.wait_for_timeout(100)
    assert active_id(page) == "s0"
    # "se" typed quickly refines: from the first step to its retrieval, "search docs"
    page.wait_for_timeout(800)
    type_keys(page, "se")
    wait_active(page, "s0.ret")
    # and "su" to the first sub-agent, in step 3
    page.wait_for_timeout(800)
    type_keys(page, "su")
    wait_active(page, "s3.sub")
    # from the last shown row it wraps around to the root and scrolls it into view
    page.keyboard.press("End")
    page.wait_for_function("(id) => document.querySelector('.tree').getAttribute('aria-activedescendant') !== 'vr-0'")
    page.wait_for_timeout(800)
    page.keyboard.press("c")
    wait_active(page, "root")
    page.wait_for_function(
        "() => { const r = document.querySelector(\".tree .vnode[data-span-id='root']\").getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= innerHeight; }"
    )
    # letters typed in the search box search, they do not move the tree
    page.locator(".trace-head input.span-search").type("s")
    page.wait_for_timeout(300)
    assert active_id(page) == "root"
    assert_clean(log, "type-ahead")


PARALLEL_STEPS = 400


@pytest.fixture(scope="module")
def parallel_run(tmp_path_factory) -> dict:
    """A large run whose steps each wait on a slow build while a quicker cache fetch runs beside
    it: the root, the steps and the builds are on the critical path, the fetches are not."""
    root = tmp_path_factory.mktemp("parallel-run")
    src = root / "pipeline.jsonl"
    t0 = 1740787200.0
    spans = [{"span_id": "root", "name": "pipeline", "kind": "agent", "start_time": t0,
              "end_time": t0 + PARALLEL_STEPS * 0.02}]
    for k in range(PARALLEL_STEPS):
        s = t0 + k * 0.02
        spans.append({"span_id": f"p{k}", "parent_id": "root", "name": f"stage {k}", "kind": "chain",
                      "start_time": round(s, 6), "end_time": round(s + 0.02, 6)})
        spans.append({"span_id": f"p{k}.fetch", "parent_id": f"p{k}", "name": "fetch cache", "kind": "tool",
                      "start_time": round(s + 0.001, 6), "end_time": round(s + 0.005, 6)})
        spans.append({"span_id": f"p{k}.build", "parent_id": f"p{k}", "name": "build module", "kind": "tool",
                      "start_time": round(s + 0.002, 6), "end_time": round(s + 0.019, 6)})
    with src.open("w", encoding="utf-8") as f:
        for span in spans:
            span["trace_id"] = "pipeline"
            f.write(json.dumps(span) + "\n")
    out = root / "report"
    render(cli_path(), [src], out)
    page = out / "runs" / "pipeline.html"
    assert page.is_file()
    return {"page": page, "spans": spans}


def drawn_rows(page) -> list[int]:
    """Rows drawn: [on the critical path, off it]."""
    return page.evaluate(
        "[document.querySelectorAll('.tree .vnode[data-critical=\"true\"]').length,"
        " document.querySelectorAll('.tree .vnode:not([data-critical])').length]"
    )


def test_critical_path_toggle_shows_only_the_path_and_back(context, parallel_run):
    total = len(parallel_run["spans"])
    assert total > 1000
    critical = 1 + 2 * PARALLEL_STEPS
    page, log = open_page(context, parallel_run["page"])
    ready(page)
    assert shown_rows(page) == total
    on_path, off_path = drawn_rows(page)
    assert on_path > 0 and off_path > 0
    # the path's names are bold, the others not
    weights = page.evaluate(
        "[getComputedStyle(document.querySelector(\".tree .vnode[data-span-id='p0.build'] .span-link\")).fontWeight,"
        " getComputedStyle(document.querySelector(\".tree .vnode[data-span-id='p0.fetch'] .span-link\")).fontWeight]"
    )
    assert int(weights[0]) >= 600 and int(weights[1]) < 600, weights
    # select a span off the path, then show only the path: the selection moves onto it
    page.locator(".tree .vnode[data-span-id='p2.fetch'] .col-dur").click()
    wait_selected(page, "p2.fetch")
    toggle = page.locator(".trace-head button.critical-only-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    page.wait_for_function("() => document.querySelector('.critical-only-toggle').getAttribute('aria-pressed') === 'true'")
    page.wait_for_function(
        "(n) => Math.round(parseFloat(document.querySelector('.tree').style.height)"
        " / document.querySelector('.tree .vnode').getBoundingClientRect().height) === n",
        arg=critical,
    )
    page.wait_for_function("() => document.querySelectorAll('.tree .vnode:not([data-critical])').length === 0")
    assert drawn_rows(page)[0] > 0
    wait_selected(page, "root")
    # arrow keys walk the path: root, stage 0, its build (the fetch is left out)
    page.locator(".tree").focus()
    page.keyboard.press("ArrowDown")
    wait_active(page, "p0")
    page.keyboard.press("ArrowDown")
    wait_active(page, "p0.build")
    page.keyboard.press("ArrowDown")
    wait_active(page, "p1")
    # off again: the whole tree, the selection kept
    toggle.click()
    page.wait_for_function("() => document.querySelector('.critical-only-toggle').getAttribute('aria-pressed') === 'false'")
    page.wait_for_function("() => document.querySelectorAll('.tree .vnode:not([data-critical])').length > 0")
    assert shown_rows(page) == total
    wait_selected(page, "p1")
    # a link to a span off the path shows the whole tree again
    toggle.click()
    page.wait_for_function("() => document.querySelectorAll('.tree .vnode:not([data-critical])').length === 0")
    page.evaluate("location.hash = '#s-p7.fetch'")
    wait_selected(page, "p7.fetch")
    assert toggle.get_attribute("aria-pressed") == "false"
    assert_clean(log, "critical path")



def test_no_critical_path_toggle_when_no_span_is_on_the_path(context, tmp_path):
    # OTLP spans without times: drawn in order, none on a critical path
    trace = "0af7651916cd43dd8448eb211c80319c"
    spans = [{"traceId": trace, "spanId": "%016x" % 1, "name": "agent"}]
    spans += [{"traceId": trace, "spanId": "%016x" % (k + 2), "parentSpanId": "%016x" % 1, "name": f"step {k}"}
              for k in range(1100)]
    src = tmp_path / "untimed.json"
    src.write_text(json.dumps({"resourceSpans": [{"resource": {"attributes": []}, "scopeSpans": [{"spans": spans}]}]}))
    out = tmp_path / "report"
    render(cli_path(), [src], out)
    page, log = open_page(context, out / "runs" / f"{trace}.html")
    ready(page)
    assert page.locator(".trace-head .expand-all").count() == 1
    assert page.locator(".trace-head .critical-only-toggle").count() == 0
    assert row_count(page) > 0 and drawn_rows(page)[0] == 0
    # type-ahead works without times too
    page.locator(".tree").focus()
    page.keyboard.press("s")
    wait_active(page, ids_of(page)[1])
    assert_clean(log, "no critical path")


def ids_of(page) -> list[str]:
    return page.evaluate("window.traceReport.spanIds()")
