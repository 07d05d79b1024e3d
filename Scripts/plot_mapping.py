#!/usr/bin/env python3
"""The placement map of a `neurofabric map --out` file: chips of the triangular torus drawn on
their hexagonal lattice, coloured by the PEs used, links drawn by expected packets per second,
and the routing-table entries per chip before and after compression.

Usage: Scripts/plot_mapping.py MAP.h5 [OUT.png]
"""
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import LineCollection

path = sys.argv[1]
out = sys.argv[2] if len(sys.argv) > 2 else path.replace(".h5", "_mapping.png")
with h5py.File(path, "r") as f:
    m = f["mapping"]
    x, y = m["chips/x"][:], m["chips/y"][:]
    used, working = m["chips/used_pes"][:], m["chips/working_pes"][:]
    before, after = m["chips/entries_uncompressed"][:], m["chips/entries"][:]
    rank = m["chips/rank"][:]
    source, target = m["links/source_chip"][:], m["links/target_chip"][:]
    load = m["links/expected_packets_per_second"][:]
    title = f"{m.attrs['network']} on {m.attrs['system']} ({m.attrs['placer']})"
    remote = m["metrics"].attrs["remote_chips_per_spike"]

# SpiNNaker's links E (1,0), NE (1,1), N (0,1) are 60 degrees apart on this projection.
px, py = x - 0.5 * y, np.sqrt(3) / 2 * y
fig, axes = plt.subplots(1, 2, figsize=(15, 6), gridspec_kw={"width_ratios": [3, 2]})
ax = axes[0]
segments, weights = [], []
for s, t, l in zip(source, target, load):
    a, b = (px[s], py[s]), (px[t], py[t])
    if l > 0 and np.hypot(a[0] - b[0], a[1] - b[1]) < 1.5:  # wrap-around links are not drawn
        segments.append((a, b))
        weights.append(l)
if segments:
    weights = np.array(weights)
    lines = LineCollection(segments, linewidths=0.5 + 4 * weights / weights.max(), cmap="magma_r", array=weights)
    ax.add_collection(lines)
    fig.colorbar(lines, ax=ax, label="expected packets/s on link")
dots = ax.scatter(px, py, c=used / np.maximum(working, 1), cmap="Blues", vmin=0, vmax=1, s=60, edgecolors="grey", linewidths=0.5)
fig.colorbar(dots, ax=ax, label="PEs used / working")
if len(set(rank[rank >= 0])) > 1:  # the MPI rank of each chip, small, above it
    for i in np.flatnonzero(rank >= 0):
        ax.annotate(str(rank[i]), (px[i], py[i] + 0.22), ha="center", fontsize=6, color="dimgrey")
ax.set_aspect("equal")
ax.set_title(f"{title}\nremote chips per spike {remote:.2f}")
ax.set_axis_off()

order = [i for i in np.argsort(-before, kind="stable")[:40] if before[i] > 0]
axes[1].bar(range(len(order)), before[order], color="lightgrey", label="before compression")
axes[1].bar(range(len(order)), after[order], color="tab:blue", label="after compression")
axes[1].set_xticks(range(len(order)), [f"({x[i]},{y[i]})" for i in order], rotation=90, fontsize=7)
axes[1].set_ylabel("routing table entries")
axes[1].set_title("busiest tables")
axes[1].legend()
fig.tight_layout()
fig.savefig(out, dpi=120)
print(out)
