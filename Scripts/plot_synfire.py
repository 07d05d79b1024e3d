#!/usr/bin/env python3
"""Raster of a synfire chain: every group's excitatory neurons stacked in chain order.

Usage: Scripts/plot_synfire.py TRACE.h5 [OUT.png]
Reads /spikes/exc<g> for g = 0, 1, … (the built-in `synfire` network) and draws spike time
against group × size + neuron, with the groups' mean spike times in a second panel.
"""
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

trace = sys.argv[1]
out = sys.argv[2] if len(sys.argv) > 2 else trace.replace(".h5", "_synfire.png")
with h5py.File(trace, "r") as f:
    p = f["provenance"].attrs
    title = f"{p['network']} on {p['system']} ({p['family']}), {int(p['ranks'])} rank(s)"
    groups = sorted((int(k[3:]) for k in f["spikes"] if k.startswith("exc") and k[3:].isdigit()))
    data = [(f["spikes"][f"exc{g}"]["timestamps"][:], f["spikes"][f"exc{g}"]["node_ids"][:],
             int(f["spikes"][f"exc{g}"].attrs["n_nodes"])) for g in groups]
fig, (raster, means) = plt.subplots(1, 2, figsize=(12, 5), gridspec_kw={"width_ratios": [3, 1]})
offset = 0
centres = []
for g, (t, n, size) in zip(groups, data):
    raster.scatter(t, n + offset, s=0.2, color="C0" if g % 2 == 0 else "C1")
    centres.append((g, t.mean() if len(t) else np.nan, len(np.unique(n)) / size))
    offset += size
raster.set_xlabel("time (ms)")
raster.set_ylabel("neuron (groups stacked in chain order)")
raster.set_title(title, fontsize=9)
g, mean, fraction = zip(*centres)
means.plot(g, mean, ".", color="C0")
means.set_xlabel("group")
means.set_ylabel("mean spike time (ms)")
twin = means.twinx()
twin.plot(g, fraction, "-", color="C3", lw=0.8)
twin.set_ylabel("fraction of the group that fired", color="C3")
twin.set_ylim(0, 1.05)
fig.tight_layout()
fig.savefig(out, dpi=110)
print(f"wrote {out}")
