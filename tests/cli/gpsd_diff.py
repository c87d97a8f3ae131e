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
import bisect
import collections
import decimal
import gzip
import json
import os
import re
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
        return (m.get("part"),)
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
            parts = field.split(":")
            candidates += [":".join(parts[:2]), "message"]
        for f in candidates:
            for t in (str(mtype), "*"):
                if (t, f) in self.entries:
                    self.used.add((t, f))
                    return self.entries[(t, f)]
        return None


TYPE24_PART_A_FIELDS = ("shipname",)


def split_merged_type24(msgs):
    """gpsd --split24 still aggregates the halves of a type 24 it holds both of: after emitting part A
    alone it emits, at part B, one message without "part" that carries both halves. We emit each half
    as received. Such a message is turned back into the part B it stands for (plus a part A when gpsd
    had not emitted that A on its own), so that every half is compared once."""
    out = []
    seen_a = set()
    for m in msgs:
        if m.get("type") == 24 and m.get("part") == "A":
            seen_a.add((m.get("mmsi"), m.get("shipname")))
        if m.get("type") == 24 and "part" not in m and "shipname" in m and len(m) > 8:
            head = {k: m[k] for k in ("class", "device", "type", "repeat", "mmsi", "scaled") if k in m}
            if (m.get("mmsi"), m.get("shipname")) not in seen_a:
                out.append(dict(head, part="A", shipname=m["shipname"]))
            b = dict(head, part="B")
            b.update((k, v) for k, v in m.items() if k not in head and k not in TYPE24_PART_A_FIELDS)
            out.append(b)
        else:
            out.append(m)
    return out


def with_talker(raw, talker):
    """The raw line with the AIS sentence's talker replaced and its checksum recomputed."""
    k = raw.find("!")
    star = raw.find("*", k)
    if k < 0 or star < 0 or len(raw) < k + 3:
        return raw
    body = talker + raw[k + 3:star]
    x = 0
    for c in body:
        x ^= ord(c)
    return raw[:k] + "!" + body + "*%02X" % x + raw[star + 3:]


def sentence_fields(raw):
    """Fields of the AIS sentence in a raw line (after any tag block), or None."""
    k = raw.find("!")
    if k < 0:
        return None
    f = raw[k + 1:].split("*")[0].split(",")
    return f if len(f) >= 7 else None


def fragments_of(lines, first):
    """The raw lines of the message whose first fragment is on line `first` (1-based)."""
    raw = lines[first - 1] if 0 < first <= len(lines) else ""
    f = sentence_fields(raw)
    if not f or not f[1].isdigit() or int(f[1]) <= 1:
        return [raw]
    want, got = int(f[1]), [raw]
    for n in range(first, min(len(lines), first + 40)):
        g = sentence_fields(lines[n])
        if g and g[1] == f[1] and g[3] == f[3] and g[4] == f[4] and g[2].isdigit() and int(g[2]) == len(got) + 1:
            got.append(lines[n])
            if len(got) == want:
                break
    return got


class Classifier:
    """Why a message is decoded by one side only, found by re-running each decoder on its lines alone.

    ours-only causes (gpsdecode on the message's own lines): gpsd-no-final-newline (the file's last
    line has no line end), gpsd-resync-after-broken-line (the line before is a sentence cut short),
    gpsd-decodes-alone (another context difference), gpsd-length (size out of range), gpsd-channel
    (invalid AIS channel), gpsd-malformed, gpsd-several-sentences-per-line (tag block + sentence twice
    on one physical line), gpsd-talker (gpsd decodes it once the talker is changed to AI),
    gpsd-other / gpsd-silent (not understood: investigate).  gpsd-only causes: ours-<issue kind> from our --stats
    on the line gpsd decoded it from, or unlocated."""

    def __init__(self, gpsdecode_cmd, vw):
        self.gpsdecode_cmd = gpsdecode_cmd
        self.vw = vw
        self.cache = {}

    def gpsd_alone(self, raw_lines):
        key = ("g",) + tuple(raw_lines)
        if key not in self.cache:
            data = ("\n".join(raw_lines) + "\n").encode("latin-1", errors="replace")
            p = subprocess.run(self.gpsdecode_cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            self.cache[key] = (load_ndjson(p.stdout.decode("utf-8", errors="replace"), "gpsdecode"),
                               p.stderr.decode("utf-8", errors="replace"))
        return self.cache[key]

    def ours_only(self, lines, m, ends_with_newline):
        first = m.get("line") or 0
        raw = fragments_of(lines, first)
        msgs, err = self.gpsd_alone(raw)
        if msgs:
            last = first + len(raw) - 1
            if not ends_with_newline and last >= len(lines):
                return "gpsd-no-final-newline"
            prev = lines[first - 2] if first >= 2 else ""
            if prev.startswith(("!", "\\")) and "*" not in prev[prev.find("!") + 1:]:
                return "gpsd-resync-after-broken-line"
            return "gpsd-decodes-alone"
        if "size is out of range" in err or "size not" in err:
            return "gpsd-length"
        if "invalid AIS channel" in err:
            return "gpsd-channel"
        if "malformed" in err:
            return "gpsd-malformed"
        if any(len(re.findall(r"![A-Za-z0-9=-]{2}VD[MO],", r)) > 1 for r in raw):
            return "gpsd-several-sentences-per-line"
        if self.gpsd_alone([with_talker(r, "AI") for r in raw])[0]:
            return "gpsd-talker"
        return "gpsd-other" if err.strip() else "gpsd-silent"

    def gpsd_only(self, lines, gmsg, lo, hi):
        """Finds the line in [lo, hi] (1-based) that gpsd decodes `gmsg` from, then asks our decoder."""
        target = (gmsg.get("type"), gmsg.get("mmsi"))
        for n in range(max(1, lo), min(len(lines), hi) + 1):
            for raw in ([lines[n - 1]], lines[n - 1:n + 1]):
                msgs, _ = self.gpsd_alone(raw)
                if any((x.get("type"), x.get("mmsi")) == target for x in msgs):
                    return self.our_issue(raw)
        return "unlocated"

    def our_issue(self, raw_lines):
        if not self.vw:
            return "unknown"
        data = ("\n".join(raw_lines) + "\n").encode("latin-1", errors="replace")
        p = subprocess.run([self.vw, "decode", "--stats", "-"], input=data, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        try:
            issues = json.loads(p.stderr.decode("utf-8", errors="replace").strip().splitlines()[-1])["issues"]
        except (ValueError, KeyError, IndexError):
            return "ours-unknown"
        kinds = sorted(k for k, v in issues.items() if v and k not in ("empty_line", "non_ais_sentence"))
        return "ours-" + ("+".join(kinds) if kinds else "none")


def compare(gpsd, ours, lines=None, classifier=None, ends_with_newline=True):
    """Returns a dict of counters and examples for one file."""
    gpsd = split_merged_type24(gpsd)
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
    by_gpsd_index = dict(pairs)
    paired_g = sorted(by_gpsd_index)
    for i in g_only:
        cause = ""
        if classifier and lines is not None:
            # the line lies between our lines of the nearest paired neighbours
            k = bisect.bisect_left(paired_g, i)
            lo = ours[by_gpsd_index[paired_g[k - 1]]].get("line", 1) if k > 0 else 1
            hi = ours[by_gpsd_index[paired_g[k]]].get("line", len(lines)) if k < len(paired_g) else len(lines)
            cause = ":" + classifier.gpsd_only(lines, gpsd[i], lo, min(hi, lo + 400))
        key = (gpsd[i].get("type"), "message:gpsd-only" + cause)
        only[key] += 1
        examples.setdefault(key, (None, "<absent>", json.dumps(gpsd[i])[:160], gpsd[i].get("mmsi")))
    for j in o_only:
        cause = ""
        if classifier and lines is not None:
            cause = ":" + classifier.ours_only(lines, ours[j], ends_with_newline)
        key = (ours[j].get("type"), "message:ours-only" + cause)
        only[key] += 1
        examples.setdefault(key, (ours[j].get("line"), json.dumps(ours[j])[:160], "<absent>", ours[j].get("mmsi")))
    return {"gpsd": len(gpsd), "ours": len(ours), "matched": len(pairs), "mismatches": mismatches,
            "only": only, "extras": extras, "examples": examples}


def gpsdecode_command(gpsdecode):
    # --split24: report type 24 halves as received, as we do (gpsd still merges when it holds both).
    return [gpsdecode, "-j", "--split24"]


def run_gpsdecode(gpsdecode, path):
    data = read_bytes(path)
    p = subprocess.run(gpsdecode_command(gpsdecode), input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
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
                  v for (t, f), v in res["only"].items() if "gpsd-only" in f),
                 sum(v for (t, f), v in res["only"].items() if "ours-only" in f)))
    bad = 0
    rows = sorted(list(res["only"].items()) + list(res["mismatches"].items()),
                  key=lambda kv: (kv[0][0] if isinstance(kv[0][0], int) else 99, kv[0][1]))
    for (t, field), n in rows:
        reason = allow.reason(t, field)
        mark = "allowed" if reason else "FAIL"
        if not reason:
            bad += n
        out.write("   %-7s type %-3s %-40s %6d   e.g. %s\n" % (mark, t, field, n, fmt_example(res["examples"][(t, field)])))
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
            raw = read_bytes(path).decode("latin-1").replace("\r\n", "\n").replace("\r", "\n")
            ends_with_newline = raw.endswith("\n")
            lines = raw.split("\n")
            if ends_with_newline:
                lines.pop()
            res = compare(load_ndjson(gtext, "gpsdecode output of " + path),
                          load_ndjson(otext, "vesselwatch output of " + path),
                          lines, Classifier(gpsdecode_command(args.gpsdecode), args.vw), ends_with_newline)
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
