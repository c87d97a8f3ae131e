#!/usr/bin/python3
"""Turn the raw results of bench/run.sh (hyperfine JSON, message counts, RSS, Google Benchmark JSON)
into the Markdown report printed by run.sh and copied into docs/benchmarks.md."""
import argparse
import csv
import datetime
import json
import os
import platform
import subprocess

TARGET_SPEEDUP_VS_GPSD = 15.0
TARGET_INPROCESS_MSGS_PER_S = 20e6


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def mean_wall(path):
    """(mean wall s, stddev, runs, mean user+system CPU s) from a hyperfine --export-json file."""
    with open(path) as f:
        r = json.load(f)["results"][0]
    return r["mean"], r.get("stddev") or 0.0, len(r.get("times", [])), r.get("user", 0.0) + r.get("system", 0.0)


def fmt_int(n):
    return "{:,}".format(int(n))


def fmt_rate(x):
    if x >= 1e6:
        return "%.2f M" % (x / 1e6)
    if x >= 1e3:
        return "%.1f k" % (x / 1e3)
    return "%.0f" % x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--memory", required=True)
    ap.add_argument("--corpora", required=True)
    ap.add_argument("--gbench")
    ap.add_argument("--gbench-pin", default="", help="the command that pinned the benchmark to a CPU, if any")
    ap.add_argument("--libais-prefix", type=int, required=True)
    ap.add_argument("--vw", required=True)
    ap.add_argument("--command", required=True)
    ap.add_argument("--load-start", default="?")
    ap.add_argument("--elapsed-s", type=int, default=0)
    a = ap.parse_args()

    rows = list(csv.DictReader(open(a.results), delimiter="\t"))
    desc = dict(line.rstrip("\n").split("\t", 1) for line in open(a.corpora) if line.strip())
    by = {}
    for r in rows:
        mean, sd, runs, cpu = mean_wall(r["hyperfine_json"])
        lines, timed = int(r["lines"]), int(r["timed_lines"])
        scale = lines / timed if timed else 1.0
        msgs = int(r["msgs"])
        by[(r["corpus"], r["variant"], r["tool"])] = dict(
            lines=lines, timed=timed, bytes=int(r["bytes"]), wall=mean, sd=sd, runs=runs, msgs=msgs,
            rate=msgs / mean if mean > 0 else 0.0, full_wall=mean * scale, scaled=timed != lines,
            cpu=cpu, full_cpu=cpu * scale, cpu_rate=msgs / cpu if cpu > 0 else 0.0)

    out = []
    w = out.append
    w("# vesselwatch benchmark results\n")
    w("- date: %s" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    w("- machine: %s cores (`nproc`), %s, %s" % (sh("nproc"), cpu_model(), sh("uname -sr")))
    w("- vesselwatch: %s (%s)" % (sh("'%s' --version" % a.vw), a.vw))
    w("- gpsdecode: %s (Debian gpsd-clients %s)" % (sh("gpsdecode -V 2>&1 | head -n1"),
                                                     sh("dpkg-query -W -f='${Version}' gpsd-clients")))
    w("- libais: Debian python3-ais %s, `/usr/bin/python3` %s, through bench/libais_decode.py"
      % (sh("dpkg-query -W -f='${Version}' python3-ais"), sh("/usr/bin/python3 -c 'import platform; print(platform.python_version())'")))
    w("- hyperfine: %s; compiler: %s" % (sh("hyperfine --version"), sh("c++ --version | head -n1")))
    w("- command: `%s`" % a.command)
    w("- load average (1, 5, 15 min) at start: %s; at end: %s; the whole run took %d s"
      % (a.load_start, sh("cut -d' ' -f1-3 /proc/loadavg"), a.elapsed_s))
    w("")

    w("## Whole process, same input\n")
    w("Wall time is hyperfine's mean. msgs = AIS messages in each tool's own output (JSON lines of class AIS);")
    w("msgs/s = msgs / wall. The ratio columns are vesselwatch's msgs/s divided by the peer's (on the peer")
    w("rows: that peer's msgs/s relative to gpsdecode / libais). libais (Python) decodes only the first")
    w("%s lines of each input (`--max-lines`); its wall time for the whole input, marked *, is scaled"
      % fmt_int(a.libais_prefix))
    w("linearly from that prefix, and its msgs and msgs/s are those of the prefix.\n")
    w("CPU s is user + system time (hyperfine's mean), shown because the machine is shared: when other")
    w("work competes for the 2 cores, wall time stretches while CPU time does not.\n")
    w("msgs/CPU s = msgs / CPU s. Ratio cells read \"wall ratio / CPU ratio\" (of msgs/s and of msgs/CPU s).\n")
    w("| corpus | input | lines | tool | wall s | CPU s | msgs | msgs/s | msgs/CPU s | vesselwatch ÷ gpsdecode | vesselwatch ÷ libais |")
    w("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    corpora = []
    for r in rows:
        if r["corpus"] not in corpora:
            corpora.append(r["corpus"])
    verdicts = []
    for c in corpora:
        for v in ("plain", "gz"):
            if (c, v, "vesselwatch") not in by:
                continue
            us, gp, la = by[(c, v, "vesselwatch")], by[(c, v, "gpsdecode")], by[(c, v, "libais")]
            for tool, d in (("vesselwatch", us), ("gpsdecode -j", gp), ("libais", la)):
                wall = "%.2f*" % d["full_wall"] if d["scaled"] else "%.3f" % d["wall"]
                cpu = "%.2f*" % d["full_cpu"] if d["scaled"] else "%.3f" % d["cpu"]
                msgs = fmt_int(d["msgs"]) + (" (%s lines)" % fmt_int(d["timed"]) if d["scaled"] else "")
                def ratio(x, y, fmt):
                    return (fmt % (x["rate"] / y["rate"]) if y["rate"] else "–") + " / " + (
                        fmt % (x["cpu_rate"] / y["cpu_rate"]) if y["cpu_rate"] else "–")
                if tool == "vesselwatch":
                    rg = "**" + ratio(us, gp, "%.1f×") + "**"
                    rl = "**" + ratio(us, la, "%.0f×") + "**"
                elif tool == "gpsdecode -j":
                    rg, rl = "1", "(gpsd " + ratio(gp, la, "%.1f×") + " libais)"
                else:
                    rg, rl = "(" + ratio(la, gp, "%.2f×") + " gpsd)", "1"
                w("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    c, "plain" if v == "plain" else ".gz", fmt_int(d["lines"]), tool, wall, cpu, msgs,
                    fmt_rate(d["rate"]), fmt_rate(d["cpu_rate"]), rg, rl))
            speedup = gp["wall"] / us["wall"] if us["wall"] else 0.0
            cpu_speedup = gp["cpu"] / us["cpu"] if us["cpu"] else 0.0
            verdicts.append("- %s (%s): vesselwatch speed-up over `gpsdecode -j` on the same input: wall %.1f× "
                            "(%.3f s vs %.2f s) → %s; CPU %.1f× (%.2f s vs %.2f s) → %s; messages: ours %s, gpsd %s."
                            % (c, "plain" if v == "plain" else ".gz", speedup, us["wall"], gp["wall"],
                               "**met**" if speedup >= TARGET_SPEEDUP_VS_GPSD else "**NOT met**",
                               cpu_speedup, us["cpu"], gp["cpu"],
                               "**met**" if cpu_speedup >= TARGET_SPEEDUP_VS_GPSD else "**NOT met**",
                               fmt_int(us["msgs"]), fmt_int(gp["msgs"])))
    w("")
    w("Target check (issue: vesselwatch ≥ %.0f× `gpsdecode -j`, whole process), on wall time and on CPU"
      % TARGET_SPEEDUP_VS_GPSD)
    w("time (user + system of every process of the command, so `zcat` counts for gpsdecode's `.gz` rows).")
    w("On a loaded machine only the CPU verdict is meaningful.\n")
    out.extend(verdicts)
    w("")
    w("Corpora (each replicated to ≥ 1 M lines; `.gz` = the same bytes gzip -6 compressed; gpsdecode reads")
    w("the `.gz` through `zcat |`, vesselwatch and libais decompress in-process):\n")
    for c in corpora:
        d = by[(c, "plain", "vesselwatch")]
        w("- **%s**: %s — %s lines, %.1f MB" % (c, desc.get(c, ""), fmt_int(d["lines"]), d["bytes"] / 1e6))
    w("")

    w("## Memory: max RSS of `vesselwatch decode` (`/usr/bin/time -f %M`)\n")
    w("| input | lines | bytes | max RSS |")
    w("|---|---:|---:|---:|")
    mem = list(csv.DictReader(open(a.memory), delimiter="\t"))
    for m in mem:
        rss = m["max_rss_kib"]
        rss_s = "%.1f MiB" % (int(rss) / 1024) if rss.isdigit() else rss
        w("| %s | %s | %s | %s |" % (m["input"], fmt_int(m["lines"]), fmt_int(m["bytes"]), rss_s))
    if len(mem) >= 2 and mem[0]["max_rss_kib"].isdigit() and mem[1]["max_rss_kib"].isdigit():
        r0, r1 = int(mem[0]["max_rss_kib"]), int(mem[1]["max_rss_kib"])
        w("\nRSS at 10× input / RSS at 1×: **%.2f** (flat means ≈ 1)." % (r1 / r0))
    w("")

    w("## In process (Google Benchmark, `bench/bench_decode`)\n")
    if a.gbench and os.path.exists(a.gbench):
        g = json.load(open(a.gbench))
        ctx = g.get("context", {})
        reps = max((b.get("repetitions", 1) for b in g.get("benchmarks", [])), default=1)
        w("Corpus loaded into memory first (`VW_BENCH_CORPUS`, the first corpus above); one thread%s; %s "
          "repetitions, mean shown; items/s and bytes/s are per CPU second."
          % (", pinned to one CPU (`%s`)" % a.gbench_pin if a.gbench_pin else ", not pinned", reps))
        w("Google Benchmark reports its own library build type as `%s` (Debian's libbenchmark package); that"
          % ctx.get("library_build_type", "?"))
        w("concerns the timing harness only, our code is the release build.\n")
        w("| benchmark | items/s | bytes/s | what |")
        w("|---|---:|---:|---|")
        what = {
            "BM_NewlineScan": "memchr newline count over the same bytes: the ceiling (items = lines)",
            "BM_LineSplit": "io::LineReader over the bytes (items = lines)",
            "BM_Parse": "+ nmea::LineContext sentence parse (items = AIS sentences)",
            "BM_ParseReassemble": "+ nmea::Reassembler (items = complete messages)",
            "BM_ParseReassembleDecode": "+ ais::decode typed decode (items = decoded messages) — target (a)",
            "BM_DecodeToJson": "+ gpsd JSON into a memory vw::OutBuffer (items = messages) — (b)",
            "BM_PipelineFileToJson": "the CLI's pipeline::for_each_message reading the file + decode + JSON (items = messages)",
        }
        for b in g.get("benchmarks", []):
            if b.get("run_type", "iteration") == "aggregate" and b.get("aggregate_name") != "mean":
                continue
            name = b["run_name"] if "run_name" in b else b["name"]
            base = name.split("/")[0].replace("_mean", "")
            ips = b.get("items_per_second", 0.0)
            bps = b.get("bytes_per_second", 0.0)
            w("| %s | %s | %s | %s |" % (name, fmt_rate(ips), "%.0f MB/s" % (bps / 1e6) if bps else "–",
                                          what.get(base, "")))
        target = {}
        for b in g.get("benchmarks", []):
            if b.get("run_name", b["name"]).startswith("BM_ParseReassembleDecode"):
                # an aggregate row names itself; a plain iteration row (no repetitions) is the mean
                kind = b.get("aggregate_name", "mean") if b.get("run_type", "iteration") == "aggregate" else "mean"
                target[kind] = b.get("items_per_second", 0.0)
        if "mean" in target:
            ips = target["mean"]
            spread = ""
            if "median" in target and "stddev" in target:
                spread = " (median %s, standard deviation %s over the %s repetitions)" % (
                    fmt_rate(target["median"]), fmt_rate(target["stddev"]), reps)
            w("\nTarget (issue: ≥ 20 M msgs/s on one core for parse + reassembly + decode): %s msgs/s%s — **%s**."
              % (fmt_rate(ips), spread, "met" if ips >= TARGET_INPROCESS_MSGS_PER_S else "NOT met"))
    else:
        w("Not run: `bench/bench_decode` was not built.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
