"""Per-population rates of a family against `ideal` over several seeds, next to the spread that
`ideal` itself shows from seed to seed, and the share of PE ticks that overran.

Usage: check_seeds.py TOLERANCE TRANSIENT_MS MAX_OVERRUN_SHARE DIR...
Each DIR holds ideal/trace.h5, other/trace.h5 and other.log (what the run printed) of one seed.
A seed fails when a population differs from that seed's ideal run by more than TOLERANCE, or more
than MAX_OVERRUN_SHARE of its PE ticks overran, and its run did not say so (the summary's WARNING
that names the overrun share): the hardware may fail to run a network as planned, but never
silently. Exits 1 when a seed fails; prints every seed either way."""
import statistics
import sys

import h5py

from check_rates import rates


def overrun_share(path):
    """The share of PE ticks that overran, or None for a family without PEs."""
    with h5py.File(path, "r") as f:
        if "fabric/pes" not in f:
            return None
        overruns = f["fabric/pes"]["overruns"][:]
        ticks = float(f["provenance"].attrs["duration_ms"]) / float(f["provenance"].attrs["dt_ms"])
        return overruns.sum() / (len(overruns) * ticks)


tolerance, transient, max_overrun = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
failed, excused = [], []
ideal_by_seed = {}
print(f"{'seed':<8}{'worst population':<18}{'ideal Hz':>9}{'other Hz':>10}{'difference':>12}{'overrun ticks':>15}  warned")
for directory in sys.argv[4:]:
    ideal, _ = rates(f"{directory}/ideal/trace.h5", transient)
    other, family = rates(f"{directory}/other/trace.h5", transient)
    overrun = overrun_share(f"{directory}/other/trace.h5")
    with open(f"{directory}/other.log") as log:
        warned = "WARNING           PEs overran" in log.read()
    ideal_by_seed[directory] = ideal
    differences = {n: (other[n] - ideal[n]) / ideal[n] for n in ideal if ideal[n] > 0}
    worst = max(differences, key=lambda n: abs(differences[n]))
    share = f"{overrun * 100:.2f} %" if overrun is not None else "n/a"
    seed = directory.rstrip("/").rsplit("/", 1)[-1]
    print(f"{seed:<8}{worst:<18}{ideal[worst]:>9.2f}{other[worst]:>10.2f}{differences[worst] * 100:>11.1f}%{share:>15}  {'yes' if warned else 'no'}")
    problems = []
    if abs(differences[worst]) > tolerance:
        problems.append(f"{worst} {differences[worst] * 100:+.1f} % ({family} vs ideal)")
    if overrun is not None and overrun > max_overrun:
        problems.append(f"{overrun * 100:.2f} % of PE ticks overran")
    if problems:
        (excused if warned else failed).append(f"{seed}: " + "; ".join(problems))
if len(ideal_by_seed) > 1:
    print("ideal's own spread over these seeds (sd / mean):",
          ", ".join(f"{n} {statistics.pstdev(r[n] for r in ideal_by_seed.values()) / statistics.mean(r[n] for r in ideal_by_seed.values()) * 100:.0f} %"
                    for n in next(iter(ideal_by_seed.values()))))
for line in excused:
    print("named by the run's WARNING:", line)
for line in failed:
    print("FAIL", line, "(and the run did not warn)")
sys.exit(1 if failed else 0)
