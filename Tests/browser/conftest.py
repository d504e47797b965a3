"""Fixtures for the real-browser tests of the rendered report.

Environment:
  TRACE_REPORT_DIR       a folder made by `trace-report render … -o DIR`; when unset the
                         tests build the CLI and render every Examples/**/*.jsonl themselves.
  TRACE_REPORT_SCRATCH   scratch path for that `swift build` (default: .build).
  CHROMIUM               the browser executable (default: /usr/bin/chromium).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE / "fixtures"))

import make_fixtures  # noqa: E402


def _find_examples() -> list[Path]:
    return sorted(p for p in (REPO / "Examples").glob("**/*.jsonl") if p.is_file())


def _build_cli() -> Path:
    if shutil.which("swift") is None:
        pytest.fail("TRACE_REPORT_DIR is not set and `swift` is not on PATH to build trace-report")
    scratch = os.environ.get("TRACE_REPORT_SCRATCH", ".build")
    base = ["swift", "build", "--package-path", str(REPO), "--scratch-path", str(REPO / scratch)]
    build = subprocess.run(base + ["--product", "trace-report"], capture_output=True, text=True)
    if build.returncode != 0:
        pytest.fail(f"swift build failed ({build.returncode}):\n{build.stdout[-4000:]}\n{build.stderr[-4000:]}")
    bin_dir = subprocess.run(base + ["--show-bin-path"], capture_output=True, text=True, check=True).stdout.strip()
    exe = Path(bin_dir) / "trace-report"
    if not exe.is_file():
        pytest.fail(f"swift build succeeded but {exe} does not exist")
    return exe


def render(exe: Path, inputs: list[Path], out: Path) -> None:
    proc = subprocess.run(
        [str(exe), "render", *map(str, inputs), "-o", str(out)], capture_output=True, text=True, cwd=REPO
    )
    if proc.returncode != 0 or not (out / "index.html").is_file():
        pytest.fail(
            f"trace-report render exited {proc.returncode}:\nstdout:\n{proc.stdout[-4000:]}\nstderr:\n{proc.stderr[-4000:]}"
        )


@pytest.fixture(scope="session")
def cli() -> Path:
    return _build_cli()


@pytest.fixture(scope="session")
def rendered_dir(tmp_path_factory) -> Path:
    env = os.environ.get("TRACE_REPORT_DIR")
    if env:
        d = Path(env).resolve()
        if not (d / "index.html").is_file():
            pytest.fail(f"TRACE_REPORT_DIR={env} has no index.html")
        return d
    examples = _find_examples()
    if not examples:
        pytest.fail("no Examples/**/*.jsonl to render")
    out = tmp_path_factory.mktemp("report")
    render(_build_cli(), examples, out)
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


# Records what a page did: console errors, page errors, CSP violations, requests.
INIT_SCRIPT = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));
});
"""


@dataclass
class PageLog:
    url: str = ""
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_messages: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def other_requests(self) -> list[str]:
        own = self.url.split("#", 1)[0]
        return [u for u in self.requests if u.split("#", 1)[0] != own]


def open_page(context, path: Path, fragment: str = ""):
    """Open a report page from a file:// URL and record everything it does."""
    page = context.new_page()
    log = PageLog(url=path.resolve().as_uri())
    page.on("console", lambda m: (
        log.console_errors.append(m.text) if m.type in ("error", "assert") else None,
        log.csp_messages.append(m.text) if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text else None,
    ))
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    page.on("request", lambda r: log.requests.append(r.url))
    page.goto(log.url + fragment)
    page.wait_for_load_state("load")
    return page, log


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
