"""Helpers that write hand-authored spans as an OTLP/JSON export (resourceSpans → scopeSpans →
spans), as an OpenTelemetry collector's file exporter or an OTLP/HTTP JSON body carries them."""
import json

BASE = 1796040000000000000

def attr(key, value):
    if isinstance(value, bool): v = {"boolValue": value}
    elif isinstance(value, int): v = {"intValue": str(value)}
    elif isinstance(value, float): v = {"doubleValue": value}
    elif isinstance(value, list): v = {"arrayValue": {"values": [{"stringValue": x} for x in value]}}
    else: v = {"stringValue": value}
    return {"key": key, "value": v}

def span(trace, sid, parent, name, start_ms, end_ms, attrs, events=(), status=1, kind=1):
    d = {"traceId": trace, "spanId": sid, "name": name, "kind": kind,
         "startTimeUnixNano": str(BASE + int(start_ms * 1e6)), "endTimeUnixNano": str(BASE + int(end_ms * 1e6)),
         "attributes": [attr(k, v) for k, v in attrs.items()],
         "events": [{"timeUnixNano": str(BASE + int(t * 1e6)), "name": n, "attributes": [attr(k, v) for k, v in a.items()]} for t, n, a in events],
         "status": {"code": status} if isinstance(status, int) else status}
    if parent: d["parentSpanId"] = parent
    return d

def write(path, resource, scope, spans):
    doc = {"resourceSpans": [{"resource": {"attributes": [attr(k, v) for k, v in resource.items()]},
                              "scopeSpans": [{"scope": {"name": scope}, "spans": spans}]}]}
    open(path, "w").write(json.dumps(doc, indent=1) + "\n")
