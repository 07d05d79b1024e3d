"""The hand-over to the engine: the network as a SONATA circuit that `neurofabric run --network
simulation_config.json` reads (nodes and edges in HDF5, type files, spike inputs, current clamps,
membrane reports), and the map back from the engine's populations to PyNN's cells.

The engine's populations are homogeneous: nodes whose parameters differ are split by the import
into populations `<name>.<k>`, one per parameter set in order of first appearance (docs/inputs/sonata.md,
"What the import does"); `Layout` computes the same split to read the results back."""
import hashlib
import json
import os
import re

import h5py
import numpy as np

VIRTUAL = ("SpikeSourcePoisson", "SpikeSourceArray")
FOREVER = 1e9  # ms: the longest stimulus the engine holds


class Layout:
    """Where the cells of one PyNN population are in the engine: `groups` lists, per engine
    population, its label and the PyNN indices of its cells in order."""

    # The import's limit on the parameter sets of one node population (SONATAImporter.splitLimit).
    split_limit = 64

    def __init__(self, population, name, per_cell):
        self.name = name
        if per_cell:
            keys = np.stack([np.asarray(per_cell[p], dtype=float) for p in sorted(per_cell)], axis=1)
            order = {}
            assignment = np.array([order.setdefault(k.tobytes(), len(order)) for k in keys])
        else:
            assignment = np.zeros(population.size, dtype=int)
        count = assignment.max() + 1 if population.size else 1
        if count > self.split_limit:
            raise NotImplementedError(
                f"{population.label}: {count} different sets of {', '.join(sorted(per_cell))}; NeuroFabric's populations are "
                f"homogeneous and one PyNN population may hold at most {self.split_limit} parameter sets")
        self.groups = [(name if count == 1 else f"{name}.{k}", np.flatnonzero(assignment == k)) for k in range(count)]


def _name(label, index, taken):
    """A SONATA population name: the PyNN label where it is one, else population<index>."""
    name = label if isinstance(label, str) and re.fullmatch(r"[A-Za-z0-9_\-]+", label) else f"population{index}"
    while name in taken:
        name = f"{name}_{index}"
    taken.add(name)
    return name


def _columns(population):
    """Each parameter: a float where all cells share it, else an array of one per cell."""
    columns = {}
    for name, value in population.parameter_columns().items():
        if name == "spike_times":
            continue
        array = np.asarray(value, dtype=float).ravel()
        columns[name] = float(array[0]) if array.size == 1 or np.all(array == array[0]) else array
    return columns


def snapshot(state):
    """The parameters of every population now (`_columns`), to tell later changes from."""
    return {population: _columns(population) for population in state.populations}


def changed(before, after):
    """The parameters whose values differ between two snapshots of one population."""
    return {name: value for name, value in after.items() if name not in before or not np.array_equal(before[name], value)}


def write(state, directory, tstop, segments=None):
    """Writes the circuit of `state`'s network into `directory`; returns the simulation config's
    path and the layout of each population. `segments`, [(time, snapshot)] from t = 0 on, are the
    parameters each run since the last reset started with: the first are the circuit's, the others
    parameter changes at their times (NeuroFabric's extension, `0/parameter_changes/<k>`)."""
    os.makedirs(os.path.join(directory, "network"), exist_ok=True)
    taken, layouts, rows, inputs, node_sets, reports = set(), {}, [], {}, {}, {}
    spike_trains = {}
    with h5py.File(os.path.join(directory, "network", "nodes.h5"), "w") as nodes:
        nodes.attrs["magic"] = np.uint32(0x0A7A)
        nodes.attrs["version"] = np.array([0, 1], dtype=np.uint32)
        for index, population in enumerate(state.populations):
            cell = type(population.celltype).__name__
            name = _name(population.label, index, taken)
            columns = segments[0][1][population] if segments else _columns(population)
            per_cell = {p: v for p, v in columns.items() if isinstance(v, np.ndarray)}
            changes = []
            for (_, before), (time, after) in zip(segments or [], (segments or [])[1:]):
                changed_now = changed(before[population], after[population])
                if changed_now:
                    changes.append((time, {p: np.broadcast_to(np.asarray(v, dtype=float), (population.size,)) for p, v in changed_now.items()}))
            row = {"node_type_id": str(index), "model_type": "virtual" if cell in VIRTUAL else "point_neuron",
                   "model_template": "NONE" if cell in VIRTUAL else f"pynn:{cell}"}
            row.update({p: repr(v) for p, v in columns.items() if not isinstance(v, np.ndarray)})
            v = None
            if cell not in VIRTUAL:
                initial = {variable: np.asarray(values, dtype=float) for variable, values in population._initial.items()}
                for variable, values in initial.items():
                    assumed = population.celltype.default_initial_values.get(variable)
                    if variable != "v" and np.any(values != assumed):
                        raise NotImplementedError(f"{population.label}: initial {variable} other than {assumed}: the engine starts it there")
                v = initial.get("v")
                if v is not None and v.size and np.all(v == v[0]):
                    row["v"], v = repr(float(v[0])), None
            rows.append(row)
            group = nodes.create_group(f"nodes/{name}")
            group["node_id"] = np.arange(population.size, dtype=np.uint64)
            group["node_type_id"] = np.full(population.size, index, dtype=np.int64)
            group["node_group_id"] = np.zeros(population.size, dtype=np.uint32)
            group["node_group_index"] = np.arange(population.size, dtype=np.uint64)
            dynamics = group.create_group("0/dynamics_params")
            for p, values in per_cell.items():
                dynamics[p] = values
            if v is not None:
                dynamics["v"] = v
            for k, (time, values) in enumerate(changes):
                change = group.create_group(f"0/parameter_changes/{k}")
                change.attrs["time"] = float(time)
                for p, value in values.items():
                    change[p] = value
            layouts[population] = Layout(population, name, per_cell)
            _check_changes(population, layouts[population], changes)
            if cell == "SpikeSourceArray":
                spike_trains[name] = population.spike_trains()
                inputs[f"spikes of {name}"] = {"input_type": "spikes", "module": "sonata", "input_file": "spikes.h5", "node_set": name}
            recorder = population.recorder
            if cell == "SpikeSourcePoisson" and recorder.recorded.get(_variable(recorder, "spikes")):
                node_sets[f"spikes of {name}"] = {"population": name}
                reports[f"spikes of {name}"] = {"cells": f"spikes of {name}", "variable_name": "spikes"}
            v_cells = sorted(recorder.recorded.get(_variable(recorder, "v"), []))
            if v_cells:
                indices = [int(population.id_to_index(c)) for c in v_cells]
                # Node-set names with spaces: no population name (handoff._name) can take them.
                node_sets[f"v of {name}"] = {"population": name, "node_id": indices}
                reports[f"v of {name}"] = {"cells": f"v of {name}", "variable_name": "v", "dt": float(recorder.sampling_interval)}

    columns = ["node_type_id", "model_type", "model_template"]
    columns += sorted({c for row in rows for c in row} - set(columns))
    with open(os.path.join(directory, "network", "node_types.csv"), "w") as types:
        types.write(" ".join(columns) + "\n")
        for row in rows:
            types.write(" ".join(row.get(c, "NONE") for c in columns) + "\n")

    if spike_trains:
        with h5py.File(os.path.join(directory, "spikes.h5"), "w") as spikes:
            for name, trains in spike_trains.items():
                ids = np.concatenate([np.full(len(t), i, dtype=np.uint64) for i, t in enumerate(trains)] or [np.zeros(0, np.uint64)])
                times = np.concatenate(trains or [np.zeros(0)])
                group = spikes.create_group(f"spikes/{name}")
                group["node_ids"] = ids
                group.create_dataset("timestamps", data=times).attrs["units"] = "ms"

    edge_rows = []
    with h5py.File(os.path.join(directory, "network", "edges.h5"), "w") as edges:
        edges.attrs["magic"] = np.uint32(0x0A7A)
        edges.attrs["version"] = np.array([0, 1], dtype=np.uint32)
        edges.create_group("edges")
        for j, projection in enumerate(state.projections):
            if type(projection.synapse_type).__name__ != "StaticSynapse":
                raise NotImplementedError(f"{type(projection.synapse_type).__name__}: NeuroFabric has static synapses only")
            receptor = projection.receptor_type
            if receptor not in ("excitatory", "inhibitory"):
                raise NotImplementedError(f"receptor type '{receptor}' of {projection.label}: excitatory or inhibitory only")
            edge_rows.append(f"{j} pynn:StaticSynapse {receptor}")
            for k, (pre, pre_index, post, post_index, weight, delay) in enumerate(projection.edges()):
                group = edges.create_group(f"edges/projection{j}_{k}")
                group.create_dataset("source_node_id", data=pre_index.astype(np.uint64)).attrs["node_population"] = layouts[pre].name
                group.create_dataset("target_node_id", data=post_index.astype(np.uint64)).attrs["node_population"] = layouts[post].name
                group["edge_type_id"] = np.full(len(pre_index), j, dtype=np.int64)
                group["edge_group_id"] = np.zeros(len(pre_index), dtype=np.uint32)
                group["edge_group_index"] = np.arange(len(pre_index), dtype=np.uint64)
                group["0/dynamics_params/weight"] = weight
                group["0/dynamics_params/delay"] = delay
    with open(os.path.join(directory, "network", "edge_types.csv"), "w") as types:
        types.write("edge_type_id model_template receptor_type\n" + "".join(r + "\n" for r in edge_rows))

    for i, source in enumerate(state.current_sources):
        for j, (target, since) in enumerate(source.targets):
            for population, indices in _cells_by_population(target, state):
                cells = f"current {i} into {j} of {layouts[population].name}"
                node_sets[cells] = {"population": layouts[population].name, "node_id": indices}
                for k, (amplitude, start, stop) in enumerate(_steps(source, since=since)):
                    inputs[f"{cells}, piece {k}"] = {"input_type": "current_clamp", "module": "IClamp", "amp": amplitude,
                                                     "delay": start, "duration": stop - start, "node_set": cells}

    with open(os.path.join(directory, "node_sets.json"), "w") as f:
        json.dump(node_sets, f)
    circuit = {"manifest": {"$BASE_DIR": ".", "$NETWORK_DIR": "$BASE_DIR/network"},
               "node_sets_file": "$BASE_DIR/node_sets.json",
               "networks": {"nodes": [{"nodes_file": "$NETWORK_DIR/nodes.h5", "node_types_file": "$NETWORK_DIR/node_types.csv"}],
                            "edges": [{"edges_file": "$NETWORK_DIR/edges.h5", "edge_types_file": "$NETWORK_DIR/edge_types.csv"}]}}
    with open(os.path.join(directory, "circuit_config.json"), "w") as f:
        json.dump(circuit, f, indent=1)
    simulation = {"network": "circuit_config.json", "run": {"tstop": float(tstop), "dt": float(state.dt)},
                  "inputs": inputs, "reports": reports}
    path = os.path.join(directory, "simulation_config.json")
    with open(path, "w") as f:
        json.dump(simulation, f, indent=1)
    return path, layouts


def _check_changes(population, layout, changes):
    """`changes`: [(time, {parameter: a value per cell})]. A change must give the same value to all cells of each engine population: splitting a
    population anew would renumber its cells and with them the random streams of the run so far."""
    for time, values in changes:
        for name, value in values.items():
            for label, cells in layout.groups:
                if cells.size and np.any(value[cells] != value[cells[0]]):
                    raise NotImplementedError(
                        f"{population.label}.set({name}=…) after {time} ms gives its cells different values where they shared one "
                        f"until then ({label}): NeuroFabric's populations are homogeneous, and splitting one during a run needs a "
                        "checkpoint; set the parameter for the whole population (or for the same cells that differed from the start)")


def fingerprint(state, before):
    """A digest of everything that acts on the network before `before` ms but its parameters (which
    may change between runs: `snapshot`): cells, initial values, connections, and the spikes and
    currents of the sources up to then. What is recorded does not change a run, and neither do
    source spikes and currents from `before` on."""
    digest = hashlib.sha256()
    for population in state.populations:
        digest.update(f"{population.label} {type(population.celltype).__name__} {population.size}".encode())
        for name, value in sorted(population._initial.items()):
            digest.update(name.encode() + np.ascontiguousarray(value, dtype=float).tobytes())
        if type(population.celltype).__name__ == "SpikeSourceArray":
            for train in population.spike_trains(before=before):
                digest.update(train.tobytes() + b";")
    for projection in state.projections:
        digest.update(f"{projection.receptor_type} {type(projection.synapse_type).__name__}".encode())
        for part in (projection._pre, projection._post, projection._attributes["weight"], projection._attributes["delay"]):
            digest.update(np.ascontiguousarray(part).tobytes())
    for source in state.current_sources:
        for target, since in source.targets:
            pieces = _steps(source, since=since, before=before)
            if pieces:
                digest.update(repr((_cells_by_population(target, state), pieces)).encode())
    return digest.hexdigest()


def _variable(recorder, name):
    for variable in recorder.recorded:
        if variable.name == name:
            return variable
    return None


def _cells_by_population(target, state):
    """The cells of a Population, PopulationView, Assembly, ID or list of IDs: (population, indices)."""
    cells = target.all_cells if hasattr(target, "all_cells") else [target] if hasattr(target, "parent") else target
    by_population = {}
    for cell in cells:
        by_population.setdefault(cell.parent, []).append(int(cell.parent.id_to_index(cell)))
    return [(p, sorted(by_population[p])) for p in state.populations if p in by_population]


def _steps(source, since=0.0, before=None):
    """A current source as constant pieces (nA, start ms, stop ms) from `since` (when it was
    injected) until `before` where given, each of its parameter sets from the time it was set until
    the next."""
    history = source.history
    bounds = [entry[0] for entry in history[1:]] + [FOREVER]
    pieces = []
    for (set_at, parameters), until in zip(history, bounds):
        until = min(until, FOREVER if before is None else before)
        for amplitude, start, stop in _pieces(type(source).__name__, parameters):
            start, stop = max(start, set_at, since), min(stop, until)
            if amplitude != 0 and stop > start:
                pieces.append((amplitude, start, stop))
    return pieces


def _pieces(kind, parameters):
    if kind == "DCSource":
        return [(float(parameters["amplitude"]), float(parameters["start"]), min(float(parameters["stop"]), FOREVER))]
    times = np.asarray(getattr(parameters["times"], "value", parameters["times"]), dtype=float).ravel()
    amplitudes = np.asarray(getattr(parameters["amplitudes"], "value", parameters["amplitudes"]), dtype=float).ravel()
    ends = list(times[1:]) + [FOREVER]
    return [(float(a), float(t), float(e)) for a, t, e in zip(amplitudes, times, ends)]
