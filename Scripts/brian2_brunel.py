#!/usr/bin/env python3
"""The Brunel network of `neurofabric run --network brunel:N=…,indegree=…` in Brian2's C++
standalone mode (same parameters as Scripts/nest_brunel.py: iaf_psc_exp-like LIF with exponential
currents integrated exactly, fixed in-degree without autapses, delay 1.5 ms, Poisson drive per
neuron as a PoissonInput of ce sources at eta·nu_thr, dt 0.1 ms).

Usage: python brian2_brunel.py N INDEGREE DURATION_MS [THREADS] [BUILD_DIR]
Prints one JSON line: code generation + compile seconds, run seconds (Brian2's own timer of the
simulation loop), spikes and synaptic events.
"""
import json
import sys
import time

import numpy as np
from brian2 import (NeuronGroup, PoissonInput, SpikeMonitor, Synapses, defaultclock, device, ms, mV, nF, pA, prefs,
                    run, set_device, __version__)
from peer_networks import brunel

n, indegree, duration = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 1
directory = sys.argv[5] if len(sys.argv) > 5 else "runs/brian2-brunel"
set_device("cpp_standalone", directory=directory, build_on_run=False)
if threads > 1:
    prefs.devices.cpp_standalone.openmp_threads = threads
defaultclock.dt = 0.1 * ms

b = brunel(n, indegree)
ne, ni, ce, ci, g, delay, weight = b["ne"], b["ni"], b["ce"], b["ci"], b["g"], b["delay"], b["weight"]
cm, tau_m, tau_syn, eta, nu_thr = b["cm"], b["tau_m"], b["tau_syn"], b["eta"], b["nu_thr"]

equations = """
dv/dt = (-70*mV - v) / tau_membrane + (ie + ii) / C_m : volt (unless refractory)
die/dt = -ie / tau_current : amp
dii/dt = -ii / tau_current : amp
"""
namespace = {"tau_membrane": tau_m * ms, "tau_current": tau_syn * ms, "C_m": cm * nF}
neurons = NeuronGroup(n, equations, threshold="v > -50*mV", reset="v = -60*mV",
                      refractory=2 * ms, method="exact", namespace=namespace)
neurons.v = "-70*mV + rand() * 20*mV"
rng = np.random.default_rng(1)


def fixed_indegree(sources, count):
    """count distinct-from-target sources drawn with replacement for every target (no autapses)."""
    pre = rng.integers(0, sources, size=(n, count))
    post = np.repeat(np.arange(n), count).reshape(n, count)
    while True:
        autapses = (pre == post) if sources == ne else (pre + ne == post)
        if not autapses.any():
            return pre.ravel(), post.ravel()
        pre[autapses] = rng.integers(0, sources, size=autapses.sum())


start = time.time()
excitatory = Synapses(neurons[:ne], neurons, on_pre=f"ie += {weight}*pA", delay=delay * ms)
pre, post = fixed_indegree(ne, ce)
excitatory.connect(i=pre, j=post)
inhibitory = Synapses(neurons[ne:], neurons, on_pre=f"ii -= {g * weight}*pA", delay=delay * ms)
pre, post = fixed_indegree(ni, ci)
inhibitory.connect(i=pre, j=post)
drive = PoissonInput(neurons, "ie", N=ce, rate=eta * nu_thr * 1e-3 / ms, weight=weight * pA)
spikes = SpikeMonitor(neurons)
run(duration * ms)
device.build(directory=directory, compile=True, run=True, debug=False, clean=True)
total = time.time() - start
simulate = device._last_run_time
count = int(spikes.num_spikes)
events = count * indegree + n * eta * nu_thr * ce * duration / 1000
print(json.dumps({"simulator": f"Brian2 {__version__} cpp_standalone", "network": f"brunel:N={n},indegree={indegree}",
                  "threads": threads, "spikes": count, "mean_rate_hz": round(count / n / (duration / 1000), 2),
                  "build_s": round(total - simulate, 3), "run_s": round(simulate, 3),
                  "real_time_factor": round(simulate / (duration / 1000), 3), "synaptic_events": int(events),
                  "synaptic_events_per_s": int(events / simulate)}))
