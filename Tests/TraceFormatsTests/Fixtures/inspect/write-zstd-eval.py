#!/usr/bin/env python3
"""Writes refund-zstd.eval from refund-zstd.json in the layout Inspect 0.3.285 writes by default:
a ZIP archive whose entries are Zstandard-compressed (method 93, version needed 6.3), holding
_journal/start.json, samples/<id>_epoch_<n>.json, summaries.json, reductions.json and header.json.
Compression goes through the zstd command-line tool, so it runs on Python versions whose zipfile
module has no ZIP_ZSTANDARD."""
import json, struct, subprocess, zlib
from pathlib import Path

here = Path(__file__).parent
log = json.loads((here / "refund-zstd.json").read_text())
samples = log.pop("samples")
reductions = log.pop("reductions")
start = {k: log[k] for k in ("version", "eval", "plan")}
summaries = [{"id": s["id"], "epoch": s["epoch"], "input": s["input"], "target": s["target"],
              "scores": s["scores"], "model_usage": s["model_usage"], "uuid": s["uuid"], "completed": True}
             for s in samples]
entries = [("_journal/start.json", start)]
entries += [(f"samples/{s['id']}_epoch_{s['epoch']}.json", s) for s in samples]
entries += [("summaries.json", summaries), ("reductions.json", reductions), ("header.json", log)]

out, directory = bytearray(), bytearray()
for name, value in entries:
    data = json.dumps(value).encode()
    packed = subprocess.run(["zstd", "-q", "-3", "-c"], input=data, capture_output=True, check=True).stdout
    crc, raw = zlib.crc32(data), name.encode()
    offset = len(out)
    # Fixed DOS time 2026-11-30 10:15:02 keeps the file reproducible.
    time, date = (10 << 11) | (15 << 5) | 1, ((2026 - 1980) << 9) | (11 << 5) | 30
    out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 63, 0, 93, time, date, crc, len(packed), len(data), len(raw), 0) + raw + packed
    directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 63, 63, 0, 93, time, date, crc, len(packed), len(data),
                             len(raw), 0, 0, 0, 0, 0, offset) + raw
end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), len(out), 0)
(here / "refund-zstd.eval").write_bytes(bytes(out + directory + end))
