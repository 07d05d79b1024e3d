#!/usr/bin/env python3
"""The microcircuit accuracy recipe (docs/peers.md §9.1, as in the PD14 benchmarking docs): discard the
first 500 ms, then per population the distributions of firing rate, coefficient of variation of
the inter-spike intervals and pairwise spike-count correlation, compared between runs with the
Kolmogorov–Smirnov distance and the earth mover's (Wasserstein-1) distance to a reference.

Reads SONATA spike files: NeuroFabric's trace.h5 and Scripts/nest_microcircuit.py's output
(/spikes/<population>/{timestamps, node_ids} with @n_nodes). Writes <out>/accuracy.md (the
table), <out>/accuracy.json and <out>/accuracy.png (the distributions).

Usage: python accuracy.py LABEL=FILE [LABEL=FILE ...] [--out DIR] [--discard MS] [--pairs N] [--bin MS]
The first file is the reference, e.g.
  accuracy.py nest=runs/compare-nest/nest-microcircuit-t1.h5 ideal=runs/mc-ideal/trace.h5 spinnaker2=runs/mc/trace.h5
"""
import argparse
import json
import os

import h5py
import numpy as np


def read(path):
    """Per population: (n_nodes, spike times (ms), node ids), and the end of the recording (ms)."""
    populations, end = {}, 0.0
    with h5py.File(path, "r") as f:
        for name, group in f["spikes"].items():
            if "timestamps" not in group:
                continue
            times = group["timestamps"][()]
            nodes = group["node_ids"][()].astype(np.int64)
            size = int(group.attrs["n_nodes"]) if "n_nodes" in group.attrs else int(nodes.max(initial=-1)) + 1
            populations[name] = (size, times, nodes)
            end = max(end, float(times.max(initial=0)))
        if "provenance" in f and "duration_ms" in f["provenance"].attrs:
            end = float(f["provenance"].attrs["duration_ms"])
    return populations, end


def statistics(size, times, nodes, start, end, pairs, bin_ms, rng):
    keep = times >= start
    times, nodes = times[keep], nodes[keep]
    seconds = (end - start) / 1000
    counts = np.bincount(nodes, minlength=size)
    rates = counts / seconds
    order = np.lexsort((times, nodes))
    times, nodes = times[order], nodes[order]
    cvs = []
    boundaries = np.searchsorted(nodes, np.arange(size + 1))
    for a, b in zip(boundaries[:-1], boundaries[1:]):
        if b - a >= 3:  # at least two intervals
            isi = np.diff(times[a:b])
            if isi.mean() > 0:
                cvs.append(isi.std() / isi.mean())
    chosen = rng.choice(size, size=min(pairs, size), replace=False)
    bins = np.arange(start, end + bin_ms, bin_ms)
    index = np.full(size, -1)
    index[chosen] = np.arange(len(chosen))
    rows = index[nodes]
    binned = np.zeros((len(chosen), len(bins) - 1))
    mask = rows >= 0
    np.add.at(binned, (rows[mask], np.clip(np.digitize(times[mask], bins) - 1, 0, len(bins) - 2)), 1)
    active = binned.std(axis=1) > 0
    correlations = np.array([])
    if active.sum() > 1:
        matrix = np.corrcoef(binned[active])
        correlations = matrix[np.triu_indices_from(matrix, k=1)]
    return {"rate": rates, "cv_isi": np.array(cvs), "correlation": correlations}


def ks(a, b):
    if len(a) == 0 or len(b) == 0:
        return float("nan")
    grid = np.sort(np.concatenate([a, b]))
    fa = np.searchsorted(np.sort(a), grid, side="right") / len(a)
    fb = np.searchsorted(np.sort(b), grid, side="right") / len(b)
    return float(np.abs(fa - fb).max())


def emd(a, b):
    if len(a) == 0 or len(b) == 0:
        return float("nan")
    grid = np.sort(np.concatenate([a, b]))
    fa = np.searchsorted(np.sort(a), grid[:-1], side="right") / len(a)
    fb = np.searchsorted(np.sort(b), grid[:-1], side="right") / len(b)
    return float(np.sum(np.abs(fa - fb) * np.diff(grid)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="+", help="LABEL=FILE; the first is the reference")
    parser.add_argument("--out", default="runs/accuracy")
    parser.add_argument("--discard", type=float, default=500.0, help="ms discarded at the start (default 500)")
    parser.add_argument("--pairs", type=int, default=200, help="neurons per population for correlations (default 200)")
    parser.add_argument("--bin", type=float, default=2.0, help="bin of the spike counts for correlations, ms (default 2)")
    args = parser.parse_args()
    runs = []
    for item in args.runs:
        label, _, path = item.partition("=")
        if not path:
            parser.error(f"expected LABEL=FILE, got '{item}'")
        if not os.path.exists(path):
            parser.error(f"{label}: no such file '{path}'")
        runs.append((label, path))
    data = {}
    for label, path in runs:
        populations, end = read(path)
        if end <= args.discard:
            parser.error(f"{label}: {path} records until {end} ms, not beyond the {args.discard} ms discarded")
        rng = np.random.default_rng(1)  # the same neurons are paired in every run
        data[label] = {name: statistics(*populations[name], args.discard, end, args.pairs, args.bin, rng)
                       for name in sorted(populations)}
    reference = runs[0][0]
    names = [n for n in data[reference] if all(n in data[label] for label, _ in runs)]  # sorted: L23E, L23I, L4E, …
    measures = [("rate", "rate (Hz)"), ("cv_isi", "CV ISI"), ("correlation", "correlation")]
    results = []
    lines = [f"Reference: {reference}; first {args.discard:g} ms discarded; correlations of {args.pairs} neurons "
             f"per population in {args.bin:g} ms bins. KS = Kolmogorov–Smirnov distance, EMD = earth mover's distance.", ""]
    header = "| population | run | mean rate (Hz) | mean CV ISI | mean correlation | KS rate | KS CV | KS corr | EMD rate (Hz) | EMD CV | EMD corr |"
    lines += [header, "|" + "---|" * (header.count("|") - 1)]
    for name in names:
        for label, _ in runs:
            s, r = data[label][name], data[reference][name]
            row = {"population": name, "run": label}
            for key, _ in measures:
                row[f"mean_{key}"] = float(np.mean(s[key])) if len(s[key]) else float("nan")
                row[f"ks_{key}"] = ks(s[key], r[key])
                row[f"emd_{key}"] = emd(s[key], r[key])
            results.append(row)
            cells = [name, label, "%.3f" % row["mean_rate"], "%.3f" % row["mean_cv_isi"], "%.4f" % row["mean_correlation"]]
            cells += ["-" if label == reference else "%.3f" % row[f"ks_{k}"] for k, _ in measures]
            cells += ["-" if label == reference else "%.4f" % row[f"emd_{k}"] for k, _ in measures]
            lines.append("| " + " | ".join(cells) + " |")
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "accuracy.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(args.out, "accuracy.json"), "w") as f:
        json.dump({"reference": reference, "discard_ms": args.discard, "runs": dict(runs), "results": results}, f, indent=1)
    print("\n".join(lines))

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figure, axes = plt.subplots(3, len(names), figsize=(2.2 * len(names), 6.5), squeeze=False)
    for column, name in enumerate(names):
        for row, (key, title) in enumerate(measures):
            ax = axes[row][column]
            values = [data[label][name][key] for label, _ in runs]
            joined = np.concatenate([v for v in values if len(v)]) if any(len(v) for v in values) else np.array([0.0])
            edges = np.histogram_bin_edges(joined, bins=30)
            for (label, _), v in zip(runs, values):
                if len(v):
                    ax.hist(v, bins=edges, histtype="step", density=True, label=label)
            if row == 0:
                ax.set_title(name)
            if column == 0:
                ax.set_ylabel("density")
            ax.set_xlabel(title, fontsize=8)
            ax.tick_params(labelsize=7)
    axes[0][0].legend(fontsize=7)
    figure.suptitle(f"Microcircuit statistics after {args.discard:g} ms (reference: {reference})")
    figure.tight_layout()
    figure.savefig(os.path.join(args.out, "accuracy.png"), dpi=110)
    print(f"accuracy: wrote {args.out}/accuracy.md, accuracy.json, accuracy.png")


if __name__ == "__main__":
    main()
