#!/usr/bin/env python3
"""Spike counts per node type of a BMTK circuit: BMTK PointNet's spikes file against NeuroFabric's
trace, each relative difference within a tolerance. NeuroFabric splits a node population by node
type into `name.0`, `name.1`, … in the order the types first appear (the circuit gives no per-node
dynamics_params, so types and parameter sets coincide); PointNet's spikes keep the population's node ids.

Usage: compare_bmtk_spikes.py CIRCUIT_DIR POINTNET_SPIKES TRACE [--tolerance 0.05]
Prints one JSON line per node type; exits 1 when a count differs by more than the tolerance.
"""
import argparse
import glob
import json
import os
import sys

import h5py
import numpy as np

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("circuit")
parser.add_argument("pointnet")
parser.add_argument("trace")
parser.add_argument("--tolerance", type=float, default=0.05, help="largest |NeuroFabric - PointNet| / PointNet per node type")
args = parser.parse_args()

types = {}  # population -> node_type_id per node
for path in glob.glob(os.path.join(args.circuit, "network", "*_nodes.h5")):
    with h5py.File(path, "r") as f:
        for name, group in f["nodes"].items():
            types[name] = group["node_type_id"][()]

failed = False
with h5py.File(args.pointnet, "r") as reference, h5py.File(args.trace, "r") as trace:
    for name in sorted(reference["spikes"]):
        ids = reference["spikes"][name]["node_ids"][()]
        node_types = types[name]
        _, first = np.unique(node_types, return_index=True)
        order = node_types[np.sort(first)]
        for k, type_id in enumerate(order):
            label = name if len(order) == 1 else f"{name}.{k}"
            pointnet = int(np.isin(ids, np.flatnonzero(node_types == type_id)).sum())
            neurofabric = len(trace["spikes"][label]["node_ids"]) if label in trace["spikes"] else 0
            difference = (neurofabric - pointnet) / max(pointnet, 1)
            ok = abs(difference) <= args.tolerance
            failed |= not ok
            print(json.dumps({"population": name, "node_type_id": int(type_id), "neurofabric_population": label,
                              "cells": int((node_types == type_id).sum()), "pointnet_spikes": pointnet,
                              "neurofabric_spikes": neurofabric, "difference": round(difference, 4), "within_tolerance": ok}))
sys.exit(1 if failed else 0)
