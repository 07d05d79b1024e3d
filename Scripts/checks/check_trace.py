"""Reads a NeuroFabric trace.h5 with libsonata and h5py and checks they agree.

Usage: check_trace.py TRACE.h5
"""
import sys

import h5py
import libsonata
import numpy as np

path = sys.argv[1]
with h5py.File(path, "r") as f:
    assert f.attrs["magic"] == 0x0A7A, "magic"
    populations = list(f["spikes"].keys())
    reader = libsonata.SpikeReader(path)
    assert sorted(reader.get_population_names()) == sorted(populations), reader.get_population_names()
    for name in populations:
        group = f["spikes"][name]
        times = group["timestamps"][:]
        ids = group["node_ids"][:]
        assert len(times) > 0, f"{name}: no spikes"
        assert not np.isnan(times).any(), f"{name}: NaN timestamps (a rank file is missing)"
        assert (ids != np.iinfo(np.uint64).max).all(), f"{name}: fill node ids"
        assert group["timestamps"].attrs["units"] == "ms"
        population = reader[name]
        assert population.sorting == "by_id", population.sorting
        sonata = np.array(population.get(), dtype=[("node", np.uint64), ("time", np.float64)])
        assert len(sonata) == len(times), (len(sonata), len(times))
        ours = sorted(zip(ids.tolist(), times.tolist()))
        theirs = sorted(zip(sonata["node"].tolist(), sonata["time"].tolist()))
        assert ours == theirs, f"{name}: libsonata and h5py disagree"
        assert (np.diff(ids.astype(np.int64)) >= 0).all(), f"{name}: node ids not sorted (by_id)"
    for name in f.get("report", {}):
        report = libsonata.SomaReportReader(path)[name]
        data = f["report"][name]["data"][:]
        frame = report.get()
        assert np.asarray(frame.data).shape == data.shape, (np.asarray(frame.data).shape, data.shape)
        assert np.allclose(np.asarray(frame.data), data, equal_nan=False), f"{name}: report data differs"
        assert list(report.get_node_ids()) == f["report"][name]["mapping/node_ids"][:].tolist()
print("check_trace: OK")
