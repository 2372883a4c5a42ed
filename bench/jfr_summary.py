#!/usr/bin/env python3
"""Summarises a JFR recording of an echo server for bench/profile.sh.

usage: jfr_summary.py JFR_TOOL REC.jfr MESSAGES [THREAD_SUBSTRING]

Prints, for the event-loop thread (the thread whose name contains THREAD_SUBSTRING, default: the
thread with the most execution samples):
  - bytes allocated by that thread during the recording (jdk.ThreadAllocationStatistics) and per
    echoed message (MESSAGES = messages echoed while recording, from the load generator);
  - allocation samples (jdk.ObjectAllocationSample) by class and by allocation site, with their
    share of the sampled weight, scaled to bytes and objects per message;
  - execution samples (jdk.ExecutionSample): top self frames and top inclusive pyuv4j/Netty frames.
"""
import collections
import json
import subprocess
import sys


def events(jfr, rec, names):
    out = subprocess.run([jfr, "print", "--json", "--stack-depth", "64", "--events", ",".join(names), rec],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def frame_name(f):
    m = f.get("method", {})
    t = m.get("type", {}).get("name", "?")
    return f"{t}.{m.get('name', '?')}".replace("/", ".")


def thread_name(e):
    t = e["values"].get("sampledThread") or e["values"].get("eventThread") or e["values"].get("thread") or {}
    return (t or {}).get("javaName") or (t or {}).get("osName") or "?"


def main():
    jfr, rec, messages = sys.argv[1], sys.argv[2], float(sys.argv[3])
    want = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] else None

    samples = events(jfr, rec, ["jdk.ExecutionSample"])
    by_thread = collections.Counter(thread_name(e) for e in samples)
    if want is None:
        want = by_thread.most_common(1)[0][0] if by_thread else ""
    loop_samples = [e for e in samples if want in thread_name(e)]
    print(f"event-loop thread: '{want}' ({len(loop_samples)} of {len(samples)} execution samples)")
    print(f"messages echoed while recording: {messages:.0f}")

    # ---- allocation volume of the loop thread
    stats = [e for e in events(jfr, rec, ["jdk.ThreadAllocationStatistics"]) if want in thread_name(e)]
    total_alloc = None
    if len(stats) >= 2:
        vals = sorted((e["values"]["startTime"], e["values"]["allocated"]) for e in stats)
        total_alloc = vals[-1][1] - vals[0][1]
        print(f"allocated by the loop thread between first and last statistics event: {total_alloc / 1e6:.1f} MB"
              f" = {total_alloc / messages:.1f} B per echoed message" if messages else "")
    print()

    # ---- allocation samples
    allocs = [e for e in events(jfr, rec, ["jdk.ObjectAllocationSample"]) if want in thread_name(e)]
    weight = collections.Counter()
    sites = collections.Counter()
    for e in allocs:
        v = e["values"]
        cls = v["objectClass"]["name"].replace("/", ".")
        w = v.get("weight", 0)
        weight[cls] += w
        frames = v.get("stackTrace", {}).get("frames", []) if v.get("stackTrace") else []
        site = next((frame_name(f) for f in frames
                     if not frame_name(f).startswith(("java.", "jdk.", "sun.", "io.netty.util.internal"))), "?")
        sites[(cls, site)] += w
    tw = sum(weight.values()) or 1
    print(f"allocation samples on the loop thread: {len(allocs)}, sampled weight {tw / 1e6:.1f} MB")
    print(f"{'share':>6} {'B/msg':>8}  class")
    for cls, w in weight.most_common(15):
        per_msg = (w / tw) * total_alloc / messages if (total_alloc and messages) else float("nan")
        print(f"{100 * w / tw:5.1f}% {per_msg:8.1f}  {cls}")
    print()
    print(f"{'share':>6}  class <- first non-JDK frame (allocation site)")
    for (cls, site), w in sites.most_common(15):
        print(f"{100 * w / tw:5.1f}%  {cls} <- {site}")
    print()

    # ---- CPU samples
    self_c = collections.Counter()
    incl = collections.Counter()
    for e in loop_samples:
        frames = e["values"]["stackTrace"]["frames"]
        if not frames:
            continue
        self_c[frame_name(frames[0])] += 1
        seen = set()
        for f in frames:
            n = frame_name(f)
            if n not in seen and (n.startswith("org.pyuv4j") or n.startswith("io.netty.channel")):
                seen.add(n)
                incl[n] += 1
    n = len(loop_samples) or 1
    print("execution samples, top self frames (loop thread):")
    for name, c in self_c.most_common(20):
        print(f"{100 * c / n:5.1f}%  {name}")
    print()
    print("execution samples, inclusive (org.pyuv4j.*, io.netty.channel.*):")
    for name, c in incl.most_common(30):
        print(f"{100 * c / n:5.1f}%  {name}")


if __name__ == "__main__":
    main()
