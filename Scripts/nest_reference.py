#!/usr/bin/env python3
"""Regenerates the single-neuron NEST reference traces that Tests/EngineTests/ReferenceNeuronTests
and SpiNNakerRunTests read (Tests/Fixtures/reference/<case>/nest_dt<dt>_{spikes,trace}.csv).

Each case folder holds a params.json (the input description: NEST model and parameters, input
spike times, weights, delay, an optional dc_generator and its delay, simulated time, recorded state
columns, and optionally `steps_ms`, the resolutions to run). For dt = 0.1 ms and 0.01 ms (or `steps_ms`)
this script builds, in NEST: one neuron, two spike_generators (excitatory and inhibitory) connected
with the given weights and delay, a multimeter sampling the trace columns every dt and a
spike_recorder; simulates t_sim_ms and writes
  nest_dt<dt>_spikes.csv  header `spike_time_ms`, one spike time per line (%.4f)
  nest_dt<dt>_trace.csv   header `t_ms,<columns>`, one row per multimeter sample (%.10g)
Row k is the state at the end of step k+1 (t = (k+1)*dt). NEST's multimeter does not deliver the
last min_delay (= the 1 ms input delay) of a run, so a 200 ms run has rows up to 199 ms.

Usage (from anywhere; NEST comes from pip into .venv/peers/nest via Scripts/lib/peers.sh, created
on first use, and the script re-runs itself with that venv's Python when `import nest` fails):
  python3 Scripts/nest_reference.py                  every case under Tests/Fixtures/reference
  python3 Scripts/nest_reference.py lif_psc_exp      one case
  python3 Scripts/nest_reference.py --out DIR        write into DIR/<case>/ (params.json still read
                                                     from Tests/Fixtures/reference/<case>/)
"""
import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures", "reference")
STEPS = (0.1, 0.01)


def ensure_nest():
    """Imports nest; if that fails, creates/uses the repository's NEST venv and re-executes there."""
    try:
        import nest  # noqa: F401
        return
    except ImportError:
        if os.environ.get("NF_NEST_REEXEC"):
            sys.exit("nest_reference: `import nest` fails even in the NEST venv")
    venv = subprocess.run(["bash", "-c", "source Scripts/lib/peers.sh && nest_venv"], cwd=ROOT,
                          check=True, stdout=subprocess.PIPE, text=True).stdout.strip().splitlines()[-1]
    python = os.path.join(ROOT, venv, "bin", "python")
    os.environ["NF_NEST_REEXEC"] = "1"
    os.execv(python, [python, os.path.abspath(__file__)] + sys.argv[1:])


def simulate(p, dt):
    """Runs case `p` (params.json as a dict) at resolution dt: (spike times, trace times, columns)."""
    import nest

    nest.ResetKernel()
    nest.verbosity = nest.VerbosityLevel.ERROR
    nest.SetKernelStatus({"resolution": dt, "local_num_threads": 1})
    neuron = nest.Create(p["nest_model"], params=p["params"])
    delay = p["input_delay_ms"]
    # NEST's inhibitory port takes negative weights: current models give w_inh as the (negative)
    # current jump, conductance models give the conductance jump's magnitude (NEST is given -w_inh).
    for times, weight in ((p["exc_input_times_ms"], p["w_exc"]), (p["inh_input_times_ms"], -abs(p["w_inh"]))):
        source = nest.Create("spike_generator", params={"spike_times": times})
        nest.Connect(source, neuron, syn_spec={"weight": weight, "delay": delay})
    if p.get("dc_generator"):
        dc = nest.Create("dc_generator", params=p["dc_generator"])
        nest.Connect(dc, neuron, syn_spec={"delay": p.get("dc_delay_ms", 1.0)})
    columns = p["trace_columns"]
    multimeter = nest.Create("multimeter", params={"interval": dt, "record_from": columns})
    nest.Connect(multimeter, neuron)
    recorder = nest.Create("spike_recorder")
    nest.Connect(neuron, recorder)
    nest.Simulate(p["t_sim_ms"])
    events = multimeter.events
    return list(recorder.events["times"]), list(events["times"]), [list(events[c]) for c in columns]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("cases", nargs="*", help="case folders under Tests/Fixtures/reference (default: all)")
    parser.add_argument("--out", default=FIXTURES, help="output folder (default: Tests/Fixtures/reference)")
    args = parser.parse_args()
    ensure_nest()
    import nest

    cases = args.cases or sorted(c for c in os.listdir(FIXTURES)
                                 if os.path.isfile(os.path.join(FIXTURES, c, "params.json")))
    for case in cases:
        with open(os.path.join(FIXTURES, case, "params.json")) as f:
            p = json.load(f)
        if p.get("nest_version") and p["nest_version"] != nest.__version__:
            print(f"nest_reference: {case} was made with NEST {p['nest_version']}, this is {nest.__version__}",
                  file=sys.stderr)
        out = os.path.join(args.out, case)
        os.makedirs(out, exist_ok=True)
        for dt in p.get("steps_ms", STEPS):
            spikes, times, values = simulate(p, dt)
            with open(os.path.join(out, f"nest_dt{dt:g}_spikes.csv"), "w") as f:
                f.write("spike_time_ms\n")
                f.writelines(f"{t:.4f}\n" for t in spikes)
            with open(os.path.join(out, f"nest_dt{dt:g}_trace.csv"), "w") as f:
                f.write(",".join(["t_ms"] + p["trace_columns"]) + "\n")
                for row in zip(times, *values):
                    f.write(",".join(f"{x:.10g}" for x in row) + "\n")
            print(f"nest_reference: {case} dt {dt:g} ms: {len(spikes)} spikes, {len(times)} trace rows "
                  f"(NEST {nest.__version__})", file=sys.stderr)


if __name__ == "__main__":
    main()
