"""The span tree as an ARIA tree (WAI-ARIA tree view pattern), on a page written by the CLI:
roles, levels, expanded and selected states, one Tab stop, arrow keys, Home/End, type-ahead.

axe-core is not available offline, so the tree rules it applies (aria-required-children,
aria-required-parent, aria-valid-attr-value, aria-allowed-attr for treeitem) are checked
here directly, plus Playwright's role engine for what assistive technology is given."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import REPO, cli_path, open_page, render

NAMES = [
    "triage-agent", "input_guardrail", "route_request", "transfer_to_billing_specialist",
    "billing-specialist", "plan_billing", "get_invoices", "get_invoices", "decide_credit",
    "issue_credit", "remember_resolution", "write_reply", "output_guardrail",
]

# The ARIA checks: every problem found, as text.
TREE_PROBLEMS = """() => {
  const problems = [];
  const implicitRole = e => e.getAttribute('role') || (e.tagName === 'DETAILS' ? 'group' : null);
  const trees = [...document.querySelectorAll('[role=tree]')];
  if (trees.length !== 1) problems.push('trees: ' + trees.length);
  const tree = trees[0];
  const items = [...document.querySelectorAll('[role=treeitem]')];
  if (!items.length) problems.push('no treeitems');
  for (const item of items) {
    const id = item.closest('.node')?.dataset.spanId;
    let p = item.parentElement;
    while (p && !implicitRole(p)) p = p.parentElement;
    // a treeitem's row sits in its node: the node's own <details> is the item, not its group
    if (p && p.tagName === 'DETAILS' && p.firstElementChild === item) {
      p = p.parentElement;
      while (p && !implicitRole(p)) p = p.parentElement;
    }
    const parentRole = p && implicitRole(p);
    if (parentRole !== 'tree' && parentRole !== 'group') problems.push(id + ': parent role ' + parentRole);
    if (!tree.contains(item)) problems.push(id + ': outside the tree');
    const level = item.getAttribute('aria-level');
    if (!/^[1-9][0-9]*$/.test(level || '')) problems.push(id + ': aria-level ' + level);
    const node = item.closest('.node');
    if (String(+node.dataset.depth + 1) !== level) problems.push(id + ': level ' + level + ' at depth ' + node.dataset.depth);
    const expanded = item.getAttribute('aria-expanded');
    const parent = node.tagName === 'DETAILS' || node.classList.contains('parent');
    if (parent && expanded !== 'true' && expanded !== 'false') problems.push(id + ': aria-expanded ' + expanded);
    if (!parent && expanded !== null) problems.push(id + ': aria-expanded on a leaf');
    if (node.tagName === 'DETAILS' && expanded !== String(node.open)) problems.push(id + ': aria-expanded out of date');
    const selected = item.getAttribute('aria-selected');
    if (selected !== null && selected !== 'true' && selected !== 'false') problems.push(id + ': aria-selected ' + selected);
    if (!item.textContent.trim()) problems.push(id + ': no name');
  }
  const tabbable = [...tree.querySelectorAll('a[href], summary, button, input, [tabindex]')]
    .filter(e => e.tabIndex >= 0);
  if (tabbable.length !== 1) problems.push('tab stops in the tree: ' + tabbable.length);
  if (document.querySelectorAll('[role=treeitem][aria-selected=true]').length > 1) problems.push('several selected');
  return problems;
}"""


@pytest.fixture(scope="module")
def handoff_page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("a11y") / "report"
    render(cli_path(), [REPO / "Examples" / "multi-agent-handoff" / "trace.jsonl"], out)
    return next((out / "runs").glob("handoff-*.html"))


FOCUSED_NAME = (
    "() => { const e = document.activeElement; const r = e && e.closest('[role=treeitem]');"
    " return r ? r.querySelector('.span-link').textContent : null; }"
)


def focused_name(page) -> str:
    """The name of the focused tree row, once pending frames have run: arrow keys move the
    focus in the next animation frame, so that held keys cost one focus change per frame."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page.evaluate(FOCUSED_NAME)


def test_roles_levels_and_states(context, handoff_page):
    page, log = open_page(context, handoff_page)
    assert page.evaluate(TREE_PROBLEMS) == []
    assert page.get_by_role("tree").count() == 1
    items = page.get_by_role("treeitem")
    assert items.count() == len(NAMES)
    assert page.get_by_role("treeitem", level=1).count() == 1
    assert page.get_by_role("treeitem", expanded=True).count() == 3
    # collapsing a parent updates aria-expanded, and the checks still pass
    page.locator("details.node[data-depth='1'] > summary").first.evaluate("s => { s.parentElement.open = false; }")
    assert page.get_by_role("treeitem", expanded=False).count() == 1
    assert page.evaluate(TREE_PROBLEMS) == []
    assert not log.page_errors and not log.console_errors


def test_one_tab_stop_arrows_home_end_and_type_ahead(context, handoff_page):
    page, log = open_page(context, handoff_page)
    page.focus("#span-filter")
    page.keyboard.press("Tab")
    assert focused_name(page) == "triage-agent"
    page.keyboard.press("Tab")
    assert focused_name(page) is None, "the tree is one Tab stop"
    page.keyboard.press("Shift+Tab")
    assert focused_name(page) == "triage-agent"

    page.keyboard.press("ArrowDown")
    assert focused_name(page) == "input_guardrail"
    assert page.get_by_role("treeitem", selected=True).count() == 1
    assert page.evaluate("() => document.activeElement.getAttribute('aria-selected')") == "true"
    page.keyboard.press("End")
    assert focused_name(page) == "output_guardrail"
    page.keyboard.press("Home")
    assert focused_name(page) == "triage-agent"
    # the Tab stop follows the selection
    assert page.evaluate("() => document.activeElement.tabIndex") == 0

    page.keyboard.type("wr")
    assert focused_name(page) == "write_reply"
    page.wait_for_timeout(800)
    page.keyboard.press("g")
    first = page.evaluate("() => document.activeElement.closest('.node').dataset.spanId")
    assert focused_name(page) == "get_invoices"
    page.keyboard.press("g")
    assert focused_name(page) == "get_invoices"
    assert page.evaluate("() => document.activeElement.closest('.node').dataset.spanId") != first
    page.wait_for_timeout(800)
    page.keyboard.type("is")
    assert focused_name(page) == "issue_credit"
    # the details pane follows
    assert page.locator(".span-detail.selected h2").inner_text().endswith("issue_credit")
    assert page.evaluate(TREE_PROBLEMS) == []
    assert not log.page_errors and not log.console_errors


def test_keys_pressed_faster_than_frames_still_move_one_row_each(context, handoff_page):
    """Held arrow keys: every press moves one row even when the focus has not caught up yet."""
    page, log = open_page(context, handoff_page)
    page.focus("#span-filter")
    page.keyboard.press("Tab")
    assert focused_name(page) == "triage-agent"
    # four presses inside one task: no animation frame runs between them
    page.evaluate(
        """() => { const t = document.activeElement;
          for (let i = 0; i < 4; i++) t.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true})); }"""
    )
    assert focused_name(page) == NAMES[4]
    assert page.get_by_role("treeitem", selected=True).count() == 1
    assert not log.page_errors and not log.console_errors
