"""Hand-written in the shape smolagents 1.26.0 with openinference-instrumentation-smolagents 0.1.43
exports a ToolCallingAgent run: an AGENT span with the run's token totals, a CHAIN span per step,
an LLM span per model call and TOOL spans named after the tool class, the tool's name in tool.name."""
import json, sys
sys.path.insert(0, "..")
from otlp_fixture import span, write
T = "7d2e1f0a9b8c47d3b2a1f0e9d8c7b6a5"
SYSTEM = "You are an expert assistant who can solve any task using tool calls."
def llm(sid, parent, start, end, inp, out, calls, p, c):
    a = {"input.mime_type": "application/json", "input.value": json.dumps({"messages": ["ChatMessage(...)"]}), "llm.invocation_parameters": "{}"}
    for i, (role, text) in enumerate(inp):
        a[f"llm.input_messages.{i}.message.role"] = role
        a[f"llm.input_messages.{i}.message.contents.0.message_content.type"] = "text"
        a[f"llm.input_messages.{i}.message.contents.0.message_content.text"] = text
    a.update({"llm.token_count.prompt": p, "llm.token_count.completion": c, "llm.token_count.total": p + c, "llm.model_name": "fake-model",
              "llm.output_messages.0.message.role": "assistant",
              "llm.output_messages.0.message.tool_calls.0.tool_call.id": calls[0],
              "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": calls[1],
              "output.mime_type": "application/json",
              "output.value": json.dumps({"role": "assistant", "content": None, "tool_calls": [{"function": {"arguments": calls[2], "name": calls[1], "description": None}, "id": calls[0], "type": "function"}], "raw": None, "token_usage": {"input_tokens": p, "output_tokens": c, "total_tokens": p + c}}),
              "openinference.span.kind": "LLM"})
    return span(T, sid, parent, "FakeModel.generate", start, end, a)
def tool(sid, parent, start, end, cls, name, desc, kwargs, out):
    return span(T, sid, parent, cls, start, end, {"input.value": json.dumps({"args": [], "sanitize_inputs_outputs": True, "kwargs": kwargs}),
        "tool.name": name, "tool.description": desc, "tool.parameters": json.dumps({k: {"type": "string", "description": "The order id."} for k in kwargs}),
        "output.value": out, "output.mime_type": "text/plain", "openinference.span.kind": "TOOL"})
def step(sid, n, start, end, out):
    return span(T, sid, "a000000000000001", f"Step {n}", start, end, {"input.value": json.dumps({"memory_step": f"ActionStep(step_number={n}, ...)"}),
        "output.value": out, "openinference.span.kind": "CHAIN"})
ORDER = '{"order_id": "A-1042", "status": "damaged"}'
spans = [
    llm("b000000000000001", "c000000000000001", 2, 10, [("system", SYSTEM), ("user", "New task:\nRefund A-1042?")], None, ("call_1", "lookup_order", {"order_id": "A-1042"}), 60, 12),
    tool("d000000000000001", "c000000000000001", 11, 14, "SimpleTool", "lookup_order", "Look an order up.", {"order_id": "A-1042"}, ORDER),
    step("c000000000000001", 1, 1, 15, ORDER),
    llm("b000000000000002", "c000000000000002", 17, 25, [("system", SYSTEM), ("user", "New task:\nRefund A-1042?"), ("tool-call", "Calling tools:\n[{'id': 'call_1', 'type': 'function', 'function': {'name': 'lookup_order', 'arguments': {'order_id': 'A-1042'}}}]"), ("tool-response", "Call id: call_1\nObservation:\n" + ORDER)], None, ("call_2", "final_answer", {"answer": "Yes: refunded in full."}), 90, 30),
    tool("d000000000000002", "c000000000000002", 26, 27, "FinalAnswerTool", "final_answer", "Provides a final answer to the given problem.", {"answer": "Yes: refunded in full."}, "Yes: refunded in full."),
    step("c000000000000002", 2, 16, 28, "Yes: refunded in full."),
    span(T, "a000000000000001", None, "ToolCallingAgent.run", 0, 30, {"input.value": json.dumps({"task": "Refund A-1042?", "stream": False, "reset": True, "images": None, "additional_args": None, "max_steps": None, "return_full_result": None}),
        "smolagents.max_steps": 3, "smolagents.tools_names": ["lookup_order", "final_answer"], "output.value": "Yes: refunded in full.",
        "llm.token_count.prompt": 150, "llm.token_count.completion": 42, "llm.token_count.total": 192, "openinference.span.kind": "AGENT"}),
]
write("refund-agent.otlp.json", {"service.name": "smolagents-demo"}, "openinference.instrumentation.smolagents", spans)
