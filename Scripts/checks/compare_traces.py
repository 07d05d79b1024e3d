#!/usr/bin/env python3
"""Compares two run directories dataset by dataset and attribute by attribute.

    compare_traces.py <run-a> <run-b>

Reads trace.h5 (its virtual datasets resolve into the rank files) and every rank-NNNNN.h5 of
both directories and reports every dataset or attribute whose value differs (bitwise for
numbers: NaN equals NaN). What depends on the machine and not on the model is skipped: wall-clock
timers (`phase_seconds`, `seconds_*`), peak memory, the command line, the phase names, the run identity (`run_id`)
and `flushed_ms` (the bio time of a rank file's last periodic flush, which runs every 5 s of wall time). Exit status 0 when everything else is identical.
"""
import pathlib
import sys

import h5py
import numpy as np

# Attributes that measure the run rather than the model: timers, memory, the command typed, flushes.
SKIPPED_ATTRIBUTES = {"phase_seconds", "peak_memory_bytes", "command", "phases", "run_id", "flushed_ms"}


def items(path):
    """Every dataset and attribute of a file: {name: value}."""
    found = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            for key, value in obj.attrs.items():
                if key not in SKIPPED_ATTRIBUTES and not key.startswith("seconds_"):
                    found[f"{name}@{key}"] = np.asarray(value)
            if isinstance(obj, h5py.Dataset):
                found[name] = obj[()]
        for key, value in f.attrs.items():
            if key not in SKIPPED_ATTRIBUTES:
                found[f"/@{key}"] = np.asarray(value)
        f.visititems(visit)
    return found


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind in "fc":
        return a.tobytes() == b.tobytes() or bool(np.array_equal(a, b, equal_nan=True))
    return bool(np.array_equal(a, b))


def compare(a_dir, b_dir):
    a_dir, b_dir = pathlib.Path(a_dir), pathlib.Path(b_dir)
    names = sorted({p.name for p in a_dir.glob("*.h5")} | {p.name for p in b_dir.glob("*.h5")})
    differences, compared = [], 0
    for name in names:
        if not (a_dir / name).exists() or not (b_dir / name).exists():
            differences.append(f"{name}: only in {'the second' if (b_dir / name).exists() else 'the first'} run")
            continue
        a, b = items(a_dir / name), items(b_dir / name)
        for key in sorted(set(a) | set(b)):
            compared += 1
            if key not in a or key not in b:
                differences.append(f"{name}:{key}: only in {'the second' if key in b else 'the first'} run")
            elif not same(a[key], b[key]):
                differences.append(f"{name}:{key}: differs")
    return compared, differences


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    compared, differences = compare(sys.argv[1], sys.argv[2])
    for line in differences[:50]:
        print("  " + line)
    if len(differences) > 50:
        print(f"  … and {len(differences) - 50} more")
    print(f"{compared} datasets and attributes compared, {len(differences)} differ")
    sys.exit(1 if differences or compared == 0 else 0)


if __name__ == "__main__":
    main()
