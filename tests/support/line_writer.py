#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes an instrument's lines to a file (one end of a socat pty pair) at a steady rate, for
Vigil's line-source tests and `vigil bench lines`.

Usage: line_writer.py PATH FORMAT COUNT RATE_HZ [COLUMNS] [BAD_EVERY]
FORMAT is csv (a header line first), kv or json. Each line carries seq (0..COUNT-1), ts (epoch
ms) and COLUMNS-2 more values (default 4 in all). Every BAD_EVERY-th line (0: none) is
malformed instead: "oops" where a number belongs. Prints "wrote N bad B" at the end.
"""
import sys
import time

path, fmt, count, rate = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
columns = int(sys.argv[5]) if len(sys.argv) > 5 else 4
bad_every = int(sys.argv[6]) if len(sys.argv) > 6 else 0
names = ["seq", "ts"] + ["v%d" % i for i in range(1, columns - 1)]
bad = 0
with open(path, "wb", buffering=0) as out:
    if fmt == "csv":
        out.write((",".join(names) + "\n").encode())
    start = time.monotonic()
    chunk = []
    for seq in range(count):
        values = [str(seq), str(int(time.time() * 1000))] + \
            ["%.3f" % (seq * 0.5 + i) for i in range(columns - 2)]
        if bad_every and seq % bad_every == bad_every - 1:
            values[2] = "oops"
            bad += 1
        if fmt == "csv":
            line = ",".join(values)
        elif fmt == "kv":
            line = " ".join("%s=%s" % kv for kv in zip(names, values))
        else:
            line = "{" + ",".join('"%s":%s' % (k, v if v != "oops" else '"oops"')
                                  for k, v in zip(names, values)) + "}"
        chunk.append(line + "\n")
        due = start + (seq + 1) / rate
        if time.monotonic() >= due or len(chunk) >= 50:
            out.write("".join(chunk).encode())
            chunk = []
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
    out.write("".join(chunk).encode())
print("wrote", count, "bad", bad, flush=True)
