"""Hand-written in the shape the Langfuse Python SDK 5.2.0 writes: its OTel spans (propagated
trace attributes on every span: langfuse.trace.name, langfuse.trace.tags, langfuse.trace.metadata.*
as JSON text), and the score bodies it posts to /api/public/scores (a batch array, or one object)."""
import json, sys
sys.path.insert(0, "..")
from otlp_fixture import span, write
T = "9cb2844f895051de59139594b7df144f"
trace = {"user.id": "u-7", "session.id": "s-1", "langfuse.trace.metadata.tier": "\"gold\"", "langfuse.trace.metadata.region": "\"eu-west\"",
         "langfuse.trace.tags": ["refunds", "canary"], "langfuse.trace.name": "refund-check"}
spans = [
    span(T, "bb6a5109bb137671", "44ff4303bf5f354c", "answer", 2, 9, {**trace,
        "langfuse.observation.input": json.dumps([{"role": "user", "content": "Refund A-1042?"}]), "langfuse.observation.model.name": "gpt-4o-mini",
        "langfuse.observation.type": "generation", "langfuse.observation.output": json.dumps({"role": "assistant", "content": "Yes."}),
        "langfuse.observation.usage_details": json.dumps({"input": 12, "output": 3}), "langfuse.observation.metadata.prompt_variant": "\"b\""}, status=0),
    span(T, "44ff4303bf5f354c", None, "handle-ticket", 0, 10, {**trace, "langfuse.internal.is_app_root": True,
        "langfuse.observation.input": json.dumps({"question": "Refund A-1042?"}), "langfuse.observation.type": "span",
        "langfuse.observation.output": json.dumps({"answer": "Yes."})}, status=0),
]
write("refund-check.otlp.json", {"service.name": "refund-service", "telemetry.sdk.language": "python", "telemetry.sdk.name": "opentelemetry"}, "langfuse-sdk", spans)
batch = [{"id": "5f31dd3024ac750b", "traceId": T, "name": "correctness", "value": 1.0, "comment": "matches policy", "timestamp": "2026-11-30T10:15:02.818495Z"},
         {"id": "4d7609b335c70a6d", "traceId": T, "observationId": "bb6a5109bb137671", "name": "helpfulness", "value": 0.8, "dataType": "NUMERIC", "timestamp": "2026-11-30T10:15:02.818813Z"}]
open("scores-batch.json", "w").write(json.dumps(batch, separators=(",", ":")) + "\n")
single = {"id": "7a1c2e3d4b5f6a7b", "traceId": T, "name": "tone", "value": "polite", "dataType": "CATEGORICAL", "timestamp": "2026-11-30T10:15:03.000000Z"}
open("score-single.json", "w").write(json.dumps(single, separators=(",", ":")) + "\n")
