#!/usr/bin/env python3
"""Raster plot with a population rate histogram from a NeuroFabric trace (SONATA spikes).

Usage: Scripts/plot_raster.py TRACE.h5 [OUT.png] [--neurons N] [--bin MS]
Shows the first N neurons (default 200) of every population, stacked, and below them the
population rates in bins of MS milliseconds (default 5).
"""
import argparse

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("trace")
parser.add_argument("out", nargs="?", default=None)
parser.add_argument("--neurons", type=int, default=200)
parser.add_argument("--bin", type=float, default=5.0)
args = parser.parse_args()
out = args.out or args.trace.replace(".h5", "_raster.png")

with h5py.File(args.trace, "r") as f:
    duration = float(f["provenance"].attrs["duration_ms"])
    title = f"{f['provenance'].attrs['network']} on {f['provenance'].attrs['system']}"
    populations = {name: (f["spikes"][name]["timestamps"][:], f["spikes"][name]["node_ids"][:],
                          int(f["spikes"][name].attrs["n_nodes"])) for name in f["spikes"]}

fig, (raster, rates) = plt.subplots(2, 1, figsize=(10, 7), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
offset = 0
edges = np.arange(0, duration + args.bin, args.bin)
for i, (name, (times, ids, size)) in enumerate(populations.items()):
    color = f"C{i}"
    shown = ids < args.neurons
    raster.scatter(times[shown], ids[shown] + offset, s=1, color=color, label=name)
    counts, _ = np.histogram(times, bins=edges)
    rates.plot(edges[:-1] + args.bin / 2, counts / max(size, 1) / (args.bin / 1000), color=color, label=name)
    offset += min(size, args.neurons)
raster.set_ylabel(f"neuron (first {args.neurons} per population)")
raster.set_title(title)
raster.legend(loc="upper right", markerscale=8)
rates.set_xlabel("time (ms)")
rates.set_ylabel("rate (Hz)")
rates.set_xlim(0, duration)
fig.tight_layout()
fig.savefig(out, dpi=120)
print(f"plot_raster: wrote {out}")
