#!/usr/bin/python3
"""Decode every AIS sentence of FILE with libais (python3-ais) and write one JSON line per message.

The libais peer of bench/run.sh. Multi-part messages are reassembled by libais itself
(ais.stream.decode, which groups fragments by station, sequence id and channel); tag blocks are
parsed by libais too. Run it with /usr/bin/python3, the interpreter that sees Debian's python3-ais.

usage: /usr/bin/python3 bench/libais_decode.py [--max-lines N] FILE|-   (.gz is read transparently)
"""
import argparse
import gzip
import itertools
import json
import sys

import ais.stream


def quiet(_error, _stats, **_kw):
    """libais reports every rejected line through this callback; the benchmark only counts them."""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--max-lines", type=int, default=0, help="decode only the first N lines (0 = all)")
    args = ap.parse_args()

    if args.file == "-":
        src = sys.stdin
    elif args.file.endswith(".gz"):
        src = gzip.open(args.file, "rt", encoding="ascii", errors="replace")
    else:
        src = open(args.file, "r", encoding="ascii", errors="replace")
    lines = itertools.islice(src, args.max_lines) if args.max_lines > 0 else src

    stats = {}
    out = sys.stdout
    dumps = json.JSONEncoder(separators=(",", ":"), default=str).encode
    n = 0
    # allow_unknown: plain receiver logs carry no station id, which libais otherwise requires to
    # reassemble multi-part messages; allow_missing_timestamps: most files have no per-line times.
    for msg in ais.stream.decode(lines, errorcb=quiet, stats=stats, allow_unknown=True,
                                 allow_missing_timestamps=True):
        out.write(dumps(msg))
        out.write("\n")
        n += 1
    sys.stderr.write("libais_decode: %d messages from %d lines, %d errors\n"
                     % (n, stats.get("line_num", 0), stats.get("error_num_total", 0)))


if __name__ == "__main__":
    main()
