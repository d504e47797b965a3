"""Real-browser checks of the eval report: the index with a baseline, gates and facets sorts and
filters with JavaScript, reads correctly without it, and run pages copy their eval case."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from browser_support import REPO, cli_path

LOOP = REPO / "Examples" / "eval-ci"


@pytest.fixture(scope="module")
def eval_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("eval") / "report"
    proc = subprocess.run(
        [str(cli_path()), "render", str(LOOP / "candidate.jsonl"),
         "--scores", str(LOOP / "judge-scores.ndjson"),
         "--baseline", str(LOOP / "baseline.jsonl"), "--match-on", "metadata.case_id",
         "--fail-on-regression", "accuracy", "--facet", "release", "-o", str(out)],
        capture_output=True, text=True, cwd=REPO,
    )
    # The regression gate fails (exit 2) after the report is written in full.
    assert proc.returncode == 2, proc.stderr
    assert (out / "index.html").is_file()
    return out


def column_values(page, key: str) -> list[str]:
    return page.eval_on_selector_all(
        f"#runs tbody tr:not([hidden])",
        f"rows => rows.filter(r => r.offsetParent !== null).map(r => r.querySelector('td[data-key=\"{key}\"]').dataset.value)",
    )


def test_index_sorts_scores_and_filters_in_a_browser(browser, eval_report):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    url = (eval_report / "index.html").resolve().as_uri()
    page.goto(url)

    # Without a click the rows are in start order.
    starts = [float(v) for v in column_values(page, "start")]
    assert starts == sorted(starts)

    header = page.locator('th[data-key="score:accuracy"]')
    header.click()
    values = [float(v) for v in column_values(page, "score:accuracy")]
    assert values == sorted(values)
    assert header.get_attribute("aria-sort") == "ascending"
    header.click()
    values = [float(v) for v in column_values(page, "score:accuracy")]
    assert values == sorted(values, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"

    # Runs without a judge score sort last both ways.
    judge = page.locator('th[data-key="score:judge_helpfulness"]')
    judge.click()
    judged = column_values(page, "score:judge_helpfulness")
    assert judged[-1] == "" and all(v != "" for v in judged[:-1])

    page.fill("#filter", "stale docs retrieval")
    visible = page.eval_on_selector_all("#runs tbody tr", "rows => rows.filter(r => r.offsetParent !== null).map(r => r.dataset.runId)")
    assert sorted(visible) == ["eval-docsqa-candidate-002", "eval-docsqa-candidate-005"]
    page.fill("#filter", "")
    page.select_option("#status-filter", "error")
    visible = page.eval_on_selector_all("#runs tbody tr", "rows => rows.filter(r => r.offsetParent !== null).map(r => r.dataset.runId)")
    assert visible == ["eval-docsqa-candidate-004"]

    assert [u for u in requests if u != url] == []
    assert errors == []
    context.close()


def test_index_reads_correctly_without_javascript(browser, eval_report):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto((eval_report / "index.html").resolve().as_uri())
    assert page.locator("#runs tbody tr").count() == 7
    assert page.locator(".controls").is_hidden()
    # The gate, the score statistics, the deltas and the groups are all plain HTML.
    assert page.locator(".gate.gate-fail").is_visible()
    assert "2 runs regressed on accuracy" in page.locator(".gate.gate-fail").inner_text()
    assert page.locator('.score-summary tr[data-score="accuracy"]').is_visible()
    down = page.locator('tr[data-run-id="eval-docsqa-candidate-002"] .delta.delta-down').first
    assert down.is_visible() and down.inner_text() == "-1"
    assert page.locator('section.facet[data-facet="release"]').is_visible()
    assert page.locator('section.facet[data-facet="label"]').is_visible()
    starts = [float(v) for v in column_values(page, "start")]
    assert starts == sorted(starts)
    context.close()


def test_run_page_shows_and_copies_its_eval_case(browser, eval_report):
    page_path = eval_report / "runs" / "eval-docsqa-candidate-002.html"
    # Without JavaScript the row is there as text.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(page_path.resolve().as_uri())
    page.locator("details.eval-case > summary").click()
    text = page.locator("#eval-case-json").inner_text()
    assert text.startswith('{"id":"eval-docsqa-candidate-002"')
    context.close()
    # With JavaScript a button copies it.
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_path.resolve().as_uri())
    button = page.locator("button.copy-eval-case")
    assert button.count() == 1
    button.click()
    page.wait_for_function("() => document.querySelector('button.copy-eval-case').dataset.state !== undefined")
    assert button.get_attribute("data-state") in ("copied", "selected")
    assert errors == []
    context.close()
