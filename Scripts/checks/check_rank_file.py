"""Checks a rank file that a failed write left behind: h5py opens it, and it holds spikes up to its
last flush (the root attribute flushed_ms) and none after.

Usage: check_rank_file.py RANK.h5 POPULATION
"""
import sys

import h5py

path, population = sys.argv[1], sys.argv[2]
with h5py.File(path, "r") as f:
    flushed = float(f.attrs["flushed_ms"])
    times = f[f"spikes/{population}/timestamps"][:]
    assert flushed > 0 and len(times) > 0, f"{path}: {len(times)} spikes, flushed at {flushed} ms"
    assert times.max() <= flushed + 1e-9, f"{path}: a spike at {times.max()} ms, after the last flush at {flushed} ms"
print(f"check_rank_file: OK, {len(times)} spikes up to {flushed} ms in {path}")
