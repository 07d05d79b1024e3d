#!/usr/bin/env python3
"""Per-link load and drops of a NeuroFabric trace: a chip-to-chip matrix of packets, drops per
link by cause, and the packets per counter interval over time.

Usage: Scripts/plot_fabric.py TRACE.h5 [OUT.png]
"""
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

trace = sys.argv[1]
out = sys.argv[2] if len(sys.argv) > 2 else trace.replace(".h5", "_fabric.png")
with h5py.File(trace, "r") as f:
    links = f["fabric/links"]
    source, target = links["source"][:].astype(int), links["target"][:].astype(int)
    packets = links["packets"][:]
    drops = {name[6:]: links[name][:] for name in links if name.startswith("drops_")}
    series = f["fabric/series/packets"][:]
    interval = f["fabric/series/time"][2]
    chips = int(max(source.max(initial=0), target.max(initial=0)) + 1)

load = np.zeros((chips, chips))
load[source, target] = packets
fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
image = axes[0].imshow(load, cmap="viridis")
axes[0].set_xlabel("target chip")
axes[0].set_ylabel("source chip")
axes[0].set_title("packets per link")
fig.colorbar(image, ax=axes[0])
bottom = np.zeros(len(packets))
for cause, values in drops.items():
    axes[1].bar(np.arange(len(values)), values, bottom=bottom, label=cause)
    bottom += values
axes[1].set_xlabel("link (source-major)")
axes[1].set_ylabel("dropped packets")
axes[1].set_title("drops by cause")
axes[1].legend()
times = (np.arange(series.shape[0]) + 1) * interval
axes[2].plot(times, series.sum(axis=1), label="all links")
if series.shape[1]:
    busiest = int(np.argmax(packets))
    axes[2].plot(times, series[:, busiest], label=f"busiest link {source[busiest]}→{target[busiest]}")
axes[2].set_xlabel("time (ms)")
axes[2].set_ylabel(f"packets per {interval:g} ms")
axes[2].set_title("fabric load over time")
axes[2].legend()
fig.tight_layout()
fig.savefig(out, dpi=120)
print(f"plot_fabric: wrote {out}")
