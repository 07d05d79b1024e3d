"""Per-population mean firing rates of two runs of the same network (e.g. ideal and SpiNNaker2),
after a transient, with the full-scale rates NEST's Potjans & Diesmann example reports (their
Fig. 6). Exits non-zero when a population's rate differs from the first run's by more than the
tolerance. Usage: check_rates.py REFERENCE.h5 OTHER.h5 [tolerance=0.2] [transient_ms=100]"""
import sys

import h5py

PUBLISHED = {"L23E": 0.903, "L23I": 2.965, "L4E": 4.414, "L4I": 5.876, "L5E": 7.569, "L5I": 8.633, "L6E": 1.105, "L6I": 7.829}


def rates(path, transient):
    with h5py.File(path, "r") as f:
        duration = float(f["provenance"].attrs["duration_ms"])
        out = {}
        for name, group in f["spikes"].items():
            times = group["timestamps"][:]
            out[name] = (times > transient).sum() / group.attrs["n_nodes"] / ((duration - transient) / 1000)
        return out, f["provenance"].attrs["family"]


if __name__ == "__main__":
    reference, other = sys.argv[1], sys.argv[2]
    tolerance = float(sys.argv[3]) if len(sys.argv) > 3 else 0.2
    transient = float(sys.argv[4]) if len(sys.argv) > 4 else 100.0
    a, family_a = rates(reference, transient)
    b, family_b = rates(other, transient)
    print(f"{'population':<11}{family_a + ' Hz':>14}{family_b + ' Hz':>16}{'difference':>12}{'P&D Hz':>9}")
    worst = 0.0
    for name in a:
        difference = (b[name] - a[name]) / a[name] if a[name] > 0 else 0.0
        worst = max(worst, abs(difference))
        print(f"{name:<11}{a[name]:>14.2f}{b[name]:>16.2f}{difference * 100:>11.1f}%{PUBLISHED.get(name, float('nan')):>9.2f}")
    print(f"largest difference {worst * 100:.1f} % (tolerance {tolerance * 100:.0f} %)")
    sys.exit(0 if worst <= tolerance else 1)
