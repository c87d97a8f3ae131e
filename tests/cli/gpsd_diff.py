#!/usr/bin/python3
"""Differential test of `vesselwatch decode` against gpsd's `gpsdecode -j`, message by message.

For every input file both decoders run on the same bytes (gpsdecode reads stdin, so .gz inputs are
decompressed first). The two JSON message streams are aligned, then every field gpsd prints is compared
with ours. Disagreements are counted by (type, field); the run fails on any disagreement that is not
listed in the allow-list (tests/cli/gpsd_diff_allow.tsv), whose every entry says who is right per
ITU-R M.1371 / the AIVDM documentation and why.

Alignment. Both decoders emit messages in input order, but each drops messages the other keeps
(gpsd rejects sloppy lengths and some channels; we reject other things). Messages are paired greedily
in order on a primary key (type, mmsi) refined by a per-type secondary key (the time-stamp second, the
type-24 part, the DAC/FID...), with a bounded look-ahead that skips the side whose skip is shorter;
a final pass pairs leftovers that were reordered (multi-part messages completing late). A message that
finds no partner is counted as "only in gpsd" or "only in ours" under the pseudo-field "message".

Field comparison. Every field gpsd emits is compared, except `class` and `device` (ours names the
file). Our added fields (`rxtime`, `station`, `line`, and any other field gpsd does not print) are
reported under "extra:<field>" only when they replace nothing gpsd prints; they are informational.
Numbers printed with decimals are equal when they differ by at most one unit of the last printed
digit of either side (gpsd prints latitude with 6 decimals, speed with 1, ...). A JSON type change
(gpsd's quoted "12.5" versus our 12.5, or true versus 1) is its own kind of disagreement ("type:<field>").

usage:
  gpsd_diff.py --vw PATH/vesselwatch [--allow TSV] [--gpsdecode gpsdecode] FILE...
  gpsd_diff.py --compare GPSD.ndjson OURS.ndjson [--allow TSV]     (two existing outputs)
Exit status: 0 all disagreements allowed, 1 some are not, 2 a decoder failed or bad usage.
"""
import argparse
import collections
import decimal
import gzip
import json
import os
import subprocess
import sys

# Fields never compared: `class` is constant, `device` is the input name (gpsd says "stdin").
IGNORED_FIELDS = frozenset({"class", "device"})
# Fields vesselwatch adds after gpsd's (receive time, receiving station, input line): not in gpsd.
OUR_EXTRA_FIELDS = frozenset({"rxtime", "station", "line"})
LOOKAHEAD_MESSAGES = 64
RESCUE_DISTANCE_MESSAGES = 400


class Num(float):
    """A JSON number printed with a fraction or exponent, remembering the unit of its last digit."""

    __slots__ = ("unit",)

    def __new__(cls, text):
        self = super().__new__(cls, text)
        exp = decimal.Decimal(text).as_tuple().exponent
        self.unit = 10.0 ** exp if isinstance(exp, int) else 0.0
        return self


def load_ndjson(text, origin):
    msgs = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line, parse_float=Num)
        except ValueError as e:
            raise SystemExit("gpsd_diff: %s line %d is not JSON (%s): %.200s" % (origin, n, e, line))
        if isinstance(obj, dict) and obj.get("class", "AIS") == "AIS" and "type" in obj:
            msgs.append(obj)
    return msgs


def flatten(obj, prefix=""):
    """Nested objects and arrays become dotted paths: "a.b", "list[0].x"."""
    out = {}
    for k, v in obj.items():
        key = prefix + k
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        elif isinstance(v, list):
            for i, e in enumerate(v):
                if isinstance(e, dict):
                    out.update(flatten(e, "%s[%d]." % (key, i)))
                else:
                    out["%s[%d]" % (key, i)] = e
            out[key + "#len"] = len(v)
        else:
            out[key] = v
    return out


def secondary_key(m):
    """Per-type refinement of (type, mmsi): fields that separate two messages of one vessel."""
    t = m.get("type")
    if t in (1, 2, 3, 9, 18, 19, 21):
        return (m.get("second"),)
    if t in (4, 11):
        return (m.get("timestamp"), m.get("year"), m.get("month"), m.get("day"), m.get("hour"),
                m.get("minute"), m.get("second"))
    if t in (6, 8, 25, 26):
        return (m.get("dac"), m.get("fid"), m.get("app_id"))
    if t == 24:
        return (m.get("partno"),)
    if t in (10, 12, 13, 7, 15, 16):
        return (m.get("dest_mmsi"), m.get("mmsi1"))
    if t == 27:
        return (m.get("lat"), m.get("lon"))
    return ()


def primary_key(m):
    return (m.get("type"), m.get("mmsi"))


def align(gpsd, ours):
    """Returns (pairs, gpsd_only_indices, ours_only_indices); pairs are (gpsd_index, ours_index)."""
    kg1 = [primary_key(m) for m in gpsd]
    ko1 = [primary_key(m) for m in ours]
    kg2 = [k + secondary_key(m) for k, m in zip(kg1, gpsd)]
    ko2 = [k + secondary_key(m) for k, m in zip(ko1, ours)]
    pairs, g_only, o_only = [], [], []
    i = j = 0
    ng, no = len(gpsd), len(ours)

    def find(keys, start, end, key):
        for k in range(start, min(end, len(keys))):
            if keys[k] == key:
                return k
        return -1

    while i < ng and j < no:
        if kg2[i] == ko2[j]:
            pairs.append((i, j))
            i += 1
            j += 1
            continue
        # Look ahead for an exact (refined) partner on either side; skip the shorter gap.
        jj = find(ko2, j + 1, j + LOOKAHEAD_MESSAGES, kg2[i])
        ii = find(kg2, i + 1, i + LOOKAHEAD_MESSAGES, ko2[j])
        if jj >= 0 or ii >= 0:
            if ii < 0 or (jj >= 0 and jj - j <= ii - i):
                o_only.extend(range(j, jj))
                j = jj
            else:
                g_only.extend(range(i, ii))
                i = ii
            continue
        # No refined partner near: pair on the primary key (the refining field itself may differ)
        # when the two messages are otherwise alike; very different ones are two distinct messages.
        if kg1[i] == ko1[j] and alike(gpsd[i], ours[j]):
            pairs.append((i, j))
            i += 1
            j += 1
            continue
        jj = find(ko1, j + 1, j + LOOKAHEAD_MESSAGES, kg1[i])
        ii = find(kg1, i + 1, i + LOOKAHEAD_MESSAGES, ko1[j])
        if jj < 0 and ii < 0:
            g_only.append(i)
            o_only.append(j)
            i += 1
            j += 1
        elif ii < 0 or (jj >= 0 and jj - j <= ii - i):
            o_only.extend(range(j, jj))
            j = jj
        else:
            g_only.extend(range(i, ii))
            i = ii
    g_only.extend(range(i, ng))
    o_only.extend(range(j, no))

    # Rescue pass: leftovers reordered by late multi-part completion pair up by refined, then primary key.
    for keys_g, keys_o in ((kg2, ko2), (kg1, ko1)):
        if not g_only or not o_only:
            break
        pending = collections.defaultdict(collections.deque)
        for j in o_only:
            pending[keys_o[j]].append(j)
        still_g, used_o = [], set()
        for i in g_only:
            q = pending.get(keys_g[i])
            partner = None
            while q:
                j = q.popleft()
                if abs(j - i) <= RESCUE_DISTANCE_MESSAGES + abs(no - ng) and alike(gpsd[i], ours[j]):
                    partner = j
                    break
            if partner is None:
                still_g.append(i)
            else:
                pairs.append((i, partner))
                used_o.add(partner)
        g_only = still_g
        o_only = [j for j in o_only if j not in used_o]
    pairs.sort()
    return pairs, g_only, o_only


def alike(g, o):
    """True when at most a quarter (and at least 2) of gpsd's compared fields differ: a real decoder
    bug changes a field or two; more differences mean two different transmissions."""
    fg, fo = flatten(g), flatten(o)
    fields = [f for f in fg if f not in IGNORED_FIELDS]
    differ = sum(1 for f in fields if f not in fo or not same_value(fg[f], fo[f])[0])
    return differ <= max(2, len(fields) // 4)


def as_number(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        try:
            return Num(v) if any(c in v for c in ".eE") else int(v)
        except (ValueError, decimal.InvalidOperation):
            return None
    return None


def same_value(g, o):
    """(equal, kind) where kind is "" for a value difference or "type" for a JSON type difference."""
    if type(g) is type(o) or (isinstance(g, (int, float)) and isinstance(o, (int, float))
                              and not isinstance(g, bool) and not isinstance(o, bool)):
        if isinstance(g, (int, float)) and not isinstance(g, bool):
            return numbers_equal(g, o), ""
        return g == o, ""
    # Different JSON types: equal values in another spelling are a "type" disagreement.
    ng, no = as_number(g), as_number(o)
    if ng is not None and no is not None and numbers_equal(ng, no):
        return False, "type"
    if isinstance(g, bool) and isinstance(o, int) and int(g) == o:
        return False, "type"
    return False, ""


def numbers_equal(g, o):
    if g == o:
        return True
    unit = max(getattr(g, "unit", 0.0), getattr(o, "unit", 0.0))
    if unit == 0.0:
        return False
    return abs(float(g) - float(o)) <= unit * 1.000001


class Allow:
    """The allow-list: (type, field) -> reason. type "*" matches every type."""

    def __init__(self, path):
        self.entries = {}
        self.used = set()
        if not path or not os.path.exists(path):
            return
        with open(path, encoding="utf-8") as f:
            for n, raw in enumerate(f, 1):
                line = raw.rstrip("\n")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                cols = line.split("\t")
                if len(cols) < 3 or not cols[2].strip():
                    raise SystemExit("gpsd_diff: %s:%d: need 3 tab-separated columns (type, field, reason)"
                                     % (path, n))
                self.entries[(cols[0].strip(), cols[1].strip())] = cols[2].strip()

    def reason(self, mtype, field):
        """field is e.g. "speed", "type:ne_lon", "message:ours-only"."""
        candidates = [field]
        if field.startswith("message:"):
            candidates.append("message")
        for f in candidates:
            for t in (str(mtype), "*"):
                if (t, f) in self.entries:
                    self.used.add((t, f))
                    return self.entries[(t, f)]
        return None


def compare(gpsd, ours):
    """Returns a dict of counters and examples for one file."""
    pairs, g_only, o_only = align(gpsd, ours)
    mismatches = collections.Counter()
    examples = {}
    extras = collections.Counter()
    for i, j in pairs:
        g = flatten(gpsd[i])
        o = flatten(ours[j])
        t = g.get("type")
        for field, gv in g.items():
            if field in IGNORED_FIELDS:
                continue
            if field not in o:
                key = (t, "missing:" + field)
            else:
                eq, kind = same_value(gv, o[field])
                if eq:
                    continue
                key = (t, (kind + ":" if kind else "") + field)
            mismatches[key] += 1
            examples.setdefault(key, (ours[j].get("line"), o.get(field, "<absent>"), gv, gpsd[i].get("mmsi")))
        for field in o:
            if field not in g and field not in IGNORED_FIELDS and field not in OUR_EXTRA_FIELDS:
                extras[(t, field)] += 1
    only = collections.Counter()
    for i in g_only:
        key = (gpsd[i].get("type"), "message:gpsd-only")
        only[key] += 1
        examples.setdefault(key, (None, "<absent>", json.dumps(gpsd[i])[:160], gpsd[i].get("mmsi")))
    for j in o_only:
        key = (ours[j].get("type"), "message:ours-only")
        only[key] += 1
        examples.setdefault(key, (ours[j].get("line"), json.dumps(ours[j])[:160], "<absent>", ours[j].get("mmsi")))
    return {"gpsd": len(gpsd), "ours": len(ours), "matched": len(pairs), "mismatches": mismatches,
            "only": only, "extras": extras, "examples": examples}


def run_gpsdecode(gpsdecode, path):
    data = read_bytes(path)
    p = subprocess.run([gpsdecode, "-j"], input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise SystemExit("gpsd_diff: gpsdecode failed on %s (exit %d): %s"
                         % (path, p.returncode, p.stderr.decode(errors="replace")[:500]))
    return p.stdout.decode("utf-8", errors="replace")


def run_ours(vw, path):
    p = subprocess.run([vw, "decode", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise SystemExit("gpsd_diff: %s decode %s failed (exit %d): %s"
                         % (vw, path, p.returncode, p.stderr.decode(errors="replace")[:500]))
    return p.stdout.decode("utf-8", errors="replace")


def read_bytes(path):
    if path.endswith(".gz"):
        with gzip.open(path, "rb") as f:
            return f.read()
    with open(path, "rb") as f:
        return f.read()


def fmt_example(ex):
    line, ours, gpsd, mmsi = ex
    where = "line %s" % line if line is not None else "gpsd message"
    return "%s, mmsi %s: ours=%s gpsd=%s" % (where, mmsi, short(ours), short(gpsd))


def short(v):
    s = v if isinstance(v, str) else json.dumps(v)
    return s if len(s) <= 120 else s[:117] + "..."


def report(name, res, allow, out):
    """Prints one file's report; returns the number of disallowed disagreements."""
    out.write("== %s: gpsd %d messages, ours %d, matched %d, only in gpsd %d, only in ours %d\n"
              % (name, res["gpsd"], res["ours"], res["matched"], sum(
                  v for (t, f), v in res["only"].items() if f.endswith("gpsd-only")),
                 sum(v for (t, f), v in res["only"].items() if f.endswith("ours-only"))))
    bad = 0
    rows = sorted(list(res["only"].items()) + list(res["mismatches"].items()),
                  key=lambda kv: (kv[0][0] if isinstance(kv[0][0], int) else 99, kv[0][1]))
    for (t, field), n in rows:
        reason = allow.reason(t, field)
        mark = "allowed" if reason else "FAIL"
        if not reason:
            bad += n
        out.write("   %-7s type %-3s %-28s %6d   e.g. %s\n" % (mark, t, field, n, fmt_example(res["examples"][(t, field)])))
    for (t, field), n in sorted(res["extras"].items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        out.write("   info    type %-3s extra:%-22s %6d   (field gpsd does not print)\n" % (t, field, n))
    return bad


def main():
    ap = argparse.ArgumentParser(description="vesselwatch decode vs gpsdecode -j, field by field")
    ap.add_argument("files", nargs="*")
    ap.add_argument("--vw", help="path to the vesselwatch binary")
    ap.add_argument("--gpsdecode", default="gpsdecode")
    ap.add_argument("--allow", help="allow-list TSV (type, field, reason)")
    ap.add_argument("--compare", nargs=2, metavar=("GPSD_NDJSON", "OURS_NDJSON"),
                    help="compare two existing outputs instead of running the decoders")
    ap.add_argument("--save-dir", help="keep each file's two outputs here")
    args = ap.parse_args()
    allow = Allow(args.allow)
    out = sys.stdout
    total_bad = 0
    totals = collections.Counter()
    if args.compare:
        with open(args.compare[0], encoding="utf-8", errors="replace") as f:
            g = load_ndjson(f.read(), args.compare[0])
        with open(args.compare[1], encoding="utf-8", errors="replace") as f:
            o = load_ndjson(f.read(), args.compare[1])
        res = compare(g, o)
        total_bad += report(os.path.basename(args.compare[1]), res, allow, out)
    else:
        if not args.vw or not args.files:
            ap.error("need --vw and at least one FILE (or --compare)")
        for path in args.files:
            gtext = run_gpsdecode(args.gpsdecode, path)
            otext = run_ours(args.vw, path)
            if args.save_dir:
                base = os.path.join(args.save_dir, path.strip("/").replace("/", "__"))
                with open(base + ".gpsd.ndjson", "w") as f:
                    f.write(gtext)
                with open(base + ".ours.ndjson", "w") as f:
                    f.write(otext)
            res = compare(load_ndjson(gtext, "gpsdecode output of " + path),
                          load_ndjson(otext, "vesselwatch output of " + path))
            for k in ("gpsd", "ours", "matched"):
                totals[k] += res[k]
            total_bad += report(path, res, allow, out)
        out.write("== total: %d files, gpsd %d messages, ours %d, matched %d\n"
                  % (len(args.files), totals["gpsd"], totals["ours"], totals["matched"]))
    stale = sorted(set(allow.entries) - allow.used)
    for t, f in stale:
        out.write("   note: allow-list entry (%s, %s) matched nothing in this run\n" % (t, f))
    if total_bad:
        out.write("gpsd_diff: FAIL: %d disagreements not in the allow-list\n" % total_bad)
        return 1
    out.write("gpsd_diff: OK: every disagreement is allow-listed with a reason\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
