"""The digits example on every family, from `neurofabric infer --out` files (Scripts/digits-families):
accuracy per system against the training forward pass, and what the hardware did to the
activity (spikes per sample per layer, drops per sample).
Usage: plot_digits_families.py OUT.png SOFTWARE_ACCURACY RESULTS.h5..."""
import pathlib
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

out, software, files = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
names, accuracy, layers, drops = [], [], [], []
for path in files:
    with h5py.File(path, "r") as f:
        names.append(pathlib.Path(path).stem)
        accuracy.append(100 * float(f.attrs["accuracy"]))
        populations = [p.decode() if isinstance(p, bytes) else p for p in f["spike_counts"].attrs["populations"]]
        counts = f["spike_counts"][:]
        layers.append({p: counts[:, i].mean() for i, p in enumerate(populations)})
        drops.append(f["drops"][:].mean())
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
x = np.arange(len(names))
left.bar(x, accuracy, color="#4c72b0")
left.axhline(100 * software, color="black", linestyle="--", label=f"training forward pass {100 * software:.1f} %")
for i, a in enumerate(accuracy):
    left.text(i, a + 1, f"{a:.1f}", ha="center", fontsize=9)
left.set_xticks(x, names, rotation=20, ha="right")
left.set_ylabel("accuracy on 500 held-out digits (%)")
left.set_ylim(0, 105)
left.legend(loc="lower left")
bottom = np.zeros(len(names))
for population in [p for p in layers[0] if p != "input"]:
    values = np.array([l.get(population, 0) for l in layers])
    right.bar(x, values, bottom=bottom, label=f"{population} spikes")
    bottom += values
right.plot(x, drops, "kD", label="events dropped")
right.set_xticks(x, names, rotation=20, ha="right")
right.set_ylabel("per sample")
right.legend()
fig.suptitle("Examples/digits (64-100-10 LIF, NIR) with neurofabric infer")
fig.tight_layout()
fig.savefig(out, dpi=110)
print(f"wrote {out}")
