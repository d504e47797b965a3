"""Hand-written in the shape pydantic-ai 2.68.0 (Agent.instrument_all(), default settings) exports a
run with one tool call: an invoke_agent span with final_result, pydantic_ai.all_messages and
gen_ai.aggregated_usage.*, a chat span per model request, and an execute_tool span."""
import json, sys
sys.path.insert(0, "..")
from otlp_fixture import span, write
T = "8e3f2a1b0c9d48e4c3b2a1f0e9d8c7b6"
SYS = {"role": "system", "parts": [{"type": "text", "content": "You handle refunds."}]}
USER = {"role": "user", "parts": [{"type": "text", "content": "Refund A-1042?"}]}
CALL = {"role": "assistant", "parts": [{"type": "tool_call", "id": "call_1", "name": "lookup_order", "arguments": {"order_id": "A-1042"}}]}
RESULT = {"role": "user", "parts": [{"type": "tool_call_response", "id": "call_1", "name": "lookup_order", "result": "{\"order_id\": \"A-1042\", \"status\": \"damaged\"}"}]}
ANSWER = "Yes: A-1042 arrived damaged, so it is refunded in full."
FINAL = {"role": "assistant", "parts": [{"type": "text", "content": ANSWER}], "finish_reason": "stop"}
def j(v): return json.dumps(v, separators=(",", ":"))
common = {"gen_ai.agent.name": "refund_agent", "gen_ai.agent.call.id": "01a23ac8-55c0-761b-b10b-c9ad42add945", "gen_ai.conversation.id": "01a23ac8-55c0-761b-b10b-c9aede465b6b"}
tools = [{"type": "function", "name": "lookup_order", "description": "Look an order up.", "parameters": {"additionalProperties": False, "properties": {"order_id": {"type": "string"}}, "required": ["order_id"], "type": "object"}}]
def chat(sid, start, end, inp, out, i, o):
    return span(T, sid, "f000000000000001", "chat openai:gpt-4o-mini", start, end, {"gen_ai.operation.name": "chat", **common,
        "gen_ai.provider.name": "openai", "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o-mini",
        "model_request_parameters": j({"function_tools": [{"name": "lookup_order"}], "output_mode": "text", "allow_text_output": True}),
        "gen_ai.tool.definitions": j(tools), "gen_ai.input.messages": j(inp), "gen_ai.output.messages": j(out),
        "logfire.json_schema": j({"type": "object", "properties": {"gen_ai.input.messages": {"type": "array"}, "gen_ai.output.messages": {"type": "array"}, "model_request_parameters": {"type": "object"}}}),
        "gen_ai.usage.input_tokens": i, "gen_ai.usage.output_tokens": o, "gen_ai.response.model": "gpt-4o-mini-2024-07-18"}, kind=3)
spans = [
    chat("e000000000000001", 1, 10, [SYS, USER], [CALL], 56, 5),
    span(T, "e000000000000002", "f000000000000001", "execute_tool lookup_order", 11, 12, {"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "lookup_order",
        "gen_ai.tool.call.id": "call_1", "gen_ai.tool.call.arguments": j({"order_id": "A-1042"}), **common, "logfire.msg": "running tool: lookup_order",
        "logfire.json_schema": j({"type": "object", "properties": {"gen_ai.tool.call.arguments": {"type": "object"}, "gen_ai.tool.call.result": {"type": "object"}, "gen_ai.tool.name": {}, "gen_ai.tool.call.id": {}}}),
        "gen_ai.tool.call.result": "{\"order_id\": \"A-1042\", \"status\": \"damaged\"}"}),
    chat("e000000000000003", 13, 20, [SYS, USER, CALL, RESULT], [FINAL], 62, 16),
    span(T, "f000000000000001", None, "invoke_agent refund_agent", 0, 21, {"model_name": "gpt-4o-mini", "agent_name": "refund_agent", **common,
        "gen_ai.operation.name": "invoke_agent", "logfire.msg": "refund_agent run", "final_result": ANSWER,
        "gen_ai.aggregated_usage.input_tokens": 118, "gen_ai.aggregated_usage.output_tokens": 21,
        "pydantic_ai.all_messages": j([SYS, USER, CALL, RESULT, FINAL]),
        "logfire.json_schema": j({"type": "object", "properties": {"pydantic_ai.all_messages": {"type": "array"}, "final_result": {"type": "object"}}})}),
]
write("refund-agent.otlp.json", {"service.name": "refund-service", "telemetry.sdk.language": "python"}, "pydantic-ai", spans)
