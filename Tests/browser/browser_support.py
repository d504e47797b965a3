"""Helpers for the browser tests: building and running trace-report, generating large
traces, and opening report pages with everything they do recorded."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def find_examples() -> list[Path]:
    return sorted(p for p in (REPO / "Examples").glob("**/*.jsonl") if p.is_file())


def build_cli() -> Path:
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


_cli: list[Path] = []


def cli_path() -> Path:
    """The trace-report executable: $TRACE_REPORT_BIN, or built once per session."""
    if not _cli:
        env = os.environ.get("TRACE_REPORT_BIN")
        if env:
            if not Path(env).is_file():
                pytest.fail(f"TRACE_REPORT_BIN={env} does not exist")
            _cli.append(Path(env).resolve())
        else:
            _cli.append(build_cli())
    return _cli[0]


def write_edge_cases(path: Path) -> None:
    """A run with an unfinished span (no end time), an orphan whose parent was never recorded,
    and a tool error three levels down."""
    t0 = 1740787200.0
    spans = [
        {"trace_id": "edge-cases", "span_id": "root", "name": "edge agent", "kind": "agent",
         "start_time": t0, "end_time": t0 + 4, "input": "What breaks?", "output": "Several things."},
        {"trace_id": "edge-cases", "span_id": "plan", "parent_id": "root", "name": "plan", "kind": "llm",
         "model": "gpt-4o-mini", "start_time": t0 + 0.1, "end_time": t0 + 1.2,
         "usage": {"input_tokens": 120, "output_tokens": 30}},
        {"trace_id": "edge-cases", "span_id": "step", "parent_id": "root", "name": "step", "kind": "task",
         "start_time": t0 + 1.3, "end_time": t0 + 3.5},
        {"trace_id": "edge-cases", "span_id": "fetch", "parent_id": "step", "name": "fetch_page", "kind": "tool",
         "start_time": t0 + 1.4, "end_time": t0 + 2.0, "input": {"url": "https://example.com/a"},
         "error": {"type": "TimeoutError", "message": "read timed out after 0.6 s"}},
        {"trace_id": "edge-cases", "span_id": "wait", "parent_id": "root", "name": "wait for approval",
         "kind": "task", "start_time": t0 + 3.6},
        {"trace_id": "edge-cases", "span_id": "orphan", "parent_id": "never-recorded", "name": "late callback",
         "kind": "tool", "start_time": t0 + 2.5, "end_time": t0 + 2.7, "output": "ok"},
    ]
    with path.open("w", encoding="utf-8") as f:
        for span in spans:
            f.write(json.dumps(span) + "\n")


def write_deep_chain(path: Path, n: int = 20000) -> None:
    """The Examples/deep-chain trace: one chain n levels deep, deepest span first."""
    t0 = 1740787200
    with path.open("w", encoding="utf-8") as f:
        for i in reversed(range(n)):
            span = {"trace_id": "deep-chain", "span_id": "s%05d" % i, "name": "step %d" % i,
                    "kind": "agent" if i == 0 else "task",
                    "start_time": round(t0 + i / 1000, 3), "end_time": round(t0 + (2 * n - i) / 1000, 3),
                    "input": {"depth": i}}
            if i > 0:
                span["parent_id"] = "s%05d" % (i - 1)
            if i == n - 1:
                span["output"] = "reached the bottom"
            f.write(json.dumps(span, separators=(",", ":")) + "\n")


def write_wide_trace(path: Path, n: int = 20000) -> None:
    """One run of exactly n spans: an agent with turns of 9 steps each (tools, model
    calls, some errors), plus leaves under the root for the remainder."""
    kinds = ["llm", "tool", "retrieval", "embedding", "memory", "guardrail", "reasoning", "state", "eval"]
    t0 = 1740787200.0
    turns = (n - 1) // 10
    rest = n - 1 - turns * 10
    end = round(t0 + turns * 0.05 + 0.01, 3)
    with path.open("w", encoding="utf-8") as f:
        def emit(span):
            f.write(json.dumps(span, separators=(",", ":")) + "\n")
        emit({"trace_id": "wide", "span_id": "root", "name": "long conversation", "kind": "agent",
              "start_time": t0, "end_time": end})
        for t in range(turns):
            start = t0 + t * 0.05
            emit({"trace_id": "wide", "span_id": f"t{t}", "parent_id": "root", "name": f"turn {t}", "kind": "agent",
                  "start_time": round(start, 3), "end_time": round(start + 0.045, 3)})
            for j, kind in enumerate(kinds):
                span = {"trace_id": "wide", "span_id": f"t{t}-{j}", "parent_id": f"t{t}", "name": f"{kind} step {t}.{j}",
                        "kind": kind, "start_time": round(start + j * 0.004, 3), "end_time": round(start + j * 0.004 + 0.004, 3)}
                if kind == "llm":
                    span["usage"] = {"input_tokens": 100 + t % 50, "output_tokens": 20}
                if kind == "tool" and t % 97 == 0:
                    span["error"] = {"type": "TimeoutError", "message": "no answer"}
                emit(span)
        for r in range(rest):
            emit({"trace_id": "wide", "span_id": f"x{r}", "parent_id": "root", "name": f"cleanup {r}", "kind": "state",
                  "start_time": round(end - 0.005, 3), "end_time": end})


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
        log.console_errors.append(m.text)
        if m.type in ("error", "assert") or m.text.startswith("trace-report:") else None,
        log.csp_messages.append(m.text) if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text else None,
    ))
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    page.on("request", lambda r: log.requests.append(r.url))
    page.goto(log.url + fragment)
    page.wait_for_load_state("load")
    return page, log


_WORDS = ("the agent reads a file and checks each test before it writes the patch so that "
          "results stay correct when a tool call fails or the model answers with a plan "
          "search index query document page source retry timeout budget user request cache "
          "step summary context window token price latency error trace span").split()


def write_agent_run(path: Path, n: int, trace_id: str = "agent-run", seed: int = 7, xss: str = "") -> None:
    """One agent-shaped run of exactly n spans (about 500 bytes a span): an agent root with
    steps, each a model call, tool calls (some fail) and a retrieval, now and then a sub-agent
    one level deeper. `xss`, when given, goes into names, error messages and outputs."""
    import random
    rnd = random.Random(seed)
    t0 = 1740787200.0
    tools = ["read_file", "run_tests", "web_search", "write_patch", "list_dir"]
    models = ["gpt-4o-mini", "claude-sonnet-4", "gpt-4.1"]

    def text(k: int) -> str:
        return " ".join(rnd.choice(_WORDS) for _ in range(k))

    with path.open("w", encoding="utf-8") as f:
        count = 0

        def emit(span) -> None:
            nonlocal count
            if count >= n:
                return
            span["trace_id"] = trace_id
            f.write(json.dumps(span, separators=(",", ":"), ensure_ascii=False) + "\n")
            count += 1

        step_ms = 3.0
        total = (n / 4 + 1) * 6 * step_ms / 1000
        emit({"span_id": "root", "name": "coding agent" + xss, "kind": "agent", "start_time": t0,
              "end_time": round(t0 + total + 0.5, 6), "input": "Fix the failing tests in the repository."})
        t = 0
        clock = t0 + 0.001
        while count < n:
            sid = f"s{t}"
            start = clock
            emit({"span_id": sid, "parent_id": "root", "name": f"step {t}", "kind": "agent",
                  "start_time": round(start, 6), "end_time": round(start + 6 * step_ms / 1000, 6)})
            model = models[t % 3]
            emit({"span_id": f"{sid}.llm", "parent_id": sid, "name": f"chat {model}", "kind": "llm", "model": model,
                  "start_time": round(start + 0.0005, 6), "end_time": round(start + 0.002, 6),
                  "input": [{"role": "user", "content": text(45)}],
                  "output": {"role": "assistant", "content": "**Plan:** " + text(30) + xss},
                  "usage": {"input_tokens": 200 + t % 300, "output_tokens": 20 + t % 40, "cost": 0.0004}})
            tool = tools[t % len(tools)]
            span = {"span_id": f"{sid}.tool", "parent_id": sid, "name": tool, "kind": "tool",
                    "start_time": round(start + 0.0021, 6), "end_time": round(start + 0.004, 6),
                    "input": {"path": f"src/module_{t % 97}.py", "query": text(6)}, "output": text(40)}
            if t % 37 == 5:
                span["error"] = {"type": "TimeoutError", "message": "tool timed out: " + text(5) + xss}
                del span["output"]
            emit(span)
            emit({"span_id": f"{sid}.ret", "parent_id": sid, "name": "search docs", "kind": "retrieval",
                  "start_time": round(start + 0.0041, 6), "end_time": round(start + 0.005, 6),
                  "input": text(5), "output": [{"id": f"doc-{t % 53}", "text": text(10)}]})
            if t % 4 == 3:
                sub = f"{sid}.sub"
                emit({"span_id": sub, "parent_id": sid, "name": "sub-agent review", "kind": "agent",
                      "start_time": round(start + 0.0051, 6), "end_time": round(start + 0.0059, 6)})
                emit({"span_id": f"{sub}.llm", "parent_id": sub, "name": "review patch", "kind": "llm",
                      "model": model, "start_time": round(start + 0.0052, 6), "end_time": round(start + 0.0058, 6),
                      "input": text(10), "output": text(12), "usage": {"input_tokens": 90, "output_tokens": 12}})
            t += 1
            clock += 6 * step_ms / 1000


def write_small_runs(path: Path, n: int, seed: int = 7) -> None:
    """n small agent runs in the native format, about 830 bytes each: an agent root with a
    question, an answer and a score, one model call and one tool call. About one run in 40
    fails (a tool timeout that fails the run); every run's name carries its number, and run 3's
    name is an HTML payload that must never execute."""
    import random

    rng = random.Random(seed)
    topics = ["refund", "shipping", "invoice", "password", "upgrade", "cancel", "warranty", "address"]
    t0 = 1767225600.0
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            tid = "run-%06d" % i
            start = t0 + i * 7.3 + rng.random()
            topic = topics[rng.randrange(len(topics))]
            failed = i % 40 == 17
            name = f"support {topic} #{i}"
            if i == 3:
                name = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>"
            llm_end = start + 0.4 + rng.random()
            tool_end = llm_end + 0.05 + rng.random() * 0.3
            end = tool_end + 0.2 + rng.random() * 0.5
            question = f"Please check my {topic}, order A-{rng.randrange(10000, 99999)}."
            root = {"trace_id": tid, "span_id": "r", "name": name, "kind": "agent",
                    "start_time": round(start, 3), "end_time": round(end, 3),
                    "input": {"message": question},
                    "output": None if failed else f"I checked your {topic} request: it is **resolved**.",
                    "scores": {"helpfulness": round(rng.random(), 2)}}
            if i % 9 == 0:
                root["labels"] = [topic]
            llm = {"trace_id": tid, "span_id": "l", "parent_id": "r", "name": "plan", "kind": "llm",
                   "model": "gpt-4o-mini", "start_time": round(start + 0.01, 3), "end_time": round(llm_end, 3),
                   "input": {"messages": [{"role": "user", "content": question}]},
                   "output": {"role": "assistant", "content": f"Look up the {topic} record."},
                   "usage": {"input_tokens": rng.randrange(80, 400), "output_tokens": rng.randrange(10, 80)}}
            tool = {"trace_id": tid, "span_id": "t", "parent_id": "r", "name": f"lookup_{topic}", "kind": "tool",
                    "start_time": round(llm_end + 0.01, 3), "end_time": round(tool_end, 3),
                    "input": {"order": "A-%05d" % rng.randrange(100000)}}
            if failed:
                tool["error"] = {"type": "TimeoutError", "message": "lookup timed out"}
                root["error"] = {"type": "AgentError", "message": "tool failed"}
            else:
                tool["output"] = {"status": "ok"}
            for span in (llm, tool, root):
                f.write(json.dumps(span, separators=(",", ":")) + "\n")
