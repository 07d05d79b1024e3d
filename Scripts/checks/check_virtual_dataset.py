"""Reads a NeuroFabric master file's virtual datasets with h5py and checks them against the rank files.

Usage: check_virtual_dataset.py MASTER.h5 EXPECTED_COUNT
"""
import os
import sys

import h5py
import numpy as np

master_path, expected = sys.argv[1], int(sys.argv[2])
with h5py.File(master_path, "r") as master:
    times = master["spikes/exc/timestamps"]
    ids = master["spikes/exc/node_ids"]
    assert times.is_virtual and ids.is_virtual, "master datasets must be virtual"
    sources = times.virtual_sources()
    assert times.shape == ids.shape == (expected,), (times.shape, ids.shape)
    t, i = times[:], ids[:]
    assert not np.isnan(t).any(), "NaN fill value: a rank file is missing"
    pieces_t, pieces_i = [], []
    for source in sources:
        with h5py.File(os.path.join(os.path.dirname(master_path), source.file_name), "r") as rank:
            pieces_t.append(rank["spikes/exc/timestamps"][:])
            pieces_i.append(rank["spikes/exc/node_ids"][:])
    assert np.array_equal(t, np.concatenate(pieces_t))
    assert np.array_equal(i, np.concatenate(pieces_i))
    assert t.dtype == np.float64 and i.dtype == np.uint64
print(f"virtual dataset OK: {expected} elements from {len(sources)} files (h5py {h5py.__version__})")
