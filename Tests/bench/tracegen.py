"""Agent-shaped trace generators shared by the benchmarks in Tests/bench.

Generators produce neutral `GenSpan` objects (times in nanoseconds) and a writer class turns
them into one input format. Output is byte for byte the same for the same seed and size.

* `AgentRunGenerator`: many support-agent runs of 5–40 spans with a growing chat history
  (the throughput benchmark, `bench`).
* `huge_run`: one long agent run of a given number of spans: nested agents, fan-out, LLM
  calls with a windowed chat history, tools with some errors, retrievals and retries.
* `SmallRunGenerator`: many small runs of 5–15 spans, about 830 bytes each in the native
  format (a day of production traffic).
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator

MB = 1_000_000
NS = 1_000_000_000
# 2025-01-06T08:00:00Z
BASE_TIME_NS = 1_736_150_400 * NS


# --------------------------------------------------------------------------------------------
# The neutral span model. Generators produce these; a format writer serializes them.
# --------------------------------------------------------------------------------------------


@dataclass
class GenSpan:
    trace_id: str
    span_id: str
    parent_id: str | None
    name: str
    kind: str
    start_ns: int
    end_ns: int | None
    input: Any = None
    output: Any = None
    error: Any = None
    model: str | None = None
    usage: dict[str, Any] | None = None
    scores: dict[str, float] | None = None
    labels: list[str] | None = None
    metadata: dict[str, Any] | None = None
    events: list[dict[str, Any]] = field(default_factory=list)  # {"name", "time_ns", "attributes"}


# --------------------------------------------------------------------------------------------
# Text: Markdown built from a fixed vocabulary, with bold, lists, code fences and links.
# --------------------------------------------------------------------------------------------

WORDS = (
    "order refund invoice account customer policy shipment delivery warehouse carrier tracking "
    "subscription renewal charge credit balance payment card address region latency timeout "
    "retry cache index document query embedding vector score ranking release version deploy "
    "rollback config secret token quota limit plan tier support ticket escalation status "
    "agent tool model prompt context window memory state handoff guardrail evaluation metric "
    "the a an of to for with on in at by from and or but not only also then when after before "
    "is are was were be been has have had will would should could can may must does did "
    "customer's team's today tomorrow yesterday weekly monthly annual quickly carefully "
    "café naïve résumé façade straße 検索 注文 返金 ✅ ⚠️ →"
).split()

NAMES = ["Ava", "Noah", "Mia", "Liam", "Zoë", "Mateo", "Amélie", "Kenji", "Priya", "Olu"]
TOOLS = [
    ("lookup_order", {"order_id": "A-{n}"}),
    ("get_invoices", {"account_id": "acct_{n}", "since": "2025-0{m}-01"}),
    ("issue_credit", {"charge_id": "ch_{n}", "amount": "{amount}"}),
    ("update_ticket", {"ticket_id": "T-{n}", "status": "pending"}),
    ("get_shipment", {"tracking_id": "1Z{n}"}),
    ("run_sql", {"query": "select status, count(*) from orders where account_id = {n} group by 1"}),
    ("send_email", {"to": "customer-{n}@example.com", "template": "refund_confirmation"}),
    ("calculator", {"expression": "{amount} * 0.2"}),
]
MODELS = [
    ("gpt-4o-2024-08-06", 2.5e-6, 10e-6),
    ("gpt-4o-mini-2024-07-18", 0.15e-6, 0.6e-6),
    ("claude-3-5-sonnet-20241022", 3e-6, 15e-6),
]
LANGS = ["python", "json", "sql", "sh", "swift"]


class Text:
    def __init__(self, rng: random.Random):
        self.rng = rng
        # A pool of sentences keeps generation fast; numbers are varied per use.
        self.sentences = [self._sentence() for _ in range(3000)]

    def _sentence(self) -> str:
        r = self.rng
        words = [r.choice(WORDS) for _ in range(r.randint(6, 18))]
        if r.random() < 0.35:
            i = r.randrange(len(words))
            words[i] = f"**{words[i]}**"
        if r.random() < 0.2:
            i = r.randrange(len(words))
            words[i] = f"`{words[i]}`"
        if r.random() < 0.12:
            i = r.randrange(len(words))
            words[i] = f"[{words[i]}](https://docs.example.com/{words[i].strip('*`')}/{r.randint(1, 999)})"
        s = " ".join(words)
        return s[0].upper() + s[1:] + r.choice([".", ".", ".", "?", "!"])

    def sentence(self) -> str:
        return self.rng.choice(self.sentences)

    def paragraph(self, lo: int = 2, hi: int = 5) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(lo, hi)))

    def markdown(self, blocks: int) -> str:
        r = self.rng
        out: list[str] = []
        for _ in range(blocks):
            x = r.random()
            if x < 0.45:
                out.append(self.paragraph())
            elif x < 0.65:
                marker = r.choice(["-", "*", "1."])
                out.append("\n".join(f"{marker} {self.sentence()}" for _ in range(r.randint(2, 5))))
            elif x < 0.78:
                out.append(f"## {self.sentence().rstrip('.?!')}")
            elif x < 0.92:
                lang = r.choice(LANGS)
                body = "\n".join(
                    f"{r.choice(WORDS)}_{r.randint(0, 99)} = {json.dumps(r.choice(WORDS))}  # {r.choice(WORDS)}"
                    for _ in range(r.randint(2, 8))
                )
                out.append(f"```{lang}\n{body}\n```")
            else:
                rows = "\n".join(
                    f"| {r.choice(WORDS)} | {r.randint(1, 9999)} | {r.choice(['ok', 'failed', 'pending'])} |"
                    for _ in range(r.randint(2, 5))
                )
                out.append(f"| item | value | status |\n|---|---|---|\n{rows}")
        return "\n\n".join(out)


# --------------------------------------------------------------------------------------------
# Runs: an agent root, LLM calls carrying the growing chat history, tools, retrievals.
# --------------------------------------------------------------------------------------------


class AgentRunGenerator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.text = Text(self.rng)
        self.seed = seed

    def run(self, index: int) -> list[GenSpan]:
        """One run's spans, in the order a tracer would flush them (each span when it ends)."""
        r = self.rng
        t = self.text
        total = r.randint(5, 40)
        trace_id = f"bench-{self.seed}-{index:07d}"
        ids = iter(range(total))

        def new_id() -> str:
            return f"{index:07d}-{next(ids):02d}"

        clock = BASE_TIME_NS + index * 23 * NS + r.randint(0, 20_000) * 1_000_000
        root_id = new_id()
        root_start = clock
        clock += r.randint(5, 40) * 1_000_000
        user_name = r.choice(NAMES)
        question = f"Hi, I'm {user_name}. " + t.paragraph(2, 4)
        model, p_in, p_out = r.choice(MODELS)
        system = f"You are a support agent for **Acme {r.choice(['Cloud', 'Outdoors', 'Notes'])}**.\n\n" + t.markdown(3)
        history: list[dict[str, Any]] = [
            {"role": "system", "content": system},
            {"role": "user", "content": question},
        ]
        done: list[GenSpan] = []
        budget = total - 1  # spans left after the root
        turn = 0
        while budget > 0:
            # An LLM call decides; if budget remains after it, it calls 1-3 tools or retrievals.
            budget -= 1
            after = budget
            n_calls = min(after, r.randint(1, 3)) if after > 0 else 0
            llm_start = clock
            dur = r.randint(400, 6000) * 1_000_000
            clock += dur
            in_tok = sum(len(json.dumps(m)) for m in history) // 4
            calls = []
            for c in range(n_calls):
                if r.random() < 0.3:
                    calls.append(("search_knowledge_base", {"query": t.sentence(), "top_k": r.randint(3, 8)}))
                else:
                    name, args = r.choice(TOOLS)
                    calls.append((name, {
                        k: (v.format(n=r.randint(1000, 99999), m=r.randint(1, 9), amount=r.randint(5, 500))
                            if isinstance(v, str) else v)
                        for k, v in args.items()
                    }))
            if calls:
                tool_calls = [
                    {"id": f"call_{index:x}_{turn}_{c}", "type": "function",
                     "function": {"name": name, "arguments": json.dumps(args)}}
                    for c, (name, args) in enumerate(calls)
                ]
                out_msg = {"role": "assistant", "content": t.paragraph(1, 2) if r.random() < 0.4 else None,
                           "tool_calls": tool_calls}
            else:
                out_msg = {"role": "assistant", "content": t.markdown(r.randint(2, 6))}
            out_tok = len(json.dumps(out_msg)) // 4
            llm = GenSpan(
                trace_id, new_id(), root_id, "chat" if calls else "final_answer", "llm",
                llm_start, clock,
                input={"messages": list(history)},
                output=out_msg,
                model=model,
                usage={"input_tokens": in_tok, "output_tokens": out_tok, "total_tokens": in_tok + out_tok,
                       "cost": round(in_tok * p_in + out_tok * p_out, 8)},
                metadata={"temperature": r.choice([0, 0.2, 0.7]), "turn": turn},
            )
            if r.random() < 0.3:
                llm.events.append({"name": "first_token", "time_ns": llm_start + dur // 5,
                                   "attributes": {"ttft_ms": dur // 5 // 1_000_000}})
            done.append(llm)
            history.append(out_msg)
            # Tool calls run in parallel after the LLM call.
            clock += r.randint(2, 20) * 1_000_000
            latest = clock
            for c, (name, args) in enumerate(calls):
                budget -= 1
                s = clock + c * r.randint(0, 5) * 1_000_000
                if name == "search_knowledge_base":
                    docs = [
                        {"id": f"kb-{r.randint(1, 5000):05d}", "score": round(r.uniform(0.4, 0.98), 3),
                         "content": t.markdown(r.randint(1, 3)),
                         "metadata": {"updated_at": f"202{r.randint(2, 5)}-0{r.randint(1, 9)}-1{r.randint(0, 9)}T09:00:00Z",
                                      "source": f"kb://docs/{r.choice(WORDS)}.md"}}
                        for _ in range(r.randint(2, 6))
                    ]
                    docs.sort(key=lambda d: -d["score"])
                    e = s + r.randint(80, 900) * 1_000_000
                    span = GenSpan(trace_id, new_id(), root_id, name, "retrieval", s, e,
                                   input=args, output={"documents": docs},
                                   metadata={"index": "kb-prod", "tool_call_id": tool_calls[c]["id"]})
                    result = "\n\n".join(f"[{d['id']}] {d['content']}" for d in docs)
                else:
                    e = s + r.randint(20, 1500) * 1_000_000
                    span = GenSpan(trace_id, new_id(), root_id, name, "tool", s, e, input=args,
                                   metadata={"tool_call_id": tool_calls[c]["id"]})
                    if r.random() < 0.03:
                        span.error = {"type": "TimeoutError", "message": f"{name} did not answer within 5.0 s",
                                      "stack": "Traceback (most recent call last):\n"
                                               f"  File \"/srv/agent/tools.py\", line {r.randint(10, 400)}, in {name}\n"
                                               "    return client.call(**kwargs)\nTimeoutError: timed out"}
                        result = json.dumps({"error": span.error["message"]})
                    else:
                        payload = {"ok": True, "id": f"{name}-{r.randint(1, 10**6)}",
                                   "items": [{"sku": f"SKU-{r.randint(1, 9999)}", "qty": r.randint(1, 4),
                                              "price": round(r.uniform(3, 300), 2), "note": t.sentence()}
                                             for _ in range(r.randint(0, 4))],
                                   "summary": t.sentence()}
                        span.output = payload
                        result = json.dumps(payload, ensure_ascii=False)
                done.append(span)
                history.append({"role": "tool", "tool_call_id": tool_calls[c]["id"], "content": result})
                latest = max(latest, e)
            clock = latest + r.randint(2, 30) * 1_000_000
            turn += 1
        final = history[-1]["content"] if history[-1]["role"] == "assistant" else t.paragraph()
        errored = any(s.error for s in done)
        root = GenSpan(
            trace_id, root_id, None, r.choice(["support-agent", "billing-agent", "research-agent"]), "agent",
            root_start, clock + r.randint(1, 15) * 1_000_000,
            input={"message": question, "user": user_name},
            output=final,
            scores={"helpfulness": round(r.random(), 2), "groundedness": round(r.random(), 2)},
            labels=(["tool error"] if errored else []) + (["slow"] if clock - root_start > 60 * NS else []),
            metadata={"release": f"2025.{r.randint(1, 12)}.{r.randint(0, 4)}", "channel": r.choice(["chat", "email", "api"]),
                      "seed": self.seed},
        )
        done.append(root)
        return done


GENERATORS: dict[str, Callable[[int], AgentRunGenerator]] = {"agent": AgentRunGenerator}


# --------------------------------------------------------------------------------------------
# Formats. Each writer turns runs of GenSpan into bytes; add another class to FORMATS to bench
# another input format with the same content.
# --------------------------------------------------------------------------------------------


def rfc3339(ns: int) -> str:
    secs, frac = divmod(ns, NS)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs)) + f".{frac // 1_000_000:03d}Z"


class NativeJSONLWriter:
    """trace-report's own format (docs/trace-format.md): one span per line."""

    suffix = ".jsonl"

    def __init__(self, fh: BinaryIO, times: str = "mixed"):
        self.fh = fh
        self.runs_written = 0
        self.times = times  # "mixed", "unix" or "rfc3339"

    def _time(self, ns: int) -> Any:
        # By default every fifth run writes Unix seconds instead of RFC 3339 strings.
        if self.times == "unix" or (self.times == "mixed" and self.runs_written % 5 == 4):
            return round(ns / NS, 3)
        return rfc3339(ns)

    def write_run(self, spans: Iterable[GenSpan]) -> int:
        written = 0
        for s in spans:
            d: dict[str, Any] = {
                "trace_id": s.trace_id, "span_id": s.span_id, "parent_id": s.parent_id,
                "name": s.name, "kind": s.kind, "start_time": self._time(s.start_ns),
            }
            if s.end_ns is not None:
                d["end_time"] = self._time(s.end_ns)
            for key in ("model", "input", "output", "error", "usage", "scores", "labels", "metadata"):
                v = getattr(s, key)
                if v is not None:
                    d[key] = v
            if s.events:
                d["events"] = [{"name": e["name"], "time": self._time(e["time_ns"]), "attributes": e["attributes"]}
                               for e in s.events]
            line = json.dumps(d, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
            self.fh.write(line)
            written += len(line)
        self.runs_written += 1
        return written


class OTLPJSONWriter:
    """OTLP JSON as the collector's file exporter writes it: one ExportTraceServiceRequest per
    line (here one per run), hex ids, nanosecond strings, and the OpenTelemetry GenAI semantic
    conventions carrying messages (as JSON strings with parts), tokens, tools and documents."""

    suffix = ".otlp.jsonl"
    KINDS = {"agent": "invoke_agent", "llm": "chat", "tool": "execute_tool", "retrieval": "retrieval",
             "embedding": "embeddings"}

    def __init__(self, fh: BinaryIO):
        self.fh = fh

    @staticmethod
    def _hex(text: str, digits: int) -> str:
        return hashlib.sha256(text.encode()).hexdigest()[:digits]

    @staticmethod
    def _attr(key: str, value: Any) -> dict[str, Any]:
        if isinstance(value, bool):
            v: dict[str, Any] = {"boolValue": value}
        elif isinstance(value, int):
            v = {"intValue": str(value)}
        elif isinstance(value, float):
            v = {"doubleValue": value}
        elif isinstance(value, str):
            v = {"stringValue": value}
        else:
            v = {"stringValue": json.dumps(value, ensure_ascii=False, separators=(",", ":"))}
        return {"key": key, "value": v}

    @staticmethod
    def _parts(message: dict[str, Any]) -> dict[str, Any]:
        parts: list[dict[str, Any]] = []
        content = message.get("content")
        if isinstance(content, str) and content:
            parts.append({"type": "text", "content": content})
        for call in message.get("tool_calls") or []:
            fn = call.get("function", {})
            parts.append({"type": "tool_call", "id": call.get("id"), "name": fn.get("name"),
                          "arguments": fn.get("arguments")})
        if message.get("role") == "tool":
            parts = [{"type": "tool_call_response", "id": message.get("tool_call_id"), "response": content}]
        return {"role": message.get("role", "user"), "parts": parts}

    def _span(self, s: GenSpan) -> dict[str, Any]:
        attrs: list[dict[str, Any]] = []
        op = self.KINDS.get(s.kind)
        if op:
            attrs.append(self._attr("gen_ai.operation.name", op))
        if s.model:
            attrs.append(self._attr("gen_ai.request.model", s.model))
        if s.kind == "llm" and isinstance(s.input, dict) and "messages" in s.input:
            attrs.append(self._attr("gen_ai.input.messages", [self._parts(m) for m in s.input["messages"]]))
            out = s.output if isinstance(s.output, dict) else {"role": "assistant", "content": s.output}
            attrs.append(self._attr("gen_ai.output.messages", [self._parts(out)]))
        elif s.kind == "tool":
            attrs.append(self._attr("gen_ai.tool.name", s.name))
            attrs.append(self._attr("gen_ai.tool.call.arguments", s.input))
            attrs.append(self._attr("gen_ai.tool.call.result", s.output))
        elif s.kind == "retrieval":
            attrs.append(self._attr("gen_ai.retrieval.query.text", json.dumps(s.input)))
            docs = s.output.get("documents", []) if isinstance(s.output, dict) else []
            attrs.append(self._attr("gen_ai.retrieval.documents", docs))
        else:
            if s.input is not None:
                attrs.append(self._attr("input.value", s.input))
            if s.output is not None:
                attrs.append(self._attr("output.value", s.output))
        if s.usage:
            if "input_tokens" in s.usage:
                attrs.append(self._attr("gen_ai.usage.input_tokens", int(s.usage["input_tokens"])))
            if "output_tokens" in s.usage:
                attrs.append(self._attr("gen_ai.usage.output_tokens", int(s.usage["output_tokens"])))
            if "cost" in s.usage:
                attrs.append(self._attr("llm.cost.total", float(s.usage["cost"])))
        span: dict[str, Any] = {
            "traceId": self._hex(s.trace_id, 32),
            "spanId": self._hex(s.trace_id + "/" + s.span_id, 16),
            "name": s.name,
            "kind": 3 if s.kind in ("llm", "tool", "retrieval", "embedding") else 1,
            "startTimeUnixNano": str(s.start_ns),
            "endTimeUnixNano": str(s.end_ns if s.end_ns is not None else s.start_ns),
            "attributes": attrs,
            "status": {"code": 2, "message": str(s.error.get("message") if isinstance(s.error, dict) else s.error)}
            if s.error else {},
        }
        if s.parent_id:
            span["parentSpanId"] = self._hex(s.trace_id + "/" + s.parent_id, 16)
        if s.events:
            span["events"] = [{"name": e["name"], "timeUnixNano": str(e["time_ns"]),
                               "attributes": [self._attr(k, v) for k, v in e["attributes"].items()]} for e in s.events]
        return span

    def write_run(self, spans: list[GenSpan]) -> int:
        request = {"resourceSpans": [{
            "resource": {"attributes": [self._attr("service.name", "bench-agent")]},
            "scopeSpans": [{"scope": {"name": "bench"}, "spans": [self._span(s) for s in spans]}],
        }]}
        line = json.dumps(request, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
        self.fh.write(line)
        return len(line)


FORMATS: dict[str, type] = {"native": NativeJSONLWriter, "otlp": OTLPJSONWriter}


def generate(path: Path, size_bytes: int, seed: int, fmt: str) -> tuple[int, int, int]:
    """Writes runs until the file reaches size_bytes. Returns (bytes, spans, runs)."""
    gen = GENERATORS["agent"](seed)
    written = spans = runs = 0
    with open(path, "wb") as fh:
        writer = FORMATS[fmt](fh)
        while written < size_bytes:
            run = gen.run(runs)
            written += writer.write_run(run)
            spans += len(run)
            runs += 1
    return written, spans, runs



# --------------------------------------------------------------------------------------------
# One huge run: an agent that plans, delegates to nested sub-agents (fan-out), and loops over
# LLM calls and tools, the shape of a coding or research agent that ran for hours.
# --------------------------------------------------------------------------------------------

SUB_AGENTS = ["planner", "researcher", "web-researcher", "coder", "test-runner", "reviewer", "summarizer",
              "data-analyst", "critic", "fixer"]
AGENT_TOOLS = [
    ("read_file", lambda r: {"path": f"src/{r.choice(WORDS)}/{r.choice(WORDS)}_{r.randint(1, 99)}.py"}),
    ("grep", lambda r: {"pattern": r.choice(WORDS), "path": "src/"}),
    ("run_tests", lambda r: {"target": f"tests/test_{r.choice(WORDS)}.py", "timeout_s": 120}),
    ("web_search", lambda r: {"q": f"{r.choice(WORDS)} {r.choice(WORDS)} {r.choice(WORDS)}"}),
    ("fetch_url", lambda r: {"url": f"https://docs.example.com/{r.choice(WORDS)}/{r.randint(1, 999)}"}),
    ("run_sql", lambda r: {"query": f"select count(*) from {r.choice(WORDS)} where id > {r.randint(1, 9999)}"}),
    ("apply_patch", lambda r: {"file": f"src/{r.choice(WORDS)}.py", "hunks": r.randint(1, 4)}),
]
HISTORY_WINDOW = 2  # messages kept after the system prompt and the task: the agent trims its context
MAX_DEPTH = 9


class HugeRunGenerator:
    """One run of exactly `total` spans (total >= 2), written in the order a tracer flushes
    them: each span when it ends, so children come before their parents.

    The root agent works in turns: an LLM call (about 1 % fail with a rate limit and are
    retried), then either 1-3 tool calls or retrievals, or a fan-out of 1-6 sub-agents that
    share part of the remaining budget and do the same, up to MAX_DEPTH levels down. Each
    agent's LLM calls carry its chat history (system prompt, task, the last HISTORY_WINDOW
    messages); about 3 % of tool calls fail. About 500 bytes a span in the native format."""

    def __init__(self, seed: int, total: int):
        if total < 2:
            raise ValueError("a huge run needs at least 2 spans")
        self.rng = random.Random(seed)
        self.text = Text(self.rng)
        self.total = total
        self.trace_id = f"agent-{total}"
        self.count = 0
        self.model = MODELS[0]
        words = [w for w in WORDS if w.isalpha()]
        self.phrases = [" ".join(self.rng.choice(words) for _ in range(self.rng.randint(3, 6))) for _ in range(2000)]

    def _id(self) -> str:
        n = self.count
        self.count += 1
        return f"s{n:x}"

    def spans(self) -> Iterator[GenSpan]:
        r, t = self.rng, self.text
        task = f"Investigate why **{r.choice(WORDS)}** {t.sentence()}"
        yield from self._agent(None, "research-agent", 0, self.total, BASE_TIME_NS, task, root=True)

    def _llm(self, parent: str, clock: int, history: list[dict[str, Any]], calls: list[tuple[str, dict[str, Any]]],
             turn: int, failed: bool = False) -> GenSpan:
        r, t = self.rng, self.text
        model, p_in, p_out = self.model if turn % 7 else r.choice(MODELS)
        dur = r.randint(300, 4000) * 1_000_000
        if calls:
            out: dict[str, Any] = {"role": "assistant", "content": r.choice(self.phrases) if r.random() < 0.3 else None,
                                   "tool_calls": [{"id": f"call_{self.count:x}_{c}", "type": "function",
                                                   "function": {"name": name, "arguments": json.dumps(args)}}
                                                  for c, (name, args) in enumerate(calls)]}
        else:
            out = {"role": "assistant", "content": t.markdown(1) if r.random() < 0.2 else t.sentence()}
        in_tok = 400 + sum(len(str(m.get("content") or "")) for m in history) // 4 + turn * 180
        out_tok = len(json.dumps(out)) // 4
        span = GenSpan(self.trace_id, self._id(), parent, "chat", "llm", clock, clock + dur,
                       input={"messages": list(history)}, output=None if failed else out, model=model,
                       usage=None if failed else {"input_tokens": in_tok, "output_tokens": out_tok,
                                                  "cost": round(in_tok * p_in + out_tok * p_out, 6)})
        if failed:
            span.end_ns = clock + r.randint(50, 400) * 1_000_000
            span.error = {"type": "RateLimitError", "message": "429 Too Many Requests: retry after 2 s"}
        return span

    def _agent(self, parent: str | None, name: str, depth: int, budget: int, clock: int, task: str,
               root: bool = False) -> Iterator[GenSpan]:
        """Yields exactly `budget` spans, this agent's span last; returns its end time."""
        r, t = self.rng, self.text
        agent_id = self._id()
        start = clock
        system = f"You are the **{name}**: {r.choice(self.phrases)}."
        history: list[dict[str, Any]] = []
        left = budget - 1
        turn = 0
        clock += r.randint(1, 20) * 1_000_000
        while left > 0:
            # An LLM call decides; sometimes it is rate limited and retried.
            messages = [{"role": "system", "content": system}, {"role": "user", "content": task}] + history[-HISTORY_WINDOW:]
            if left >= 2 and r.random() < 0.01:
                failed = self._llm(agent_id, clock, messages, [], turn, failed=True)
                yield failed
                left -= 1
                clock = failed.end_ns + 2 * NS
            left -= 1
            fan_out = left >= 24 and depth < MAX_DEPTH and r.random() < (0.5 if left > 2000 else 0.12)
            if fan_out:
                k = min(r.randint(1, 6), left // 4)
                share = int(left * (r.uniform(0.3, 0.7) if left > 2000 else r.uniform(0.4, 1.0)))
                each = max(2, share // k)
                kids = [(r.choice(SUB_AGENTS), each) for _ in range(k)]
                calls = [(f"delegate_{n.replace('-', '_')}", {"task": r.choice(self.phrases)}) for n, _ in kids]
            elif left > 0:
                n = min(left, r.randint(1, 3))
                calls = []
                for _ in range(n):
                    if r.random() < 0.25:
                        calls.append(("search_knowledge_base", {"query": r.choice(self.phrases), "top_k": r.randint(1, 3)}))
                    else:
                        tool, make = r.choice(AGENT_TOOLS)
                        calls.append((tool, make(r)))
            else:
                calls = []
            llm = self._llm(agent_id, clock, messages, calls, turn)
            yield llm
            history.append(llm.output)
            clock = llm.end_ns + r.randint(2, 20) * 1_000_000
            latest = clock
            call_ids = [c["id"] for c in llm.output.get("tool_calls", [])] if isinstance(llm.output, dict) else []
            if fan_out:
                for c, (kid, each) in enumerate(kids):
                    sub_task = calls[c][1]["task"]
                    end = yield from self._agent(agent_id, kid, depth + 1, each, clock + c * 3_000_000, sub_task)
                    left -= each
                    history.append({"role": "tool", "tool_call_id": call_ids[c],
                                    "content": f"{kid} finished: {r.choice(self.phrases)}"})
                    latest = max(latest, end)
            else:
                for c, (tool, args) in enumerate(calls):
                    left -= 1
                    span, result = self._tool(agent_id, tool, args, clock + c * r.randint(0, 4) * 1_000_000, call_ids[c])
                    yield span
                    history.append({"role": "tool", "tool_call_id": call_ids[c], "content": result})
                    latest = max(latest, span.end_ns or latest)
            clock = latest + r.randint(2, 30) * 1_000_000
            turn += 1
        final = history[-1].get("content") if history and history[-1].get("role") == "assistant" else None
        agent = GenSpan(self.trace_id, agent_id, parent, name, "agent", start, clock + r.randint(1, 9) * 1_000_000,
                        input={"task": task}, output=final or t.sentence(),
                        metadata={"depth": depth, "turns": turn})
        if root:
            agent.scores = {"task_success": round(r.random(), 2), "efficiency": round(r.random(), 2)}
            agent.labels = ["long run"]
            agent.metadata = {"release": "2025.6.1", "spans": self.total, "depth": 0, "turns": turn}
        yield agent
        return agent.end_ns

    def _tool(self, parent: str, tool: str, args: dict[str, Any], clock: int, call_id: str) -> tuple[GenSpan, str]:
        r, t = self.rng, self.text
        if tool == "search_knowledge_base":
            docs = [{"id": f"kb-{r.randint(1, 5000):05d}", "score": round(r.uniform(0.4, 0.98), 3),
                     "content": t.sentence()} for _ in range(args["top_k"])]
            docs.sort(key=lambda d: -d["score"])
            span = GenSpan(self.trace_id, self._id(), parent, tool, "retrieval", clock,
                           clock + r.randint(40, 600) * 1_000_000, input=args, output={"documents": docs})
            return span, " ".join(d["id"] for d in docs)
        span = GenSpan(self.trace_id, self._id(), parent, tool, "tool", clock,
                       clock + r.randint(5, 2500) * 1_000_000, input=args, metadata={"tool_call_id": call_id})
        if r.random() < 0.03:
            span.error = {"type": "TimeoutError", "message": f"{tool} did not answer within 30 s"}
            return span, json.dumps({"error": span.error["message"]})
        span.output = {"ok": True, "result": r.choice(self.phrases)}
        return span, span.output["result"]


def generate_huge_run(path: Path, total: int, seed: int) -> tuple[int, int]:
    """Writes one run of `total` spans. Returns (bytes, spans)."""
    gen = HugeRunGenerator(seed, total)
    with open(path, "wb") as fh:
        writer = NativeJSONLWriter(fh, times="rfc3339")
        written = writer.write_run(gen.spans())
    if gen.count != total:
        raise AssertionError(f"generated {gen.count} spans, not {total}")
    return written, gen.count


# --------------------------------------------------------------------------------------------
# Many small runs: a day of production traffic, 5-15 spans each (most have 5 or 6), about
# 830 bytes a run.
# --------------------------------------------------------------------------------------------


class SmallRunGenerator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.seed = seed
        words = [w for w in WORDS if w.isascii() and w.isalpha()]
        self.phrases = [" ".join(self.rng.choice(words) for _ in range(self.rng.randint(3, 7))) for _ in range(2000)]

    def run(self, index: int) -> list[GenSpan]:
        r = self.rng
        total = 5 + min(10, int(r.expovariate(1.6)))
        trace_id = f"r{index:06d}"
        clock = BASE_TIME_NS + index * 860_000_000 + r.randint(0, 800) * 1_000_000
        start = clock
        model = r.choice(("gpt-4o-mini", "gpt-4o", "claude-3-5-haiku"))
        spans: list[GenSpan] = []
        n = 2
        while n <= total:
            dur = r.randint(200, 2500) * 1_000_000
            if (n % 2 == 0 and n < total) or n == total:
                in_tok, out_tok = r.randint(200, 3000), r.randint(10, 400)
                spans.append(GenSpan(trace_id, str(n), "1", "chat", "llm", clock, clock + dur, model=model,
                                     usage={"input_tokens": in_tok, "output_tokens": out_tok}))
            elif r.random() < 0.2:
                spans.append(GenSpan(trace_id, str(n), "1", "search_docs", "retrieval", clock, clock + dur // 4,
                                     input=r.choice(self.phrases)))
            else:
                tool = r.choice(TOOLS)[0]
                span = GenSpan(trace_id, str(n), "1", tool, "tool", clock, clock + dur // 3,
                               input={"id": r.randint(1000, 99999)})
                if r.random() < 0.04:
                    span.error = "timed out"
                spans.append(span)
            clock = (spans[-1].end_ns or clock) + r.randint(5, 50) * 1_000_000
            n += 1
        failed = r.random() < 0.03
        root = GenSpan(trace_id, "1", None, r.choice(["support-agent", "billing-agent", "triage-agent"]), "agent",
                       start, None if r.random() < 0.01 else clock + 3_000_000,
                       input=r.choice(self.phrases) + "?", output=None if failed else r.choice(self.phrases) + ".",
                       error="agent gave up" if failed else None,
                       scores={"helpfulness": round(r.random(), 2)})
        spans.append(root)
        return spans


def generate_small_runs(path: Path, runs: int, seed: int) -> tuple[int, int, int]:
    """Writes `runs` small runs. Returns (bytes, spans, runs)."""
    gen = SmallRunGenerator(seed)
    written = spans = 0
    with open(path, "wb") as fh:
        writer = NativeJSONLWriter(fh, times="unix")
        for i in range(runs):
            run = gen.run(i)
            written += writer.write_run(run)
            spans += len(run)
    return written, spans, runs
