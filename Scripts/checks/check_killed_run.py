"""Checks a rank file left by a killed run: h5py opens it, and its streamed spikes are a non-empty
prefix of what a complete run with the same model and seed wrote.

Usage: check_killed_run.py KILLED_RANK.h5 COMPLETE_RANK.h5
"""
import sys

import h5py
import numpy as np

killed_path, full_path = sys.argv[1], sys.argv[2]
with h5py.File(killed_path, "r") as killed, h5py.File(full_path, "r") as full:
    assert "spikes_by_id" not in killed, "a killed run cannot have finished"
    total = 0
    for name in killed["spikes"]:
        t = killed["spikes"][name]["timestamps"][:]
        n = killed["spikes"][name]["node_ids"][:]
        assert len(t) == len(n), f"{name}: {len(t)} timestamps, {len(n)} node ids"
        assert (np.diff(t) >= 0).all(), f"{name}: not in time order"
        ft = full["spikes"][name]["timestamps"][: len(t)]
        fn = full["spikes"][name]["node_ids"][: len(n)]
        assert len(ft) == len(t), f"{name}: killed run has more spikes than the complete one"
        assert (ft == t).all() and (fn == n).all(), f"{name}: not a prefix of the complete run"
        total += len(t)
    assert total > 0, "nothing was flushed before the kill"
print(f"check_killed_run: OK, {total} spikes kept")
