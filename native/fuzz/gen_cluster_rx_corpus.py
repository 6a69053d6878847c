#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_cluster_rx: Tandem v1 heartbeats (spec clustering.md §6.3) signed
with the target's fixed key, each behind a selector byte (0: decode as is; bit 0: the target signs the
datagram again; bit 1: it also sets the header length; see fuzz_cluster_rx.c). Run from this directory."""
import hashlib
import hmac
import os
import struct

KEY = b"fuzz-cluster-secret"


def heartbeat(node, group, bits, total, gen=17, seq=1, role=1, state=3, flags=0, keepalive=2000, link=0,
              digest=bytes(range(16)), key=KEY):
    bm = bytearray((total + 7) // 8)
    for i in bits:
        bm[i // 8] |= 1 << (i % 8)
    body_len = (56 + len(node) + len(group) + len(bm) + 3) & ~3
    length = body_len + 32
    fixed = (b"TCHB" + struct.pack("!BBHQQBBHIHH", 1, 1, length, gen, seq, role, state, flags, keepalive, total,
                                   len(bits)) + digest + bytes([link, len(node), len(group), 0]))
    body = fixed + node + group + bytes(bm)
    body += bytes(body_len - len(body))
    return body + hmac.new(key, body, hashlib.sha256).digest()


seeds = {
    "golden_r1": (0, heartbeat(b"R1", b"cluster1", [0, 2], 3)),
    "standby_10_monitors": (0, heartbeat(b"router-east_2", b"vpn.cluster-A", [0, 2, 3, 9], 10, gen=2 ** 63 + 23,
                                         seq=2 ** 33 - 2, role=2, state=1, flags=0x0b, keepalive=500, link=2)),
    "init_no_monitors": (0, heartbeat(b"a", b"b", [], 0, gen=1, seq=0, role=2, state=0)),
    "largest": (0, heartbeat(b"n" * 63, b"g" * 64, list(range(256)), 256, flags=0x0f, link=255)),
    "wrong_key": (0, heartbeat(b"R2", b"cluster1", [1], 2, key=b"other")),
    "resign_wrong_key": (1, heartbeat(b"R2", b"cluster1", [1], 2, key=b"other")),
    "resign_relength_releasing": (3, heartbeat(b"R2", b"cluster1", [0, 1, 4, 7, 8], 9, state=4, flags=0x04)),
}
os.makedirs("corpus/cluster_rx", exist_ok=True)
for name, (sel, dg) in seeds.items():
    with open(f"corpus/cluster_rx/{name}", "wb") as f:
        f.write(bytes([sel]) + dg)
