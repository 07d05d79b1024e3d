"""Runs one of PyNN's example scripts on a PyNN backend and writes the mean firing rate of every
population that records spikes (Hz, over the recorded cells and the simulated time) as JSON.
Run by Scripts/compare-pynn-examples in the backend's venv; the example itself is unchanged: its
sim.end() first collects the rates here.

Usage: pynn_example_rates.py SIMULATOR OUT.json EXAMPLE.py [example arguments]
"""
import importlib
import json
import os
import runpy
import sys

simulator, out, example, arguments = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
from pyNN.common import populations  # noqa: E402

created = []
original_init = populations.Population.__init__


def register(self, *args, **kwargs):
    original_init(self, *args, **kwargs)
    created.append(self)


populations.Population.__init__ = register
sim = importlib.import_module(f"pyNN.{simulator}")
original_end = sim.end


def end(*args, **kwargs):
    rates = {}
    duration = sim.get_current_time()
    for population in created:
        recorded = [v for v in population.recorder.recorded if v.name == "spikes"]
        if not recorded or not population.recorder.recorded[recorded[0]] or duration <= 0:
            continue
        trains = population.get_data("spikes").segments[-1].spiketrains
        rates[population.label] = sum(len(t) for t in trains) / len(trains) / (duration / 1000.0)
    with open(out, "w") as f:
        json.dump({"duration_ms": duration, "rates": rates}, f)
    return original_end(*args, **kwargs)


sim.end = end
os.chdir(os.path.dirname(os.path.abspath(example)))
sys.argv = [example, *arguments]
runpy.run_path(example, run_name="__main__")
