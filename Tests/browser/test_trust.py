"""Real-browser checks of what a report must not hide or mangle: the Problems section on the
index, index previews the filter finds, and the raw/rendered toggle and copy button of each
text field on run pages."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from browser_support import REPO, cli_path, open_page

TABLE_ANSWER = "Here are the plans:\n\n| Plan | Price |\n|---|--:|\n| **Pro** | $20 |\n| <img src=x onerror=alert(1)> | $50 |"
TOOL_JSON = json.dumps({"city": "Lisbon", "summary": "sunny \u2013 dry"}, ensure_ascii=True)


@pytest.fixture(scope="module")
def trust_report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("trust")
    spans = [
        {"trace_id": "plans", "span_id": "r", "name": "pricing-bot", "kind": "agent", "start_time": 0, "end_time": 2,
         "input": {"message": "Which plan fits a team of 12 penguins?"}, "output": TABLE_ANSWER,
         "metadata": {"release": "2026.01-zebra"}},
        {"trace_id": "plans", "span_id": "t", "parent_id": "r", "name": "get_forecast", "kind": "tool",
         "start_time": 0.5, "end_time": 1, "output": TOOL_JSON},
    ]
    call = {"id": "call_Qm3s7", "type": "function", "function": {"name": "get_forecast", "arguments": "{\"city\": \"Lisbon\"}"}}
    spans += [
        {"trace_id": "tools", "span_id": "r", "name": "weather-bot", "kind": "agent", "start_time": 0, "end_time": 4},
        {"trace_id": "tools", "span_id": "m1", "parent_id": "r", "name": "plan", "kind": "llm", "start_time": 0, "end_time": 1,
         "input": [{"role": "user", "content": "Weather?"}], "output": {"role": "assistant", "content": None, "tool_calls": [call]}},
        {"trace_id": "tools", "span_id": "tool1", "parent_id": "r", "name": "get_forecast", "kind": "tool", "start_time": 1,
         "end_time": 2, "metadata": {"tool_call_id": "call_Qm3s7"}},
        {"trace_id": "tools", "span_id": "m2", "parent_id": "r", "name": "answer", "kind": "llm", "start_time": 2, "end_time": 3,
         "input": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "content": None, "tool_calls": [call]},
                   {"role": "tool", "tool_call_id": "call_Qm3s7", "content": "sunny"}], "output": "Sunny."},
    ]
    stack = "\n".join(f'  File "agent.py", line {i}, in step' for i in range(1, 41)) + "\nTimeoutError: search took longer than 30 s"
    spans += [
        {"trace_id": "fails", "span_id": "r", "name": "agent", "kind": "agent", "start_time": 0, "end_time": 4},
        {"trace_id": "fails", "span_id": "p", "parent_id": "r", "name": "research", "kind": "chain", "start_time": 0, "end_time": 3},
        {"trace_id": "fails", "span_id": "c", "parent_id": "p", "name": "search", "kind": "tool", "start_time": 1, "end_time": 2,
         "error": {"type": "TimeoutError", "message": "search took longer than 30 s", "stack": stack}},
    ]
    trace = root / "plans.jsonl"
    trace.write_text("".join(json.dumps(s) + "\n" for s in spans), "utf-8")
    out = root / "report"
    proc = subprocess.run(
        [str(cli_path()), "render", str(REPO / "Examples" / "broken-lines" / "trace.jsonl"), str(trace), "-o", str(out)],
        capture_output=True, text=True, cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    return out


def test_problems_section_counts_names_and_folds(context, trust_report):
    page, log = open_page(context, trust_report / "index.html")
    section = page.locator("section[data-problems]")
    assert section.is_visible()
    text = section.inner_text()
    assert "12 skipped lines" in text and "1 dropped field" in text and "1 repaired span" in text
    assert page.locator("[data-lost-run='broken-demo-bad']").is_visible()
    # Fourteen problems start folded; opening the list shows each with file and line.
    first = section.locator("li.problem").first
    assert not first.is_visible()
    section.locator("details.problem-list > summary").click()
    assert first.is_visible()
    assert first.locator(".problem-place").inner_text() == "trace.jsonl:3"
    assert log.page_errors == [] and log.console_errors == []


def test_index_filter_finds_a_run_by_its_question(context, trust_report):
    page, _ = open_page(context, trust_report / "index.html")
    preview = page.locator("tr[data-run-id='plans'] .preview[data-preview='input']")
    assert preview.is_visible()
    assert preview.get_attribute("title") == "Which plan fits a team of 12 penguins?"
    box = preview.bounding_box()
    assert box is not None and box["height"] < 24, "a preview is one line"
    page.fill("#filter", "penguins")
    page.wait_for_timeout(400)
    visible = page.eval_on_selector_all("#runs tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.dataset.runId)")
    assert visible == ["plans"]
    # Metadata values are found too, though not shown in the row.
    page.fill("#filter", "zebra")
    page.wait_for_timeout(400)
    visible = page.eval_on_selector_all("#runs tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.dataset.runId)")
    assert visible == ["plans"]
    assert not page.locator("tr[data-run-id='plans'] .run-meta-text").is_visible()


def test_text_fields_toggle_raw_and_copy(browser, trust_report):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page, log = open_page(context, trust_report / "runs" / "plans.html")
    answer = page.locator("[data-run-output] .tf[data-format='markdown']")
    assert answer.locator("table").is_visible(), "the pipe table renders as a table"
    assert answer.locator("img").count() == 0
    raw = answer.locator("pre.tf-raw")
    assert not raw.is_visible()
    toggle = answer.locator("button.tf-toggle")
    toggle.click()
    assert raw.is_visible() and not answer.locator("table").is_visible()
    assert raw.inner_text() == TABLE_ANSWER
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.click()
    assert answer.locator("table").is_visible() and not raw.is_visible()

    # The tool's JSON string is pretty-printed, its escape decoded; copy takes the text as written.
    page.locator("a.span-link", has_text="get_forecast").click()
    field = page.locator("article[data-span-id='t'] .tf[data-format='json']")
    assert "sunny \u2013 dry" in field.locator("pre.json").inner_text()
    copy = field.locator("button.tf-copy")
    copy.click()
    page.wait_for_function("b => b.dataset.state !== undefined", arg=copy.element_handle())
    assert copy.get_attribute("data-state") in ("copied", "selected")
    assert log.page_errors == [] and log.console_errors == []
    context.close()


def test_tool_call_and_result_link_both_ways(context, trust_report):
    page, log = open_page(context, trust_report / "runs" / "tools.html")
    page.locator("a.span-link", has_text="plan").click()
    call = page.locator("#call-call_Qm3s7")
    assert call.is_visible()
    ident = call.locator(".tool-id")
    assert ident.inner_text().startswith("call_Qm3s7"), "the id is shown as written, not upper-cased"
    # Call -> result: the answer span opens at the result, labelled by the tool's name.
    call.locator("a.tool-link", has_text="result").click()
    result = page.locator("#result-call_Qm3s7")
    assert result.is_visible()
    assert page.locator("article[data-span-id='m2']").is_visible()
    label = result.locator("xpath=..").inner_text()
    assert "get_forecast" in label and "call_Qm3s7" in label
    # Result -> call, and call -> the tool span that ran it.
    result.click()
    assert call.is_visible() and page.locator("article[data-span-id='m1']").is_visible()
    call.locator("a.tool-link", has_text="tool span").click()
    assert page.locator("article[data-span-id='tool1']").is_visible()
    assert page.locator("article[data-span-id='tool1'] .tool-links a[href='#call-call_Qm3s7']").is_visible()
    assert log.page_errors == [] and log.console_errors == []


def test_failures_stay_visible(context, trust_report):
    page, log = open_page(context, trust_report / "runs" / "fails.html")
    research = page.locator("details.node[data-span-id='p']")
    marker = research.locator(":scope > summary .err-below")
    assert not marker.is_visible(), "an open parent shows its failing child itself"
    research.evaluate("d => { d.open = false; }")
    assert marker.is_visible() and marker.inner_text() == "1 failed below"
    # The exception's name, on the stack's last line, is visible without scrolling.
    research.evaluate("d => { d.open = true; }")
    page.locator("a.span-link[href='#s-c']").click()
    tail = page.locator("article[data-span-id='c'] pre.stack-tail")
    assert tail.is_visible()
    assert tail.evaluate("e => e.scrollHeight <= e.clientHeight + 1")
    assert tail.inner_text().rstrip().endswith("TimeoutError: search took longer than 30 s")
    assert not page.locator("article[data-span-id='c'] details.stack-head pre").is_visible(), "earlier lines are folded"
    assert log.page_errors == [] and log.console_errors == []
