#!/usr/bin/env python3
"""Run a command; sample the PSS of its process tree every 0.1 s; print the peak of the
total and which processes held it (bench/RESULTS.md, the memory of issue 13).

    .venv/bin/python bench/memwatch.py .venv/bin/python build.py --content C --output O
"""
import subprocess, sys, time, os, re
def children(pid):
    out = []
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{t}/children") as f:
                out += [int(x) for x in f.read().split()]
    except OSError: pass
    return out
def tree(pid):
    todo, seen = [pid], []
    while todo:
        p = todo.pop(); seen.append(p); todo += children(p)
    return seen
def pss(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            m = re.search(r"^Pss:\s+(\d+)", f.read(), re.M); return int(m[1])
    except OSError: return 0
def name(pid):
    try:
        c = open(f"/proc/{pid}/cmdline","rb").read().split(b"\0")
        return " ".join(x.decode(errors="replace") for x in c[:3])[-60:]
    except OSError: return "?"
p = subprocess.Popen(sys.argv[1:])
best, who = 0, []
while p.poll() is None:
    pids = tree(p.pid)
    vals = [(pss(q), q) for q in pids]
    tot = sum(v for v, _ in vals)
    if tot > best:
        best, who = tot, [(v, name(q)) for v, q in vals]
    time.sleep(0.1)
print(f"peak all processes {best/1024:.0f} MB PSS")
for v, n in sorted(who, reverse=True): print(f"  {v/1024:6.0f} MB  {n}")
