#!/usr/bin/env python3
"""What a hardware system does to a network: the same network's traces side by side.

Usage: Scripts/plot_hardware_effect.py TRACE.h5 [TRACE.h5 ...] --out OUT.png [--skip MS] [--labels "A;B;..."]
The first trace is the reference (an `ideal` run). For every trace: a raster of the first 100
neurons of each recorded population, and per population the distributions of firing rates and of
the coefficient of variation of the inter-spike intervals (neurons with at least 3 spikes after
--skip ms, default 100). Prints a Markdown table of mean rate, mean CV and dropped events.
"""
import argparse

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("traces", nargs="+")
parser.add_argument("--out", required=True)
parser.add_argument("--skip", type=float, default=100.0)
parser.add_argument("--labels", default=None, help="names of the runs, separated by semicolons")
args = parser.parse_args()
labels = args.labels.split(";") if args.labels else None


def load(path):
    with h5py.File(path, "r") as f:
        p = f["provenance"].attrs
        run = {"duration": float(p["duration_ms"]), "label": f"{p['family']} ({p['system']})", "populations": {}}
        if "mismatch" in p:
            run["label"] += f", mismatch {p['mismatch']}"
        for name in f["spikes"]:
            g = f["spikes"][name]
            run["populations"][name] = (g["timestamps"][:], g["node_ids"][:], int(g.attrs["n_nodes"]))
        routers = f["fabric"]["routers"]
        run["drops"] = int(np.sum(routers["drops"][:])) if "drops" in routers else 0
        run["delivered"] = sum(int(np.sum(routers[k][:])) for k in routers if k.startswith("padi_events_"))
    return run


def statistics(times, ids, size, duration, skip):
    keep = times >= skip
    times, ids = times[keep], ids[keep]
    rates = np.bincount(ids.astype(np.int64), minlength=size) / ((duration - skip) / 1000)
    order = np.lexsort((times, ids))
    times, ids = times[order], ids[order]
    cvs = []
    for i in np.unique(ids):
        t = times[ids == i]
        if len(t) >= 3:
            d = np.diff(t)
            cvs.append(d.std() / d.mean())
    return rates, np.array(cvs)


runs = [load(t) for t in args.traces]
if labels:
    for run, label in zip(runs, labels):
        run["label"] = label
names = [n for n in runs[0]["populations"]]
fig, axes = plt.subplots(1 + len(names), len(runs), figsize=(4.5 * len(runs), 3 + 2.6 * len(names)), squeeze=False)
rows = []
for c, run in enumerate(runs):
    ax = axes[0][c]
    offset = 0
    for i, name in enumerate(names):
        t, ids, size = run["populations"][name]
        shown = ids < 100
        ax.scatter(t[shown], ids[shown] + offset, s=0.5, color=f"C{i}", label=name)
        offset += min(size, 100)
    ax.set_xlim(args.skip, min(run["duration"], args.skip + 300))
    ax.set_title(run["label"], fontsize=9)
    ax.set_xlabel("time (ms)")
    if c == 0:
        ax.set_ylabel("neuron")
        ax.legend(loc="upper right", markerscale=8, fontsize=8)
    for r, name in enumerate(names):
        t, ids, size = run["populations"][name]
        rates, cvs = statistics(t, ids, size, run["duration"], args.skip)
        ax = axes[1 + r][c]
        ax.hist(rates, bins=40, color=f"C{r}", alpha=0.7, label="rate (Hz)")
        ax2 = ax.twiny()
        ax2.hist(cvs, bins=40, histtype="step", color="k", label="CV ISI")
        ax.set_xlabel(f"{name}: rate (Hz), bars")
        ax2.set_xlabel("CV of ISI, line", fontsize=8)
        rows.append((run["label"], name, rates.mean(), cvs.mean() if len(cvs) else float("nan")))
    total = run["drops"] + run["delivered"]
    if total:
        axes[0][c].text(0.02, 0.02, f"{100 * run['drops'] / total:.1f} % of events dropped", transform=axes[0][c].transAxes,
                        fontsize=8, backgroundcolor="white")
fig.tight_layout()
fig.savefig(args.out, dpi=110)
print("| run | population | rate Hz | CV ISI |\n|---|---|---|---|")
for label, name, rate, cv in rows:
    print(f"| {label} | {name} | {rate:.1f} | {cv:.2f} |")
for run in runs:
    total = run["drops"] + run["delivered"]
    if total:
        print(f"{run['label']}: {run['drops']:,} of {total:,} crossbar events dropped ({100 * run['drops'] / total:.1f} %)")
print(f"wrote {args.out}")
