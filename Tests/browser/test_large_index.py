"""Real-browser checks of the index of a large report, as the CLI writes it for thousands of
small runs: rows drawn from data in the page (only those in view), sorting, filtering, score
columns, runs opened in place, standalone pages for the runs that matter, no network and no
script from content."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from browser_support import REPO, cli_path, open_page, write_small_runs

RUNS = 6000
ASKED = "run-000050"


@pytest.fixture(scope="module")
def large_report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("large-index")
    trace = root / "runs.jsonl"
    write_small_runs(trace, RUNS)
    out = root / "report"
    proc = subprocess.run(
        [str(cli_path()), "render", str(trace), "--page", ASKED, "-q", "-o", str(out)],
        capture_output=True, text=True, cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    assert (out / "index.html").is_file()
    return out


def open_index(context, report: Path, fragment: str = ""):
    page, log = open_page(context, report / "index.html", fragment)
    page.wait_for_function("() => document.querySelector('table.runs').dataset.loaded === 'true'", timeout=60000)
    return page, log


def drawn(page, key: str) -> list[str]:
    return page.eval_on_selector_all(
        "#runs tbody tr[data-run-id]",
        f"rows => rows.map(r => r.querySelector('td[data-key=\"{key}\"]').dataset.value)",
    )


def drawn_ids(page) -> list[str]:
    return page.eval_on_selector_all("#runs tbody tr[data-run-id]", "rows => rows.map(r => r.dataset.runId)")


def assert_clean(page, log) -> None:
    assert log.page_errors == [], log.page_errors
    assert log.console_errors == [], log.console_errors
    assert log.csp_messages == [], log.csp_messages
    assert page.evaluate("() => window.__cspViolations") == []
    assert log.other_requests() == [], log.other_requests()


def test_rows_in_view_only_and_every_run_id(context, large_report):
    page, log = open_index(context, large_report)
    rows = page.locator("#runs tbody tr[data-run-id]")
    assert 0 < rows.count() < 200
    assert drawn_ids(page)[:3] == ["run-000000", "run-000001", "run-000002"]
    ids = page.evaluate("() => Promise.resolve(window.traceReport.runIds())")
    assert len(ids) == RUNS
    assert set(ids) == {"run-%06d" % i for i in range(RUNS)}
    assert page.locator("#more-runs").is_hidden()
    # Scrolling to the end draws the last rows, and still only a few.
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("() => [...document.querySelectorAll('#runs tbody tr[data-run-id]')]"
                           ".some(r => r.dataset.runId === 'run-%06d')" % (RUNS - 1))
    assert rows.count() < 200
    for attr in ("data-status",):
        assert rows.first.get_attribute(attr) in ("ok", "error")
    assert_clean(page, log)


def sort(page, key: str, direction: str) -> None:
    header = page.locator(f'th[data-key="{key}"]')
    for _ in range(2):
        current = header.get_attribute("aria-sort")
        if current == direction:
            return
        header.click()
        page.wait_for_function(
            "([key, before]) => document.querySelector(`th[data-key=\"${key}\"]`).getAttribute('aria-sort') !== before",
            arg=[key, current])
    assert header.get_attribute("aria-sort") == direction


@pytest.mark.parametrize("key", ["start", "name", "status", "duration", "spans", "errors", "tokens", "cost",
                                 "score:helpfulness", "labels"])
def test_sort_by_each_column(context, large_report, key):
    page, log = open_index(context, large_report)
    numeric = page.locator(f'th[data-key="{key}"]').get_attribute("data-type") == "num"
    for direction in ("ascending", "descending"):
        sort(page, key, direction)
        values = drawn(page, key)
        present = [v for v in values if v != ""]
        # Missing values come last in both directions.
        assert values[:len(present)] == present
        if numeric:
            nums = [float(v) for v in present]
            assert nums == sorted(nums, reverse=direction == "descending"), (key, direction, nums)
        else:
            # Text sorts as the index always has: the browser's collation, numbers by value.
            assert page.evaluate(
                """([values, sign]) => {
                    const c = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
                    return values.every((v, i) => i === 0 || c.compare(values[i - 1], v) * sign <= 0);
                }""", [present, -1 if direction == "descending" else 1]), (key, direction, present)
    assert_clean(page, log)


def test_filter_and_status(context, large_report):
    page, log = open_index(context, large_report)
    page.fill("#filter", "#1234")
    page.wait_for_function("() => document.querySelector('.controls .count').textContent === '1 of %d runs'" % RUNS)
    assert drawn_ids(page) == ["run-001234"]
    page.fill("#filter", "")
    page.select_option("#status-filter", "error")
    failed = len([i for i in range(RUNS) if i % 40 == 17])
    page.wait_for_function("() => document.querySelector('.controls .count').textContent === '%d of %d runs'"
                           % (failed, RUNS))
    statuses = page.eval_on_selector_all("#runs tbody tr[data-run-id]", "rows => rows.map(r => r.dataset.status)")
    assert statuses and set(statuses) == {"error"}
    assert_clean(page, log)


def test_score_column(context, large_report):
    page, log = open_index(context, large_report)
    cells = page.locator('#runs tbody tr[data-run-id] td[data-key="score:helpfulness"] .score-value')
    assert cells.count() > 0
    assert page.locator('.score-summary tr[data-score="helpfulness"]').count() == 1
    assert_clean(page, log)


def test_run_without_a_page_opens_in_place(context, large_report):
    assert not (large_report / "runs" / "run-000100.html").exists()
    page, log = open_index(context, large_report)
    page.fill("#filter", "run-000100")
    page.wait_for_function("() => document.querySelector('.controls .count').textContent === '1 of %d runs'" % RUNS)
    link = page.locator('#runs tbody tr[data-run-id="run-000100"] td[data-key="name"] a')
    assert link.get_attribute("href") == "#run/run-000100"
    link.click()
    page.wait_for_selector("#inplace-run .tree .row")
    assert page.locator("#inplace-run").get_attribute("data-run-id") == "run-000100"
    assert page.locator(".index-main").is_hidden()
    assert page.locator("#inplace-run .tree .node[data-span-id]").count() == 3
    page.locator("#inplace-run .node[data-span-id='t'] .span-link").click()
    page.wait_for_selector("#inplace-run article.span-detail.selected")
    detail = page.locator("#inplace-run article.span-detail.selected")
    assert detail.get_attribute("data-span-id") == "t"
    assert "lookup_" in detail.inner_text()
    page.locator(".inplace-back").click()
    page.wait_for_function("() => !document.getElementById('inplace-run')")
    assert page.locator(".index-main").is_visible()
    assert_clean(page, log)


def test_pages_for_the_runs_that_matter(context, large_report):
    pages = {p.stem for p in (large_report / "runs").glob("*.html")}
    assert "run-000017" in pages, "a failed run has its own page"
    assert ASKED in pages, "a run asked for with --page has its own page"
    assert {"run-%06d" % i for i in range(20)} <= pages, "the rows shown without JavaScript have pages"
    assert len(pages) <= 50 + 1
    page, log = open_page(context, large_report / "runs" / "run-000017.html")
    assert page.locator(".tree .node[data-span-id]").count() == 3
    assert_clean(page, log)


def test_saved_page_is_the_standalone_page(context, large_report):
    page, log = open_index(context, large_report, "#run/run-000017")
    page.wait_for_selector("#inplace-run .tree .row")
    with page.expect_download() as download:
        page.locator(".inplace-save").click()
    saved = Path(download.value.path()).read_bytes()
    assert saved == (large_report / "runs" / "run-000017.html").read_bytes()
    assert_clean(page, log)


def test_markup_in_run_names_never_runs(context, large_report):
    page, log = open_index(context, large_report)
    page.fill("#filter", "run-000003")
    page.wait_for_function("() => document.querySelector('.controls .count').textContent === '1 of %d runs'" % RUNS)
    name = page.locator('#runs tbody tr[data-run-id="run-000003"] td[data-key="name"] a')
    assert "<img" in name.inner_text()
    page.evaluate("() => { location.hash = '#run/run-000003'; }")
    page.wait_for_selector("#inplace-run .tree .row")
    assert "<script>" in page.locator("#inplace-run .run-name").inner_text()
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("#inplace-run img, #runs img").count() == 0
    assert_clean(page, log)


def test_without_javascript_first_rows_and_a_note(nojs_context, large_report):
    page = nojs_context.new_page()
    page.goto((large_report / "index.html").resolve().as_uri())
    ids = drawn_ids(page)
    assert ids == ["run-%06d" % i for i in range(20)]
    note = page.locator("#more-runs")
    assert note.is_visible()
    assert "Showing the first 20 of 6,000 runs" in note.inner_text()
    for href in page.eval_on_selector_all("#runs tbody a", "as => as.map(a => a.getAttribute('href'))"):
        assert href.startswith("runs/") and (large_report / href).is_file()


def test_run_in_the_middle_of_a_later_chunk_opens_whole(context, large_report, tmp_path):
    # Page bodies are packed 256 runs to a chunk with their digits apart: run 4,500 is the 149th
    # of the 18th chunk. Opened in place and saved, it is byte for byte the page --page writes.
    wanted = "run-004500"
    assert not (large_report / "runs" / f"{wanted}.html").exists()
    out = tmp_path / "asked"
    proc = subprocess.run(
        [str(cli_path()), "render", str(large_report.parent / "runs.jsonl"), "--page", wanted, "-q", "-o", str(out)],
        capture_output=True, text=True, cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    page, log = open_index(context, large_report, f"#run/{wanted}")
    page.wait_for_selector("#inplace-run .tree .row")
    assert page.locator("#inplace-run").get_attribute("data-run-id") == wanted
    assert f"#{4500}" in page.locator("#inplace-run .run-name").inner_text()
    with page.expect_download() as download:
        page.locator(".inplace-save").click()
    assert Path(download.value.path()).read_bytes() == (out / "runs" / f"{wanted}.html").read_bytes()
    assert_clean(page, log)


def test_failure_list_draws_its_carried_runs_when_opened(context, large_report):
    # 6,000 runs, one in 40 fails: the group lists its first 100 runs and carries the rest.
    page, log = open_index(context, large_report)
    group = page.locator("li.failure-group:has(script.failure-runs-data)").first
    total = int(group.get_attribute("data-count"))
    assert total > 100
    assert group.locator("details.failure-runs li:has(a)").count() == 100
    assert "more runs" in group.locator("li.failure-more").text_content()
    group.locator("details.failure-runs > summary").click()
    page.wait_for_function(
        "(n) => { const ul = document.querySelector('li.failure-group:has(script.failure-runs-data) details ul');"
        " return ul.dataset.complete === 'true' && ul.querySelectorAll('li').length === n; }", arg=total)
    ids = group.locator("details.failure-runs li a[data-failure-run]").evaluate_all(
        "links => links.map(a => a.dataset.failureRun)")
    assert len(set(ids)) == total
    assert group.locator("li.failure-more").count() == 0
    assert_clean(page, log)
