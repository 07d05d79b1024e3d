"""One script per workdir (its `.neurofabric.lock` claim), and a script signalled during sim.run
stops the engine it started and removes its temporary workdir (issue 30, items 1 and 2)."""
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import pytest

import pyNN.neurofabric as sim
from neurofabric_pynn.claim import LOCK


@pytest.fixture(autouse=True)
def ended():
    yield
    sim.end()


def small_network():
    source = sim.Population(3, sim.SpikeSourceArray(spike_times=[1.0, 5.0]), label="src")
    target = sim.Population(3, sim.IF_curr_exp(), label="cells")
    sim.Projection(source, target, sim.OneToOneConnector(), sim.StaticSynapse(weight=5.0))
    target.record("spikes")
    return target


def script(body):
    """A Python process running `body` with this backend; its stdout is read line by line."""
    code = "import sys, pyNN.neurofabric as sim\n" + textwrap.dedent(body)
    return subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def claim_fields(directory):
    with open(os.path.join(directory, LOCK)) as f:
        return dict(line.split("=", 1) for line in f.read().splitlines())


def test_two_scripts_one_workdir_the_second_is_refused_naming_the_first(tmp_path):
    workdir = str(tmp_path / "shared")
    first = script(f"""
        sim.setup(quiet=True, workdir={workdir!r})
        sim.Population(2, sim.IF_curr_exp())
        sim.run(5.0)
        print("ran", flush=True)
        sys.stdin.read()
        """)
    try:
        assert first.stdout.readline().strip() == "ran", first.stderr.read()
        fields = claim_fields(workdir)
        assert fields["pid"] == str(first.pid) and fields["host"] == socket.gethostname()
        assert len(fields["run"]) == 32 and fields["command"] == "-c"
        sim.setup(quiet=True, workdir=workdir)
        small_network()
        with pytest.raises(sim.WorkdirInUseError, match=f"{workdir} is in use by another run: host {socket.gethostname()}, pid {first.pid}"):
            sim.run(10.0)
        assert sim.get_current_time() == 0.0
        assert claim_fields(workdir)["pid"] == str(first.pid), "the first run's claim stays"
    finally:
        first.communicate("", timeout=30)
    assert first.returncode == 0
    assert not os.path.exists(os.path.join(workdir, LOCK)), "released at exit"
    assert os.path.isdir(os.path.join(workdir, "segment0")), "a given workdir is kept"
    sim.run(10.0)
    assert claim_fields(workdir)["pid"] == str(os.getpid())
    sim.end()
    assert not os.path.exists(os.path.join(workdir, LOCK)), "released at end()"
    assert os.path.isfile(os.path.join(workdir, "segment0", "run", "trace.h5"))


def dead_pid():
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_stale_claim_is_taken_over_with_a_warning(tmp_path):
    pid = dead_pid()
    (tmp_path / LOCK).write_text(f"run=0123\nhost={socket.gethostname()}\npid={pid}\ncommand=old script\n")
    sim.setup(quiet=True, workdir=str(tmp_path))
    target = small_network()
    with pytest.warns(UserWarning, match=f"taking over the claim of pid {pid}"):
        sim.run(10.0)
    assert claim_fields(tmp_path)["pid"] == str(os.getpid())
    assert sum(len(t) for t in target.get_data().segments[0].spiketrains) == 6


@pytest.mark.parametrize("holder,named", [("host=elsewhere\npid={dead}", "host elsewhere, pid"),
                                          ("host={host}\npid=1", "pid 1"),
                                          ("garbage", "not a claim this backend can read")])
def test_a_claim_of_another_host_a_live_pid_or_unreadable_is_refused(holder, named, tmp_path):
    text = "run=abc\n" + holder.format(dead=dead_pid(), host=socket.gethostname()) + "\n"
    (tmp_path / LOCK).write_text(text)
    sim.setup(quiet=True, workdir=str(tmp_path))
    small_network()
    with pytest.raises(sim.WorkdirInUseError, match=named):
        sim.run(10.0)
    assert (tmp_path / LOCK).read_text() == text


def test_end_releases_only_its_own_claim(tmp_path):
    sim.setup(quiet=True, workdir=str(tmp_path))
    small_network()
    sim.run(5.0)
    other = f"run=other\nhost={socket.gethostname()}\npid=1\n"
    (tmp_path / LOCK).write_text(other)
    sim.end()
    assert (tmp_path / LOCK).read_text() == other


def test_the_temporary_workdir_goes_at_end_and_at_exit():
    sim.setup(quiet=True)
    small_network()
    sim.run(5.0)
    temporary = sim.simulator.state.workdir
    assert os.path.basename(temporary).startswith("neurofabric-pynn-") and os.path.isfile(os.path.join(temporary, LOCK))
    sim.end()
    assert not os.path.exists(temporary)
    child = script("""
        sim.setup(quiet=True)
        sim.Population(2, sim.IF_curr_exp())
        sim.run(5.0)
        print(sim.simulator.state.workdir, flush=True)
        """)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert out.strip().startswith(os.path.join(os.path.dirname(temporary), "neurofabric-pynn-"))
    assert not os.path.exists(out.strip()), "removed at exit without end()"


def test_a_sigterm_between_runs_exits_143_and_removes_the_temporary_workdir():
    child = script("""
        sim.setup(quiet=True)
        sim.Population(2, sim.IF_curr_exp())
        sim.run(5.0)
        print(sim.simulator.state.workdir, flush=True)
        sys.stdin.read()
        """)
    workdir = child.stdout.readline().strip()
    assert os.path.isdir(workdir), child.stderr.read()
    child.send_signal(signal.SIGTERM)
    child.communicate(timeout=60)
    assert child.returncode == 143
    assert not os.path.exists(workdir), "the exit handlers ran"


def processes():
    """(pid, the fields of /proc/pid/stat after the command name) of every process still there."""
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as f:
                yield int(entry), f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue


def session_members(session):
    return [pid for pid, fields in processes() if fields[0] != "Z" and int(fields[3]) == session]


def descendants(pid):
    """`pid` and its descendants: mpiexec, hydra's proxy and the ranks, which start sessions of their own."""
    table = [(child, int(fields[1])) for child, fields in processes()]
    found = {pid}
    while True:
        more = {p for p, parent in table if parent in found} - found
        if not more:
            return found
        found |= more


def alive(pids):
    return [pid for pid, fields in processes() if pid in pids and fields[0] != "Z"]


def engine_runs(pid):
    """The children of `pid` that are `[mpiexec …] neurofabric run`."""
    found = []
    for child, fields in processes():
        if int(fields[1]) != pid:
            continue
        try:
            with open(f"/proc/{child}/cmdline", "rb") as f:
                command = f.read().split(b"\0")
        except OSError:
            continue
        if b"run" in command and b"--duration" in command:
            found.append(child)
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="finds the engine's processes in /proc")
@pytest.mark.parametrize("number,ranks", [(signal.SIGTERM, 2), (signal.SIGINT, 2), (signal.SIGTERM, 1)])
def test_a_signalled_script_stops_its_engine_and_removes_its_temporary_workdir(number, ranks):
    child = script(f"""
        sim.setup(quiet=True, ranks={ranks})
        noise = sim.Population(400, sim.SpikeSourcePoisson(rate=50.0))
        cells = sim.Population(400, sim.IF_curr_exp())
        sim.Projection(noise, cells, sim.FixedProbabilityConnector(0.2), sim.StaticSynapse(weight=0.1))
        cells.record("spikes")
        print(sim.simulator.state.workdir, flush=True)
        sim.run(1e7)
        print("finished", flush=True)
        """)
    workdir = child.stdout.readline().strip()
    assert workdir, child.stderr.read()
    engine, deadline = [], time.monotonic() + 30
    while not engine and time.monotonic() < deadline:
        engine = engine_runs(child.pid)
        time.sleep(0.05)
    assert engine, "the engine started"
    time.sleep(1.0)
    tree = descendants(engine[0])
    assert child.poll() is None and len(tree) >= ranks, "the engine runs, with its ranks"
    child.send_signal(number)
    out, err = child.communicate(timeout=30)
    expected = (143,) if number == signal.SIGTERM else (130, -signal.SIGINT)
    assert child.returncode in expected, (child.returncode, err)
    assert "finished" not in out
    assert "Traceback" not in err or number == signal.SIGINT
    assert session_members(engine[0]) == [], "no mpiexec or neurofabric of the engine's session is left"
    assert alive(tree) == [], "no rank is left"
    assert not os.path.exists(workdir)
