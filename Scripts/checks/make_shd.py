"""Writes a small data set in the Spiking Heidelberg Digits layout (Cramer et al. 2020, as tonic
reads it): spikes/times and spikes/units as one variable-length array per sample (float32 s,
uint16), labels (uint8). SHD itself is a download; the tests make this one, as tonic's own do.
Usage: make_shd.py OUT.h5 SAMPLES UNITS [seed]"""
import sys

import h5py
import numpy as np

out, samples, units = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
with h5py.File(out, "w") as f:
    times = f.create_dataset("spikes/times", (samples,), dtype=h5py.vlen_dtype(np.float32))
    ids = f.create_dataset("spikes/units", (samples,), dtype=h5py.vlen_dtype(np.uint16))
    for s in range(samples):
        n = int(rng.integers(5, 40))
        t = np.sort(rng.uniform(0, 0.02, size=n)).astype(np.float32)
        times[s] = t
        ids[s] = rng.integers(0, units, size=n).astype(np.uint16)
    f["labels"] = (np.arange(samples) % 2).astype(np.uint8)
    f["extra/keys"] = np.array([b"zero", b"one"])
print(f"wrote {out}: {samples} samples over {units} units")
