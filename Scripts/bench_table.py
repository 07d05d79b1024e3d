#!/usr/bin/env python3
"""Prints the JSON lines of `neurofabric bench` (stdin or files) as one table; used by Scripts/bench."""
import fileinput
import json

rows = [json.loads(line) for line in fileinput.input() if line.startswith("{")]
header = ["case", "system", "ranks", "build s", "run s", "RTF", "syn events/s", "packet-hops/s", "peak MiB/rank", "B/synapse"]
table = [[r["case"], r["system"], str(r["ranks"]), "%.2f" % r["build_s"], "%.2f" % r["run_s"], "%.2f" % r["real_time_factor"],
          "%.3g" % r["synaptic_events_per_s"], "%.3g" % r["packet_hops_per_s"],
          "%.0f" % (r["peak_memory_bytes_per_rank"] / 2**20), "%.1f" % r["bytes_per_synapse"]] for r in rows]
widths = [max(len(x) for x in column) for column in zip(header, *table)]
for row in [header] + table:
    print("  ".join(x.ljust(w) for x, w in zip(row, widths)).rstrip())
