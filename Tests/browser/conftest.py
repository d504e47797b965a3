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
    make_fixtures,
    render,
    write_deep_chain,
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
    out = tmp_path_factory.mktemp("report")
    render(cli_path(), examples, out)
    return out


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    """The hand-written sample pages with the current assets inlined."""
    return make_fixtures.build_site(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="session")
def big_sample_dir(tmp_path_factory) -> Path:
    return make_fixtures.build_site(tmp_path_factory.mktemp("big-sample"), [make_fixtures.big_run(20000)])


@pytest.fixture(params=["rendered", "sample"])
def site(request) -> Path:
    """Every check runs against real rendered output and against the sample pages."""
    if request.param == "rendered":
        return request.getfixturevalue("rendered_dir")
    return request.getfixturevalue("sample_dir")


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
