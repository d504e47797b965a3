"""Validate every line of every Examples/**/*.jsonl file against docs/trace-span.schema.json.

Files whose path below Examples/ contains "broken" hold invalid lines on purpose and are
skipped there; test_broken_lines_file_layout checks that the broken-lines example is laid out
as its README says (which lines are good, blank or broken).
"""

import json
import pathlib

import pytest
from jsonschema import Draft202012Validator

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "docs" / "trace-span.schema.json"
EXAMPLES = ROOT / "Examples"


def _load_schema():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return schema


SCHEMA = _load_schema()
VALIDATOR = Draft202012Validator(SCHEMA)


def _strict_loads(text):
    """json.loads that rejects NaN/Infinity, which are not JSON."""

    def bad_constant(name):
        raise ValueError(f"{name} is not valid JSON")

    return json.loads(text, parse_constant=bad_constant)


def _example_files():
    # Skip any file whose name or folder name contains "broken".
    return sorted(p for p in EXAMPLES.rglob("*.jsonl") if "broken" not in p.relative_to(EXAMPLES).as_posix())


def _non_blank_lines(path):
    raw = path.read_bytes()
    text = raw.decode("utf-8")  # examples must be valid UTF-8
    assert not text.startswith("\ufeff"), f"{path}: unexpected byte order mark"
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield number, line


def test_schema_is_valid_draft_2020_12():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(SCHEMA["required"]) == {"trace_id", "span_id", "name", "start_time"}


def test_there_are_examples():
    names = {p.parent.name for p in _example_files()}
    assert {"refund-agent", "multi-agent-handoff", "eval-set"} <= names


@pytest.mark.parametrize("path", _example_files(), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_example_line_matches_schema(path):
    problems = []
    count = 0
    for number, line in _non_blank_lines(path):
        count += 1
        try:
            span = _strict_loads(line)
        except ValueError as exc:
            problems.append(f"line {number}: not JSON: {exc}")
            continue
        for err in sorted(VALIDATOR.iter_errors(span), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in err.path) or "(line)"
            problems.append(f"line {number}: {where}: {err.message}")
    assert count > 0, f"{path} has no spans"
    assert not problems, f"{path}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", _example_files(), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_parents_exist_and_each_run_has_one_root(path):
    spans = {}
    for _, line in _non_blank_lines(path):
        span = _strict_loads(line)
        key = (span["trace_id"], span["span_id"])
        merged = spans.setdefault(key, {})
        merged.update({k: v for k, v in span.items() if v is not None})
    roots = {}
    for (trace_id, span_id), span in spans.items():
        parent = span.get("parent_id")
        if parent is None:
            roots.setdefault(trace_id, []).append(span_id)
        else:
            assert (trace_id, parent) in spans, f"{path}: {span_id} has unknown parent {parent}"
    for trace_id in {t for t, _ in spans}:
        assert len(roots.get(trace_id, [])) == 1, f"{path}: run {trace_id} roots: {roots.get(trace_id)}"


# The broken-lines example: which lines are good is part of its README's contract.
BROKEN = EXAMPLES / "broken-lines" / "trace.jsonl"
BROKEN_GOOD_LINES = {1, 2, 4, 15, 16, 21, 22}
BROKEN_BLANK_LINES = {5, 17}


def _broken_lines():
    raw = BROKEN.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert not raw.endswith(b"\n")
    return raw[3:].split(b"\n")


def _check_line(raw_line):
    text = raw_line.decode("utf-8")
    if text.endswith("\r"):
        text = text[:-1]
    span = _strict_loads(text)
    if not isinstance(span, dict):
        raise ValueError("not an object")
    errors = list(VALIDATOR.iter_errors(span))
    if errors:
        raise ValueError(errors[0].message)
    return span


def test_broken_lines_file_layout():
    lines = _broken_lines()
    assert len(lines) == 22
    assert lines[14].endswith(b"\r") and lines[15].endswith(b"\r")
    for number, raw_line in enumerate(lines, start=1):
        if number in BROKEN_BLANK_LINES:
            assert raw_line.strip() == b"", number
        elif number in BROKEN_GOOD_LINES:
            span = _check_line(raw_line)
            assert span["trace_id"] in {"broken-demo-ok-1", "broken-demo-ok-2"}, number
        else:
            with pytest.raises(ValueError):
                _check_line(raw_line)


MINIMAL = {"trace_id": "t", "span_id": "s", "name": "n", "start_time": "2025-01-02T03:04:05Z"}


@pytest.mark.parametrize(
    "patch",
    [
        {},
        {"start_time": "2025-01-02T03:04:05.123456+05:30"},
        {"start_time": 1735787045, "end_time": 1735787046.25},
        {"parent_id": None, "end_time": None, "kind": "something-new"},
        {"error": "boom"},
        {"error": {"type": "ValueError", "message": "bad", "stack": "..."}},
        {"usage": {"input_tokens": 1, "output_tokens": 2, "total_tokens": 3, "cost": 0.001}},
        {"events": [{"name": "retry", "time": "2025-01-02T03:04:05Z", "attributes": {"attempt": 2}}]},
        {"input": [1, "two", None], "output": None, "custom_field": True},
    ],
)
def test_schema_accepts(patch):
    assert not list(VALIDATOR.iter_errors({**MINIMAL, **patch}))


@pytest.mark.parametrize(
    "patch",
    [
        {"trace_id": None},
        {"trace_id": ""},
        {"span_id": 42},
        {"name": None},
        {"start_time": True},
        {"start_time": "2025-01-02 03:04:05"},  # no time zone
        {"start_time": "2025-13-02T03:04:05Z"},
        {"start_time": -1},
        {"end_time": "yesterday"},
        {"parent_id": 7},
        {"error": 500},
        {"usage": {"input_tokens": -3}},
        {"usage": {"cost": "0.01"}},
        {"scores": {"accuracy": "high"}},
        {"labels": "stale"},
        {"metadata": []},
        {"events": [{"time": "2025-01-02T03:04:05Z"}]},
    ],
)
def test_schema_rejects(patch):
    assert list(VALIDATOR.iter_errors({**MINIMAL, **patch}))


def test_schema_rejects_missing_required_fields():
    for field in ("trace_id", "span_id", "name", "start_time"):
        span = dict(MINIMAL)
        del span[field]
        assert list(VALIDATOR.iter_errors(span)), field


def test_refund_story_shape():
    spans = [_strict_loads(line) for _, line in _non_blank_lines(EXAMPLES / "refund-agent" / "trace.jsonl")]
    assert len(spans) == 6
    by_name = {s["name"]: s for s in spans}
    root = by_name["support-agent"]
    assert root["kind"] == "agent" and root.get("parent_id") is None
    assert root["labels"] == ["stale policy retrieval"]
    assert root["scores"]["correctness"] == 0.0
    assert by_name["lookup_order"]["kind"] == "tool"
    assert by_name["search_policies"]["kind"] == "retrieval"
    assert by_name["update_ticket_state"]["kind"] == "state"
    docs = by_name["search_policies"]["output"]["documents"]
    assert "Refund policy v2 (2023, superseded)" in docs[0]["content"]
    assert docs[0]["metadata"]["updated_at"].startswith("2023-")
    answer = next(s for s in spans if s["kind"] == "llm" and s.get("model") == "gpt-4o-2024-08-06")
    assert "**You are not eligible**" in answer["output"]["content"]
    assert answer["usage"]["cost"] > 0


def test_format_doc_examples_match_schema():
    """The complete and the smallest example lines in docs/trace-format.md are valid."""
    import re

    doc = (ROOT / "docs" / "trace-format.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```json\n(.*?)```", doc, flags=re.S) if '"trace_id"' in b]
    assert len(blocks) >= 2
    for block in blocks:
        span = _strict_loads(block)
        assert not list(VALIDATOR.iter_errors(span)), block
