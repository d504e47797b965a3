"""The critical path on a run page written by the CLI: marked rows, segments on the bars,
the header line, and the "Critical path only" toggle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from browser_support import cli_path, open_page, render

T0 = 1740787200.0


def write_parallel_tools(path: Path) -> None:
    """A plan, three tool calls in parallel, then an answer that waits for the slowest."""
    spans = [
        ("root", None, "agent", "agent", 0.0, 1.0),
        ("plan", "root", "plan", "llm", 0.0, 0.1),
        ("search-a", "root", "search A", "tool", 0.1, 0.4),
        ("search-b", "root", "search B", "tool", 0.1, 0.6),
        ("search-c", "root", "search C", "tool", 0.12, 0.3),
        ("answer", "root", "answer", "llm", 0.6, 0.9),
    ]
    with path.open("w", encoding="utf-8") as f:
        for sid, parent, name, kind, start, end in spans:
            f.write(json.dumps({"trace_id": "parallel", "span_id": sid, "parent_id": parent, "name": name,
                                "kind": kind, "start_time": round(T0 + start, 3), "end_time": round(T0 + end, 3)}) + "\n")


@pytest.fixture(scope="module")
def parallel_page(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("critical")
    write_parallel_tools(root / "parallel.jsonl")
    render(cli_path(), [root / "parallel.jsonl"], root / "report")
    return root / "report" / "runs" / "parallel.html"


def visible_ids(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('.tree .node')]
             .filter(n => n.checkVisibility()).map(n => n.getAttribute('data-span-id'))"""
    )


def test_critical_rows_segments_and_summary(context, parallel_page):
    page, log = open_page(context, parallel_page)
    critical = page.eval_on_selector_all(".tree .node[data-critical='true']", "ns => ns.map(n => n.dataset.spanId)")
    assert critical == ["root", "plan", "search-b", "answer"]
    # each critical row draws its stretches; search A and C draw none
    segs = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.tree .node')].map(n =>
        [n.dataset.spanId, n.querySelector(':scope > .row .crit-seg') ? n.querySelectorAll(':scope > .row .crit-seg').length : 0]))""")
    assert segs == {"root": 1, "plan": 1, "search-a": 0, "search-b": 1, "search-c": 0, "answer": 1}
    box = page.locator(".node[data-span-id='search-b'] > .row .crit-seg").bounding_box()
    assert box and box["width"] > 50
    summary = page.locator("[data-critical-summary]")
    assert summary.is_visible()
    text = summary.inner_text()
    assert "tool 50.0%" in text and "llm 40.0%" in text and "agent 10.0%" in text, text
    assert not log.page_errors and not log.console_errors


def test_toggle_shows_only_the_critical_path(context, parallel_page):
    page, log = open_page(context, parallel_page)
    button = page.get_by_role("button", name="Critical path only")
    assert button.get_attribute("aria-pressed") == "false"
    assert visible_ids(page) == ["root", "plan", "search-a", "search-b", "search-c", "answer"]
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert visible_ids(page) == ["root", "plan", "search-b", "answer"]
    # collapsing the root and toggling again opens it so the whole path shows
    button.click()
    assert button.get_attribute("aria-pressed") == "false"
    assert visible_ids(page) == ["root", "plan", "search-a", "search-b", "search-c", "answer"]
    page.evaluate("() => { document.querySelector(\"details.node[data-span-id='root']\").open = false; }")
    assert visible_ids(page) == ["root"]
    button.click()
    assert visible_ids(page) == ["root", "plan", "search-b", "answer"]
    assert not log.page_errors and not log.console_errors
