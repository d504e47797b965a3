"""The diff page `trace-report diff` writes, opened from file:// in Chromium: no network, no
CSP violation, the data-diff hooks on the aligned rows, the first difference pointed out and
open, the "Only changes" toggle, and markup in span names and outputs that never runs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser_support import REPO, cli_path, open_page

T0 = 1754900000.0


def diff(exe: Path, old: Path, new: Path, out: Path, *extra: str) -> None:
    proc = subprocess.run(
        [str(exe), "diff", str(old), str(new), "-o", str(out), *extra], capture_output=True, text=True, cwd=REPO
    )
    if proc.returncode != 0:
        pytest.fail(f"trace-report diff exited {proc.returncode}:\n{proc.stderr[-4000:]}")


def write_spans(path: Path, trace: str, spans: list[tuple]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for sid, parent, name, start, end, output in spans:
            record = {"trace_id": trace, "span_id": sid, "name": name, "kind": "tool" if parent else "agent",
                      "start_time": round(T0 + start, 3), "end_time": round(T0 + end, 3), "output": output}
            if parent:
                record["parent_id"] = parent
            f.write(json.dumps(record) + "\n")


@pytest.fixture(scope="module")
def eval_diff(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("diff") / "eval"
    loop = REPO / "Examples" / "eval-ci"
    diff(cli_path(), loop / "baseline.jsonl", loop / "candidate.jsonl", out, "--match-on", "metadata.case_id")
    return out


@pytest.fixture(scope="module")
def hostile_diff(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    name = '<img src=x onerror="window.__xss=1">'
    write_spans(root / "old.jsonl", "h1", [
        ("root", None, name, 0, 1, "<script>window.__xss=2</script> old"),
        ("t", "root", "<svg onload=window.__xss=3>", 0.1, 0.2, "<b onmouseover=window.__xss=4>x</b>"),
    ])
    write_spans(root / "new.jsonl", "h2", [
        ("root", None, name, 0, 1, "<script>window.__xss=2</script> new"),
        ("t2", "root", "</li><script>window.__xss=5</script>", 0.1, 0.2, "<iframe src=javascript:window.__xss=6>"),
    ])
    diff(cli_path(), root / "old.jsonl", root / "new.jsonl", root / "out")
    return root / "out" / "h2.html"


def assert_clean(page, log, where: str) -> None:
    assert not log.page_errors, f"{where}: page errors {log.page_errors}"
    assert not log.console_errors, f"{where}: console errors {log.console_errors}"
    assert not log.csp_messages, f"{where}: CSP messages {log.csp_messages}"
    assert page.evaluate("window.__cspViolations") == [], f"{where}: CSP violations"
    assert not log.other_requests(), f"{where}: network requests {log.other_requests()}"


def test_diff_page_hooks_and_first_difference(context, eval_diff):
    page, log = open_page(context, eval_diff / "eval-docsqa-candidate-002.html")
    rows = page.eval_on_selector_all(".diff-row", "rs => rs.map(r => [r.dataset.spanId, r.dataset.diff])")
    assert rows == [["r2", "changed"], ["r2-emb", "same"], ["r2-ret", "changed"], ["r2-llm", "changed"],
                    ["r2-judge", "changed"]]
    first = page.locator("[data-first-difference]")
    expect(first).to_have_count(1)
    assert first.get_attribute("data-span-id") == "r2-ret"
    # Its details are open: the changed retrieval output is visible as a line diff.
    expect(first.locator("ins.dl", has_text="id: config/http-v1")).to_be_visible()
    expect(first.locator("del.dl", has_text="id: config/http")).to_be_visible()
    # The header's link goes to it.
    page.click(".diff-first-summary a")
    page.wait_for_function("() => location.hash === '#first-difference'")
    # The final output's difference is in the header.
    expect(page.locator(".diff-final ins.dl")).to_contain_text("60 seconds")
    assert_clean(page, log, "diff page")


def test_only_changes_toggle_hides_same_rows(context, eval_diff):
    page, log = open_page(context, eval_diff / "eval-docsqa-candidate-002.html")
    same = page.locator(".diff-row[data-diff='same']")
    expect(same).to_be_visible()
    page.check("#diff-only-changes")
    expect(same).to_be_hidden()
    expect(page.locator(".diff-row[data-diff='changed']").first).to_be_visible()
    page.uncheck("#diff-only-changes")
    expect(same).to_be_visible()
    assert_clean(page, log, "diff page toggle")


def test_diff_index_links_to_each_first_difference(context, eval_diff):
    page, log = open_page(context, eval_diff / "index.html")
    changed = page.locator("tr[data-final='changed']")
    expect(changed).to_have_count(2)
    changed.first.locator("td:last-child a").click()
    page.wait_for_url("**/eval-docsqa-candidate-002.html#first-difference")
    expect(page.locator("[data-first-difference]")).to_have_attribute("data-span-id", "r2-ret")
    # The only request besides the index is the page the link opened, from the same folder.
    assert log.other_requests() == [(eval_diff / "eval-docsqa-candidate-002.html").resolve().as_uri()]
    log.requests.clear()
    assert_clean(page, log, "diff index")


def test_diff_page_works_without_javascript(nojs_context, eval_diff):
    page = nojs_context.new_page()
    page.goto((eval_diff / "eval-docsqa-candidate-005.html").resolve().as_uri())
    first = page.locator("[data-first-difference]")
    assert first.get_attribute("data-span-id") == "r5-ret"
    expect(first.locator("ins.dl").first).to_be_visible()


def test_markup_in_names_and_outputs_never_runs(context, hostile_diff):
    dialogs: list[str] = []
    page, log = open_page(context, hostile_diff)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    # Open every row so all the text is laid out.
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    expect(page.locator(".diff-row")).to_have_count(3)
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, b, .diff-tree script').length") == 0
    names = page.eval_on_selector_all(".diff-name", "ns => ns.map(n => n.textContent)")
    assert names[0] == '<img src=x onerror="window.__xss=1">'
    assert "</li><script>window.__xss=5</script>" in names
    assert page.locator(".diff-row").nth(0).get_attribute("data-diff") == "changed"
    assert not dialogs
    assert_clean(page, log, "hostile diff page")
