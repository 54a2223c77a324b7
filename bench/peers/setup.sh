#!/usr/bin/env bash
# Makes the Python venv that the peer workloads in bench/peers/ run in, outside the
# repository: ~/.dl-peers, or the folder PEERS_VENV names (scripts/bench reads the same
# variable). Installs Keras on TensorFlow-CPU, scikit-learn, pandas, ONNX Runtime and
# PyTorch's CPU build; WITH_TORCH=0 leaves PyTorch out (its wheel is the largest).
# The C floor needs only gcc and OpenBLAS's headers (scripts/setup installs them).
set -euo pipefail
venv=${PEERS_VENV:-$HOME/.dl-peers}
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet tensorflow-cpu scikit-learn pandas onnxruntime pillow
if [ "${WITH_TORCH:-1}" = 1 ]; then
    "$venv/bin/pip" install --quiet torch torchvision --index-url https://download.pytorch.org/whl/cpu
fi
echo "peer workloads ready: scripts/bench --peers (python: $venv/bin/python)"
