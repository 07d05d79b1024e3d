#!/usr/bin/env python3
"""Prints NeuroFabric's `bench` JSON lines next to a peer's (NEST, Brian2) for the same network and
number of workers (our ranks, their threads), with the ratio NeuroFabric / peer per figure.

Usage: python compare_table.py OURS.jsonl PEER.jsonl
"""
import json
import sys


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.startswith("{")]


ours, peers = load(sys.argv[1]), load(sys.argv[2])
figures = [("build s", "build_s"), ("run s", "run_s"), ("real-time factor", "real_time_factor"),
           ("synaptic events/s", "synaptic_events_per_s"), ("spikes", "spikes")]
rows = []
for peer in peers:
    for us in ours:
        if us["network"] != peer["network"] or us["ranks"] != peer["threads"]:
            continue
        label = f'{peer["network"]}, {us["ranks"]} rank(s) vs {peer["threads"]} thread(s)'
        for name, key in figures:
            a, b = float(us[key]), float(peer[key])
            rows.append([label, name, "%.4g" % a, "%.4g" % b, "%.2f" % (a / b) if b else "-"])
            label = ""
        if "bytes_per_synapse" in us:
            rows.append(["", "bytes per synapse", "%.1f" % us["bytes_per_synapse"], "-", "-"])
header = ["network and workers", "figure", "NeuroFabric", peers[0]["simulator"] if peers else "peer", "NeuroFabric/peer"]
widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
for row in [header] + rows:
    print("  ".join(x.ljust(w) for x, w in zip(row, widths)).rstrip())
