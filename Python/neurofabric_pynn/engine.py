"""Runs `neurofabric` on the handed-over circuit and reads its trace back.

A PyNN script may call run() several times. The engine is deterministic (the same network and
seed give the same trace), so the backend continues a simulation by running the same network from
t = 0 to the new end: the result is the continuation, spike for spike. Parameters set between runs
(`Population.set`, of neurons and sources) go to the engine as parameter changes at the time the
last run ended, which the ideal family applies (the others refuse them: NotImplementedError). What
the engine cannot do is continue after the rest of the network changed (initial values, weights,
connections, spikes and currents before then); that needs a checkpoint the engine does not write
yet, so such a run raises NotImplementedError instead of silently starting over with the change
applied from t = 0. What is recorded, and spike times and currents set for the time after the last
run, may change."""
import functools
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import tomllib

import h5py
import numpy as np
from pyNN import errors

from . import handoff

MISSING = np.iinfo(np.uint64).max
LONGEST = 1e9  # ms: the longest run the engine takes (`--duration`)
GRACE = 5.0  # s: how long a stopped engine may take to end before it is killed


class EngineError(RuntimeError):
    """The engine refused the network or failed; the message is the engine's."""


class _Terminated(BaseException):
    """SIGTERM arrived while the engine ran."""


def _on_sigterm(signum, frame):
    raise _Terminated()


def _processes():
    """(pid, parent, session) of every live process (Linux /proc; [] elsewhere)."""
    found = []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            found.append((int(entry), int(fields[1]), int(fields[3])))
    return found


def _engine_processes(process):
    """The engine's processes still alive: its session, and every descendant (hydra's proxies
    start each rank in a session of its own)."""
    table = _processes()
    members = {pid for pid, _, session in table if session == process.pid}
    grown = True
    while grown:
        more = {pid for pid, parent, _ in table if parent in members | {process.pid} and pid not in members}
        members |= more
        grown = bool(more)
    if process.returncode is None:
        members.add(process.pid)
    return members


def _signal(pids, number):
    for pid in pids:
        try:
            os.kill(pid, number)
        except (ProcessLookupError, PermissionError):
            pass


def stop(process, grace=GRACE):
    """Ends an engine started in a session of its own, mpiexec and every rank: SIGTERM to all of
    them (found before any ends, so that no rank is orphaned unseen), SIGKILL to what is left
    after `grace` seconds."""
    pids = _engine_processes(process)
    _signal(pids, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        process.poll()
        alive = {pid for pid, _, _ in _processes()} & pids
        if process.returncode is not None and not alive:
            return
        time.sleep(0.05)
    _signal({pid for pid, _, _ in _processes()} & pids | _engine_processes(process), signal.SIGKILL)
    process.wait()


def _repository():
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _installed():
    """The binary and topologies of the prefix Scripts/install put this package in, or {}."""
    try:
        from . import _installed_paths
    except ImportError:
        return {}
    return {"binary": _installed_paths.BINARY, "topologies": _installed_paths.TOPOLOGIES}


def find_binary():
    """NEUROFABRIC_BINARY, the binary installed with this package (Scripts/install), the release
    build of the repository this package lives in, or PATH."""
    if os.environ.get("NEUROFABRIC_BINARY"):
        return os.environ["NEUROFABRIC_BINARY"]
    if os.path.isfile(_installed().get("binary", "")):
        return _installed()["binary"]
    builds = glob.glob(os.path.join(_repository(), ".build", "*", "release", "neurofabric"))
    builds += glob.glob(os.path.join(_repository(), ".build", "release", "neurofabric"))
    if builds:
        return builds[0]
    found = shutil.which("neurofabric")
    if found:
        return found
    raise RuntimeError("no neurofabric binary: run Scripts/setup in the repository, put neurofabric on PATH, "
                       "or set NEUROFABRIC_BINARY")


def find_system(system):
    """A topology file as given, or by name (Topologies/ and .toml may be left out) in
    NEUROFABRIC_TOPOLOGIES, the installed topologies or the repository's Topologies/: where the
    binary looks (docs/getting-started.md)."""
    if os.path.isfile(system):
        return os.path.abspath(system)
    name = system[len("Topologies/"):] if system.startswith("Topologies/") else system
    directories = [d for d in os.environ.get("NEUROFABRIC_TOPOLOGIES", "").split(":") if d]
    directories += [_installed().get("topologies", ""), os.path.join(_repository(), "Topologies")]
    for directory in filter(None, directories):
        for candidate in (os.path.join(directory, name), os.path.join(directory, name + ".toml")):
            if os.path.isfile(candidate):
                return os.path.abspath(candidate)
    raise ValueError(f"system '{system}': no such topology file (looked in {', '.join(filter(None, directories))}; "
                     "NEUROFABRIC_TOPOLOGIES names more directories)")


@functools.cache
def families(binary):
    """What each family takes, by topology `family` name, as the binary says (`neurofabric info
    --json`): its placers, the [system] key that sets its step (absent: continuous time), and the
    columns of its fabric tables that label rows rather than count."""
    try:
        described = json.loads(subprocess.run([binary, "info", "--json"], check=True, capture_output=True, text=True).stdout)
    except (OSError, subprocess.CalledProcessError, json.JSONDecodeError) as error:
        raise EngineError(f"{binary} info --json: {error}") from None
    return {name: family for family in described["families"] for name in family["names"]}


class Engine:
    def __init__(self, state, system, ranks=1, placer=None, seed=1, quiet=False, binary=None):
        self.state = state
        self.system = find_system(system)
        self.ranks = ranks
        self.placer = placer
        self.seed = seed
        self.process = None
        self.quiet = quiet
        self.binary = binary or find_binary()
        self.forget()

    def forget(self):
        """A new segment: nothing has run yet."""
        self.results = None
        self.fingerprint = None
        self.segments = []

    def _system_file(self):
        """The topology, with its step set to PyNN's timestep where that differs (a copy in workdir)."""
        with open(self.system, "rb") as f:
            table = tomllib.load(f).get("system", {})
        # The key that sets a digital family's step, which PyNN's timestep sets (as sPyNNaker's
        # setup(timestep=…) sets the machine time step); the analog families integrate continuous time.
        key = families(self.binary).get(table.get("family"), {}).get("step_key")
        if key is None or table.get(key) == self.state.dt:
            return self.system
        lines = open(self.system).read().splitlines()
        start = next(i for i, line in enumerate(lines) if line.strip() == "[system]")
        end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
        setting = f"{key} = {float(self.state.dt)!r}  # PyNN's timestep (pyNN.neurofabric)"
        found = [i for i in range(start + 1, end) if re.match(rf"\s*{key}\s*=", lines[i])]
        if found:
            lines[found[0]] = setting
        else:
            lines.insert(start + 1, setting)
        path = os.path.join(self.state.workdir, os.path.basename(self.system))
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def _launcher(self):
        return ["mpiexec", "-n", str(self.ranks)] if self.ranks > 1 else []

    def _execute(self, arguments):
        """Runs the engine in a session of its own, so that a signal to this script, or its exit,
        stops it and every rank (`stop`): Ctrl-C re-raises KeyboardInterrupt, SIGTERM exits 143."""
        command = self._launcher() + [self.binary] + arguments
        try:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                                       start_new_session=True)
        except OSError as error:
            raise EngineError(f"cannot start {command[0]}: {error.strerror or error}") from None
        self.process = process
        previous = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, _on_sigterm)
        lines = []
        try:
            for line in process.stdout:
                lines.append(line)
                if not self.quiet:
                    sys.stdout.write(line)
            status = process.wait()
        except _Terminated:
            stop(process)
            raise SystemExit(128 + signal.SIGTERM) from None
        except BaseException:
            stop(process)
            raise
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
            process.stdout.close()
            self.process = None
        if status < 0:
            raise EngineError(f"neurofabric {arguments[0]} was ended by signal {-status} "
                               f"({signal.Signals(-status).name}):\n" + "".join(lines[-40:]))
        if status != 0:
            raise EngineError(f"neurofabric {arguments[0]} failed (exit {status}):\n" + "".join(lines[-40:]))
        return "".join(lines)

    def stop(self):
        """Stops the engine if it runs (at exit)."""
        if self.process is not None and self.process.poll() is None:
            stop(self.process)

    def _segments(self):
        """The parameters each run since the last reset started with, [(time, snapshot)], and the
        parameters now from the end of the last run on, where they changed."""
        now = handoff.snapshot(self.state)
        if self.results is None:
            return [(0.0, now)]
        segments = list(self.segments)
        if any(handoff.changed(segments[-1][1][p], now[p]) for p in self.state.populations):
            segments.append((self.results.tstop, now))
        return segments

    def map(self):
        """The mapping report for the network as it stands (`neurofabric map`)."""
        directory = os.path.join(self.state.workdir, "map")
        unchanged = self.results is not None and handoff.fingerprint(self.state, before=self.results.tstop) == self.fingerprint
        config, _ = handoff.write(self.state, directory, max(self.state.t, self.state.dt), self._segments() if unchanged else None)
        arguments = ["map", "--system", self._system_file(), "--network", config, "--ranks", str(self.ranks)]
        if self.placer:
            arguments += ["--placer", self.placer]
        return self._execute_quietly(arguments)

    def _execute_quietly(self, arguments):
        quiet, self.quiet = self.quiet, True
        try:
            return self._execute(arguments)
        finally:
            self.quiet = quiet

    def run_until(self, tstop):
        tstop = float(tstop)
        if tstop <= 0:
            return
        if tstop > LONGEST:
            raise errors.InvalidParameterValueError(f"run until {tstop!r} ms: the engine runs at most {LONGEST:g} ms")
        directory = os.path.join(self.state.workdir, f"segment{self.state.segment_counter}")
        if self.results is not None and handoff.fingerprint(self.state, before=self.results.tstop) != self.fingerprint:
            raise NotImplementedError(
                "the network changed since the last run() (initial values, weights, delays, connections, "
                "or spikes and currents before then): continuing after such a change needs a checkpoint, which NeuroFabric "
                "does not write yet; call sim.reset() and run again from t = 0 (parameters set with Population.set may change)")
        segments = self._segments()
        config, layouts = handoff.write(self.state, os.path.join(directory, "circuit"), tstop, segments)
        arguments = ["run", "--system", self._system_file(), "--network", config, "--duration", f"{tstop!r}ms",
                     "--seed", str(self.seed), "--out", os.path.join(directory, "run"), "--overwrite"]
        if self.placer:
            arguments += ["--placer", self.placer]
        if self.quiet or not sys.stdout.isatty():
            arguments.append("--no-progress")
        try:
            output = self._execute(arguments)
        except EngineError as error:
            if "parameter changes during a run" in str(error):
                raise NotImplementedError(f"parameters set between runs on {os.path.basename(self.system)}: " + str(error).splitlines()[-1]) from None
            raise
        labels = {f"projection{j}": p.label for j, p in enumerate(self.state.projections)}
        trace = os.path.join(directory, "run", "trace.h5")
        with h5py.File(trace, "r") as f:
            family = str(f["provenance"].attrs["family"])
        results = Results(trace, layouts, tstop, output, labels, families(self.binary).get(family, {}).get("label_columns", ()))
        self._check_steps(results)
        self.results = results
        self.fingerprint = handoff.fingerprint(self.state, before=tstop)
        self.segments = segments

    def _check_steps(self, results):
        """A digital system steps at PyNN's timestep (set above): sampling intervals must be whole
        steps rather than be silently rounded."""
        with h5py.File(results.trace, "r") as f:
            dt, family = float(f["provenance"].attrs["dt_ms"]), str(f["provenance"].attrs["family"])
        if families(self.binary).get(family, {}).get("step_key") is None:
            return  # the analog families integrate continuous time; PyNN's timestep does not apply
        if abs(dt - self.state.dt) > 1e-9 * dt:
            raise ValueError(f"setup(timestep={self.state.dt}) but {os.path.basename(self.system)} steps at {dt} ms: "
                             "use that timestep or another topology")
        for recorder in self.state.recorders:
            steps = recorder.sampling_interval / dt
            if any(v.name == "v" for v in recorder.recorded) and abs(steps - round(steps)) > 1e-9:
                raise ValueError(f"sampling interval {recorder.sampling_interval} ms of {recorder.population.label} "
                                 f"is not a whole number of {dt}-ms steps")


class Results:
    """A run's trace, read by PyNN cell: spikes, membrane samples, the hardware's counters."""

    def __init__(self, trace, layouts, tstop, output, projection_labels=None, label_columns=()):
        self.trace = trace
        # The engine's projection names (the hand-over's "projection<j>") → PyNN's labels.
        self.projection_labels = projection_labels or {}
        # Columns of the fabric tables that label rows (chip, coordinates, slice) and are not summed.
        self.label_columns = set(label_columns)
        self.layouts = layouts
        self.tstop = tstop
        self.output = output
        self._spikes = {}
        self._kept = {}
        self._report = None
        with h5py.File(trace, "r") as f:
            for population, layout in layouts.items():
                trains = [np.zeros(0) for _ in range(population.size)]
                for label, members in layout.groups:
                    if f"spikes/{label}" not in f:
                        continue
                    ids = f[f"spikes/{label}/node_ids"][:]
                    times = f[f"spikes/{label}/timestamps"][:]
                    kept = times <= tstop + 1e-9
                    ids, times = ids[kept], times[kept]
                    order = np.lexsort((times, ids))
                    ids, times = ids[order], times[order]
                    firsts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else np.zeros(0, int)
                    for node, train in zip(ids[firsts], np.split(times, firsts[1:])):
                        trains[members[int(node)]] = train
                if type(population.celltype).__name__ == "SpikeSourceArray":
                    trains = [t[t <= tstop + 1e-9] for t in population.spike_trains()]
                self._spikes[population] = trains

    def spikes(self, population, cell):
        return self._spikes[population][int(population.id_to_index(cell))]

    def _reports(self, population):
        """The v samples of `population`'s recorded cells by PyNN index, and their times (None
        without a report)."""
        if population in self._kept:
            return self._kept[population]
        layout = self.layouts[population]
        columns, times = {}, None
        with h5py.File(self.trace, "r") as f:
            for label, members in layout.groups:
                if f"report/{label}" not in f:
                    continue
                report = f[f"report/{label}"]
                data = report["data"][:]
                nodes = report["mapping/node_ids"][:]
                start, end, step = report["mapping/time"][:]
                times = start + step * np.arange(data.shape[0])
                for column, node in enumerate(nodes):
                    columns[int(members[int(node)])] = data[:, column]
        return columns, times

    def keep(self):
        """Reads what get_data and get_fabric_report use into memory, before end() removes the
        temporary workdir (PyNN: end() does not erase the recorded data)."""
        self._kept = {population: self._reports(population) for population in self.layouts}
        self._report = self.fabric_report()

    def membrane(self, population, cells):
        """Samples of v (rows: times, columns: `cells`), and their times: the initial potential at
        t = 0 (as pyNN.nest gives it), then the engine's samples, taken at the end of each interval."""
        wanted = [int(population.id_to_index(c)) for c in cells]
        columns, times = self._reports(population)
        if times is None:
            return np.zeros((0, len(wanted))), np.zeros(0)
        initial = population._initial.get("v", np.full(population.size, np.nan))[wanted]
        signals = np.vstack([initial, np.stack([columns[i] for i in wanted], axis=1).astype(float)])
        times = np.concatenate([[0.0], times])
        kept = times <= self.tstop + 1e-9
        return signals[kept], times[kept]

    def fabric_report(self):
        """The hardware's account of the run: provenance, every fabric counter summed over its rows
        (a missing rank file's rows skipped), and the energy estimate where the family models it."""
        if self._report is not None:
            return self._report
        report = {}
        with h5py.File(self.trace, "r") as f:
            provenance = f["provenance"].attrs
            for key in ("family", "system", "network", "seed", "ranks", "duration_ms", "dt_ms", "speedup", "complete"):
                if key in provenance:
                    value = provenance[key]
                    report[key] = value.item() if hasattr(value, "item") else value
            for group in ("routers", "links", "pes"):
                if f"fabric/{group}" not in f:
                    continue
                totals = {}
                for name, dataset in f[f"fabric/{group}"].items():
                    if name in self.label_columns:
                        continue
                    values = dataset[:]
                    if values.dtype.kind in "ui":
                        totals[name] = int(values[values != MISSING].sum()) if values.dtype == np.uint64 else int(values.sum())
                report[group] = totals
            if "energy" in f:
                report["energy_j"] = {k: float(v) for k, v in f["energy"].attrs.items() if k not in ("source", "units")}
            if "mapping/synapse_loss" in f:  # BrainScaleS-1: synapses the placement and routing could not realise
                loss = f["mapping/synapse_loss"]
                by_projection = {}
                for k, name in enumerate(loss.attrs["projections"]):
                    label = self.projection_labels.get(str(name).split("_")[0], str(name))
                    counts = by_projection.setdefault(label, {})
                    for column in loss:
                        counts[column] = counts.get(column, 0) + int(loss[column][k])
                report["synapse_loss"] = by_projection
        return report
