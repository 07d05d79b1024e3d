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
import math
import sys
import time

import numpy as np
from brian2 import (NeuronGroup, PoissonInput, SpikeMonitor, Synapses, defaultclock, device, ms, mV, nF, pA, prefs,
                    run, set_device, __version__)

n, indegree, duration = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 1
directory = sys.argv[5] if len(sys.argv) > 5 else "runs/brian2-brunel"
set_device("cpp_standalone", directory=directory, build_on_run=False)
if threads > 1:
    prefs.devices.cpp_standalone.openmp_threads = threads
defaultclock.dt = 0.1 * ms

ne, ni = n * 4 // 5, n - n * 4 // 5
ce, ci = indegree * 4 // 5, indegree - indegree * 4 // 5
g, eta, j, delay = 5.0, 2.0, 0.1, 1.5
cm, tau_m, tau_syn = 0.25, 20.0, 0.5  # nF, ms, ms (as Sources/Model/StandardNetworks/Brunel.swift)
peak = tau_m * tau_syn / (tau_m - tau_syn) * math.log(tau_m / tau_syn)
psp = tau_syn / cm / (tau_m - tau_syn) * (math.exp(-peak / tau_m) - math.exp(-peak / tau_syn)) * tau_m
weight = j / psp * 1000  # pA
nu_thr = 20 / (j * ce * tau_m) * 1000  # Hz

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
