"""Hand-written in the shape langsmith 0.15.1 (Python) posts to /runs/multipart: one
multipart/form-data part per run (post.<id>) and per large field (post.<id>.inputs, .outputs,
.events, .extra, .error, .serialized), each JSON with its Content-Length, CRLF line ends."""
import json
B = "8418a8e39f324351aff3e420e8869129"
T1, T2 = "01a23ae6-bdb3-7293-9b72-35f884b9a33e", "01a23ae6-bddc-70fe-99c1-cfd6735c26c2"
RUNTIME = {"sdk": "langsmith-py", "sdk_version": "0.15.1", "library": "langsmith", "runtime": "python", "py_implementation": "CPython", "runtime_version": "3.11.7", "langchain_version": None, "langchain_core_version": None}
def run(id, trace, parent, order, name, run_type, start, end):
    r = {"id": id, "start_time": f"2026-11-30T10:00:{start}+00:00"}
    if parent: r["parent_run_id"] = parent
    r.update({"tags": [], "dotted_order": order, "trace_id": trace, "session_name": "default", "name": name, "run_type": run_type, "end_time": f"2026-11-30T10:00:{end}+00:00"})
    return r
def dot(ts, id): return f"20261130T1000{ts}Z{id}"
R1, R2, R3, R4 = T1, "01a23ae6-bdd2-7e9d-a93e-0f61177bb414", "01a23ae6-bdd3-7600-9259-e6288d3d28a3", "01a23ae6-bdda-7145-bac3-f9396442d467"
o1 = dot("00.100000", R1)
parts = []
def add(run_obj, **fields):
    parts.append((f"post.{run_obj['id']}", run_obj))
    for k, v in fields.items(): parts.append((f"post.{run_obj['id']}.{k}", v))
extra = lambda m=None: {"metadata": {"ls_method": "traceable", **(m or {})}, "runtime": RUNTIME}
add(run(R1, T1, None, o1, "refund_agent", "chain", "00.100000", "00.900000"), inputs={"q": "Refund A-1042?"}, outputs={"output": "Yes, refunded."}, events=[], extra=extra())
add(run(R2, T1, R1, o1 + "." + dot("00.200000", R2), "lookup_order", "tool", "00.200000", "00.300000"), inputs={"order_id": "A-1042"}, outputs={"order_id": "A-1042", "status": "damaged"}, events=[], extra=extra())
add(run(R3, T1, R1, o1 + "." + dot("00.310000", R3), "lookup_order", "tool", "00.310000", "00.320000"), inputs={"order_id": "X"}, outputs={}, events=[], extra=extra(),
    error="ValueError('no such order')\n\nTraceback (most recent call last):\n  File \"agent.py\", line 25, in lookup\n    raise ValueError(\"no such order\")\nValueError: no such order\n")
add(run(R4, T1, R1, o1 + "." + dot("00.400000", R4), "chat", "llm", "00.400000", "00.800000"), inputs={"messages": [{"role": "user", "content": "Refund A-1042?"}]},
    outputs={"choices": [{"message": {"role": "assistant", "content": "Yes, refunded."}}], "usage": {"prompt_tokens": 12, "completion_tokens": 4, "total_tokens": 16}},
    events=[], extra=extra({"ls_model_name": "gpt-4o-mini"}), serialized={"name": "chat"})
add(run(T2, T2, None, dot("01.000000", T2), "failing_agent", "chain", "01.000000", "01.050000"), inputs={"q": "x"}, outputs={}, events=[], extra=extra(),
    error="RuntimeError('payments service unavailable')\n\nTraceback (most recent call last):\n  File \"agent.py\", line 38, in failing\n    raise RuntimeError(\"payments service unavailable\")\nRuntimeError: payments service unavailable\n")
out = bytearray()
for name, value in parts:
    body = json.dumps(value, separators=(",", ":")).encode()
    out += f"--{B}\r\nContent-Disposition: form-data; name=\"{name}\"\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body + b"\r\n"
out += f"--{B}--\r\n".encode()
open("runs-multipart.body", "wb").write(bytes(out))
