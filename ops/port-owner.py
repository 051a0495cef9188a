#!/usr/bin/env python3
"""Exit 0 when process PID (or one of its threads) owns a socket listening on 127.0.0.1:PORT.

Tansu panics in a worker thread but keeps running (and exits 0) when its port is taken,
so "the port answers" is not enough: the listener must be ours.
usage: port-owner.py PID PORT"""
import os, sys

pid, port = sys.argv[1], int(sys.argv[2])
inodes = set()
for table in ("/proc/net/tcp", "/proc/net/tcp6"):
    try:
        with open(table) as f:
            next(f)
            for line in f:
                fields = line.split()
                local, state, inode = fields[1], fields[3], fields[9]
                if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                    inodes.add(inode)
    except FileNotFoundError:
        pass
try:
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            sys.exit(0)
except FileNotFoundError:
    pass
sys.exit(1)
