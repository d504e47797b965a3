"""Fixtures for the real-browser tests of the rendered report.

Environment:
  TRACE_REPORT_DIR       a folder made by `trace-report render … -o DIR`; when unset the
                         tests build the CLI and render every Examples/**/*.jsonl themselves.
  TRACE_REPORT_BIN       a built trace-report executable, used for the large generated
                         traces (default: build it with `swift build`).
  TRACE_REPORT_SCRATCH   scratch path for that `swift build` (default: .build).
  CHROMIUM               the browser executable (default: /usr/bin/chromium).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from browser_support import (
    INIT_SCRIPT,
    cli_path,
    find_examples,
    render,
    write_deep_chain,
    write_edge_cases,
    write_wide_trace,
)


@pytest.fixture(scope="session")
def large_rendered(tmp_path_factory) -> dict[str, Path]:
    """Run pages rendered by trace-report from generated 20,000-span traces."""
    root = tmp_path_factory.mktemp("large")
    write_deep_chain(root / "deep-chain.jsonl")
    write_wide_trace(root / "wide.jsonl")
    out = root / "report"
    render(cli_path(), [root / "deep-chain.jsonl", root / "wide.jsonl"], out)
    pages = {p.stem: p for p in (out / "runs").glob("*.html")}
    assert set(pages) >= {"deep-chain", "wide"}, sorted(pages)
    return pages


@pytest.fixture(scope="session")
def rendered_dir(tmp_path_factory) -> Path:
    env = os.environ.get("TRACE_REPORT_DIR")
    if env:
        d = Path(env).resolve()
        if not (d / "index.html").is_file():
            pytest.fail(f"TRACE_REPORT_DIR={env} has no index.html")
        return d
    examples = find_examples()
    if not examples:
        pytest.fail("no Examples/**/*.jsonl to render")
    root = tmp_path_factory.mktemp("rendered")
    write_edge_cases(root / "edge-cases.jsonl")
    out = root / "report"
    render(cli_path(), examples + [root / "edge-cases.jsonl"], out)
    return out


@pytest.fixture(scope="session")
def deep_page(tmp_path_factory) -> Path:
    """The run page trace-report writes for a generated chain 300 levels deep (rows below the
    renderer's nesting limit are written flat)."""
    root = tmp_path_factory.mktemp("deep")
    write_deep_chain(root / "deep-chain.jsonl", n=300)
    out = root / "report"
    render(cli_path(), [root / "deep-chain.jsonl"], out)
    return out / "runs" / "deep-chain.html"


@pytest.fixture
def site(rendered_dir) -> Path:
    """The report trace-report writes for every example."""
    return rendered_dir


@pytest.fixture(scope="session")
def browser():
    exe = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    ctx.add_init_script(INIT_SCRIPT)
    yield ctx
    ctx.close()


@pytest.fixture
def nojs_context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, java_script_enabled=False)
    yield ctx
    ctx.close()
