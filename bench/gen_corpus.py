#!/usr/bin/python3
"""Write a synthetic AIS NMEA corpus for benchmarks when the real captures (../shared) are absent.

Valid sentences with correct armoring and checksums: position reports (types 1, 3, 18), base station
reports (4) and two-part static and voyage data (5), in a fixed pseudo-random mix (seeded, so every run
writes the same bytes). Styles: "plain" receiver NMEA, "tagblock" (NMEA 4 tag block with source and
receive time), "pghp" (a Gatehouse $PGHP wrapper line before each sentence).

usage: /usr/bin/python3 bench/gen_corpus.py --lines N --style plain|tagblock|pghp OUT
"""
import argparse
import random

NMEA_TIME_START_S = 1700000000


def armor(bits):
    """Bit string -> (armored payload, fill bits)."""
    fill = (-len(bits)) % 6
    bits += "0" * fill
    chars = []
    for k in range(0, len(bits), 6):
        v = int(bits[k:k + 6], 2)
        chars.append(chr(v + 48 if v < 40 else v + 56))
    return "".join(chars), fill


def field(value, width):
    return format(value & ((1 << width) - 1), "0%db" % width)


def text6(s, nchars):
    out = []
    for c in s.upper().ljust(nchars, "@")[:nchars]:
        o = ord(c)
        out.append(field(o - 64 if o >= 64 else o, 6))
    return "".join(out)


def checksum(body):
    x = 0
    for c in body:
        x ^= ord(c)
    return "%02X" % x


def position(rng, mtype):
    mmsi = rng.randrange(200000000, 775999999)
    return (field(mtype, 6) + field(0, 2) + field(mmsi, 30) + field(rng.randrange(0, 9), 4) +
            field(rng.randrange(-126, 127), 8) + field(rng.randrange(0, 300), 10) + field(1, 1) +
            field(rng.randrange(-180 * 600000, 180 * 600000), 28) + field(rng.randrange(-90 * 600000, 90 * 600000), 27) +
            field(rng.randrange(0, 3600), 12) + field(rng.randrange(0, 360), 9) + field(rng.randrange(0, 60), 6) +
            field(0, 2) + field(0, 3) + field(0, 1) + field(rng.randrange(0, 1 << 19), 19))


def class_b(rng):
    mmsi = rng.randrange(200000000, 775999999)
    return (field(18, 6) + field(0, 2) + field(mmsi, 30) + field(0, 8) + field(rng.randrange(0, 300), 10) +
            field(0, 1) + field(rng.randrange(-180 * 600000, 180 * 600000), 28) +
            field(rng.randrange(-90 * 600000, 90 * 600000), 27) + field(rng.randrange(0, 3600), 12) +
            field(511, 9) + field(rng.randrange(0, 60), 6) + field(0, 2) + "11111" + field(0, 1) + field(0, 1) +
            field(0, 20))


def base_station(rng):
    return (field(4, 6) + field(0, 2) + field(rng.randrange(2000000, 7999999), 30) + field(2024, 14) +
            field(rng.randrange(1, 13), 4) + field(rng.randrange(1, 29), 5) + field(rng.randrange(0, 24), 5) +
            field(rng.randrange(0, 60), 6) + field(rng.randrange(0, 60), 6) + field(1, 1) +
            field(rng.randrange(-180 * 600000, 180 * 600000), 28) + field(rng.randrange(-90 * 600000, 90 * 600000), 27) +
            field(1, 4) + field(0, 10) + field(0, 1) + field(0, 19))


def static_voyage(rng):
    return (field(5, 6) + field(0, 2) + field(rng.randrange(200000000, 775999999), 30) + field(0, 2) +
            field(rng.randrange(1000000, 9999999), 30) + text6("SYN%04d" % rng.randrange(10000), 7) +
            text6("SYNTHETIC VESSEL %d" % rng.randrange(1000), 20) + field(rng.choice([70, 80, 30]), 8) +
            field(100, 9) + field(20, 9) + field(10, 6) + field(10, 6) + field(1, 4) + field(6, 4) +
            field(15, 5) + field(12, 5) + field(30, 6) + field(72, 8) + text6("NAMPO", 20) + field(0, 1) +
            field(0, 1))


def sentences(rng, seq):
    r = rng.random()
    if r < 0.55:
        bits = position(rng, 1)
    elif r < 0.70:
        bits = position(rng, 3)
    elif r < 0.82:
        bits = class_b(rng)
    elif r < 0.92:
        bits = base_station(rng)
    else:
        payload, fill = armor(static_voyage(rng))
        chan = rng.choice("AB")
        first, second = payload[:60], payload[60:]
        return ["AIVDM,2,1,%d,%s,%s,0" % (seq, chan, first), "AIVDM,2,2,%d,%s,%s,%d" % (seq, chan, second, fill)]
    payload, fill = armor(bits)
    return ["AIVDM,1,1,,%s,%s,%d" % (rng.choice("AB"), payload, fill)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, required=True)
    ap.add_argument("--style", choices=("plain", "tagblock", "pghp"), default="plain")
    ap.add_argument("out")
    args = ap.parse_args()
    rng = random.Random(20240501)
    written = 0
    seq = 0
    t = NMEA_TIME_START_S
    with open(args.out, "w", encoding="ascii") as f:
        while written < args.lines:
            seq = seq % 9 + 1
            t += rng.randrange(0, 2)
            station = rng.randrange(4)  # the parts of one message come from one receiver
            for body in sentences(rng, seq):
                sentence = "!%s*%s" % (body, checksum(body))
                if args.style == "tagblock":
                    tag = "s:synth%d,c:%d" % (station, t)
                    f.write("\\%s*%s\\%s\n" % (tag, checksum(tag), sentence))
                    written += 1
                elif args.style == "pghp":
                    g = "PGHP,1,2024,5,1,0,%d,%d,0,257,1,,1,00" % ((t // 60) % 60, t % 60)
                    f.write("$%s*%s\n%s\n" % (g, checksum(g), sentence))
                    written += 2
                else:
                    f.write(sentence + "\n")
                    written += 1


if __name__ == "__main__":
    main()
