# Sourced by Scripts/compare-nest, compare-brian2 and accuracy: venvs of the peer simulators
# under .venv/peers, created on first use.

# Prints the venv with NEST 3.10 (pip wheel: no MPI, threads only).
nest_venv() {
  local venv=.venv/peers/nest
  if ! "$venv/bin/python" -c "import nest, h5py" >/dev/null 2>&1; then
    echo "installing NEST 3.10 into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --upgrade pip >&2
    "$venv/bin/pip" install -q "nest-simulator==3.10.*" numpy h5py >&2
  fi
  echo "$venv"
}

# Prints the venv with Brian2 2.9 (numpy < 2.4: Brian2 2.9 fails to import with numpy 2.4).
brian2_venv() {
  local venv=.venv/peers/brian2
  if ! "$venv/bin/python" -c "import brian2" >/dev/null 2>&1; then
    echo "installing Brian2 2.9 into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --upgrade pip >&2
    "$venv/bin/pip" install -q "brian2==2.9.*" "numpy<2.4" >&2
  fi
  echo "$venv"
}
