# Sourced by Scripts/compare-nest, compare-brian2 and accuracy: venvs of the peer simulators
# under .venv/peers, created on first use.

# peer_venv NAME MODULES PACKAGE…: prints .venv/peers/NAME after installing PACKAGE… there unless
# `import MODULES` already works.
peer_venv() {
  local venv=".venv/peers/$1" modules="$2"
  shift 2
  if ! "$venv/bin/python" -c "import $modules" >/dev/null 2>&1; then
    echo "installing $* into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --upgrade pip >&2
    "$venv/bin/pip" install -q "$@" >&2
  fi
  echo "$venv"
}

# NEST 3.10 (pip wheel: no MPI, threads only).
nest_venv() { peer_venv nest "nest, h5py" "nest-simulator==3.10.*" numpy h5py; }

# PyNN 0.13 on NEST 3.10 (Scripts/compare-pynn-examples runs PyNN's examples with pyNN.nest).
pynn_nest_venv() { peer_venv pynn-nest "nest, pyNN.nest, h5py" "nest-simulator==3.10.*" "pyNN==0.13.0" numpy h5py; }

# Brian2 2.9 with numpy < 2.4 (Brian2 2.9 fails to import with numpy 2.4).
brian2_venv() { peer_venv brian2 brian2 "brian2==2.9.*" "numpy<2.4"; }

# BMTK 1.2 (NetworkBuilder, PointNet) on NEST 3.10 (Scripts/checks/bmtk-pointnet).
bmtk_venv() { peer_venv bmtk "bmtk.simulator.pointnet, nest, h5py" "nest-simulator==3.10.*" "bmtk==1.2.*" numpy h5py; }
