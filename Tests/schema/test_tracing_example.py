"""The Swift tracer writes the native format: every line the tracing example writes is valid
against docs/trace-span.schema.json, and the lines form one run with the agent at its root."""

import json
import pathlib
import subprocess

import pytest
from jsonschema import Draft202012Validator

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "trace-span.schema.json").read_text(encoding="utf-8"))
EXAMPLE = ROOT / ".build" / "debug" / "tracing-example"


@pytest.fixture(scope="module")
def lines(tmp_path_factory):
    if not EXAMPLE.exists():
        pytest.skip(f"{EXAMPLE.relative_to(ROOT)} is not built; run `swift build` first")
    out = tmp_path_factory.mktemp("tracing") / "out.jsonl"
    result = subprocess.run([str(EXAMPLE), str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_every_line_matches_the_schema(lines):
    validator = Draft202012Validator(SCHEMA)
    assert len(lines) == 7
    for number, record in enumerate(lines, start=1):
        errors = sorted(validator.iter_errors(record), key=lambda e: list(e.path))
        assert not errors, f"line {number}: {errors[0].message}"


def test_lines_form_one_run_rooted_at_the_agent(lines):
    assert len({record["trace_id"] for record in lines}) == 1
    roots = [record for record in lines if "parent_id" not in record]
    assert [(r["name"], r["kind"]) for r in roots] == [("support_agent", "agent")]
    ids = {record["span_id"] for record in lines}
    assert all(record["parent_id"] in ids for record in lines if "parent_id" in record)
    failed = [record for record in lines if "error" in record]
    assert [r["name"] for r in failed] == ["execute_tool track_shipment"]
    assert all(r["usage"]["input_tokens"] > 0 for r in lines if r.get("kind") == "llm")
