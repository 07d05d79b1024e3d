#!/usr/bin/env python3
"""Writes a large SONATA circuit for benchmarks (h5py, SONATA's layout as BMTK writes it): an
excitatory and an inhibitory IF_curr_exp population (4:1) and a Poisson source, random edges of
fixed in-degree sorted by target (or shuffled, --shuffled), per-edge syn_weight and delay.

Usage: make_sonata_circuit.py OUTDIR [--nodes 100000] [--edges 10000000] [--seed 1] [--shuffled]
"""
import argparse
import json
import os

import h5py
import numpy as np

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("out")
parser.add_argument("--nodes", type=int, default=100_000)
parser.add_argument("--edges", type=int, default=10_000_000)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--shuffled", action="store_true", help="edges in random order instead of sorted by target")
args = parser.parse_args()
rng = np.random.default_rng(args.seed)
os.makedirs(os.path.join(args.out, "network"), exist_ok=True)
n_exc = args.nodes * 4 // 5
sizes = {"exc": n_exc, "inh": args.nodes - n_exc, "noise": max(1, args.nodes // 10)}

with h5py.File(os.path.join(args.out, "network", "nodes.h5"), "w") as f:
    for type_id, (name, size) in enumerate(sizes.items()):
        group = f.create_group(f"nodes/{name}")
        group["node_id"] = np.arange(size, dtype=np.uint64)
        group["node_type_id"] = np.full(size, type_id, dtype=np.int64)
        group["node_group_id"] = np.zeros(size, dtype=np.uint32)
        group["node_group_index"] = np.arange(size, dtype=np.uint64)
        group.create_group("0")
with open(os.path.join(args.out, "network", "node_types.csv"), "w") as f:
    f.write("node_type_id model_type model_template tau_m v_thresh rate\n")
    f.write("0 point_neuron pynn:IF_curr_exp 20.0 -50.0 NONE\n1 point_neuron pynn:IF_curr_exp 20.0 -50.0 NONE\n2 virtual NONE NONE NONE 5.0\n")

# Each neuron receives in-degree inputs, split over the three sources in proportion to their size.
targets_total = sizes["exc"] + sizes["inh"]
indegree = max(1, args.edges // targets_total)
with h5py.File(os.path.join(args.out, "network", "edges.h5"), "w") as f:
    edge_type = 0
    for source in sizes:
        share = max(1, round(indegree * sizes[source] / sum(sizes.values())))
        for target in ("exc", "inh"):
            n = sizes[target] * share
            group = f.create_group(f"edges/{source}_to_{target}")
            targets = np.repeat(np.arange(sizes[target], dtype=np.uint64), share)
            if args.shuffled:
                rng.shuffle(targets)
            group.create_dataset("source_node_id", data=rng.integers(0, sizes[source], n, dtype=np.uint64)).attrs["node_population"] = source
            group.create_dataset("target_node_id", data=targets).attrs["node_population"] = target
            group["edge_type_id"] = np.full(n, 0 if source != "inh" else 1, dtype=np.int64)
            group["edge_group_id"] = np.zeros(n, dtype=np.uint32)
            group["edge_group_index"] = np.arange(n, dtype=np.uint64)
            group["0/syn_weight"] = rng.uniform(0.01, 0.05, n) * (-4 if source == "inh" else 1)
            group["0/delay"] = rng.uniform(1.0, 3.0, n)
with open(os.path.join(args.out, "network", "edge_types.csv"), "w") as f:
    f.write("edge_type_id model_template\n0 static_synapse\n1 static_synapse\n")
json.dump({"manifest": {"$BASE_DIR": ".", "$NETWORK_DIR": "$BASE_DIR/network"},
           "networks": {"nodes": [{"nodes_file": "$NETWORK_DIR/nodes.h5", "node_types_file": "$NETWORK_DIR/node_types.csv"}],
                        "edges": [{"edges_file": "$NETWORK_DIR/edges.h5", "edge_types_file": "$NETWORK_DIR/edge_types.csv"}]}},
          open(os.path.join(args.out, "circuit_config.json"), "w"), indent=1)
print(f"make_sonata_circuit: {sum(sizes.values())} nodes, in-degree {indegree}, written to {args.out}")
