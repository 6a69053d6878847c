#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_vrrp_rx: the spec vrrp.md test vectors as received IP packets,
each behind a selector byte (0: the group matches the packet; other bits bend the group, see
fuzz_vrrp_rx.c). Run from this directory."""
import os
import struct


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(src, payload, proto=112, options=b""):
    ihl = 5 + len(options) // 4
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0xC0, ihl * 4 + len(payload), 1, 0, 255, proto, 0,
                      bytes(map(int, src.split("."))), bytes([224, 0, 0, 18])) + options
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ip6(src, payload):
    import ipaddress
    return (struct.pack("!IHBB", 0x6C000000, len(payload), 112, 255) + ipaddress.IPv6Address(src).packed +
            ipaddress.IPv6Address("ff02::12").packed + payload)


h = bytes.fromhex
seeds = {
    "v2_noauth": ip4("172.16.0.1", h("216396010001 9c71 ac100018 0000000000000000")),
    "v2_release": ip4("172.16.0.1", h("216300010001 3272 ac100018 0000000000000000")),
    "v2_plaintext": ip4("192.0.2.1", h("216396010101 4935 c0000218 7365637265740000")),
    "v2_owner": ip4("10.0.1.254", h("210aff010001 d3f4 0a0001fe 0000000000000000")),
    "v3_ipv4_form_b": ip4("192.0.2.1", h("312a64010064 05ad c0000232")),
    "v3_ipv4_form_a": ip4("192.0.2.1", h("312a64010064 a83d c0000232")),
    "v3_ipv6": ip6("fe80::d436:21ff:fea6:b568",
                   h("3107c8020064 31e2 fe800000000000000000000000000001 20010db8000000000000000000000001")),
    "v2_ah": h("45c000400001 0000 ff3318b6 c0000201 e0000012"
               "70040000 c0000201 00000001 12f1a726da056e0165ed41a6"
               "2101c8010201 51fd c00002fe 0000000000000000"),
    "v2_ip_options": ip4("172.16.0.1", h("216396010001 9c71 ac100018 0000000000000000"),
                         options=h("94040000")),
    "carp": ip4("172.16.0.1", h("21630007 0001 0000") + bytes(28)),
}
os.makedirs("corpus/vrrp_rx", exist_ok=True)
for name, pkt in seeds.items():
    with open(f"corpus/vrrp_rx/{name}", "wb") as f:
        f.write(b"\0" + pkt)
# The same vectors with the group bent by selector bits, so each later step has a seed that reaches it.
variants = {
    "sel_version_v3_ipv4_form_b": (0x01, "v3_ipv4_form_b"),
    "sel_auth_type_v2_noauth": (0x02, "v2_noauth"),
    "sel_owner_v2_noauth": (0x04, "v2_noauth"),
    "sel_vips_v2_owner": (0x08, "v2_owner"),
    "sel_vips_v3_ipv6": (0x08, "v3_ipv6"),
    "sel_interval_v2_noauth": (0x10, "v2_noauth"),
    "sel_replay_v2_ah": (0x20, "v2_ah"),
    "sel_password_v2_plaintext": (0x40, "v2_plaintext"),
    "sel_password_v2_ah": (0x40, "v2_ah"),
}
for name, (sel, base) in variants.items():
    with open(f"corpus/vrrp_rx/{name}", "wb") as f:
        f.write(bytes([sel]) + seeds[base])
# Selector bit 7: a group description for the build-then-receive property (v2 AH, 2 VIPs).
with open("corpus/vrrp_rx/build_v2_ah", "wb") as f:
    f.write(b"\x80" + h("08 11 0001") + b"YOGHURT\0" + h("01 c8 00 0001 000001 c0000201")
            + h("c00002fe c00002fd"))
