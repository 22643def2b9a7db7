#!/usr/bin/env python3
"""Raw Ethernet frames for the spoofing tests, run inside a test container's netns.

  rawframe.py send IFACE HEXFRAME        sends one frame exactly as given (e.g. with an 802.1Q tag)
  rawframe.py count IFACE MS HEXPATTERN  counts received frames containing HEXPATTERN during MS
                                         milliseconds (prints "ready" once listening, then the count)
"""
import socket
import sys
import time

ETH_P_ALL = 0x0003


def send(iface, hexframe):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    s.send(bytes.fromhex(hexframe))


def count(iface, ms, pattern):
    want = bytes.fromhex(pattern)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    s.settimeout(0.05)
    print("ready", flush=True)
    seen = 0
    deadline = time.monotonic() + int(ms) / 1000
    while time.monotonic() < deadline:
        try:
            frame, addr = s.recvfrom(65535)
        except socket.timeout:
            continue
        if addr[2] != socket.PACKET_OUTGOING and want in frame:
            seen += 1
    print(seen, flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "send":
        send(sys.argv[2], sys.argv[3])
    else:
        count(sys.argv[2], sys.argv[3], sys.argv[4])
