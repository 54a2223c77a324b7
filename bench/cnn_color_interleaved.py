#!/usr/bin/env python3
"""The colour-CNN epoch (bench/cnn_color.dl) against its peers, run interleaved on a noisy machine.

    bench/cnn_color_interleaved.py [--rounds N] [--dl PATH]... [--script FILE.dl]...

Each round runs every dl binary given (default: this checkout's .build/release/dl) on each
script (default bench/cnn_color.dl), then `peers_images.py cnn` (PyTorch and Keras, one epoch
each), so load on the machine falls on all of them alike. Prints each figure's median over
the rounds and the ratios to PyTorch's median, and the per-round figures."""
import json, os, re, statistics, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS_PY = os.path.expanduser(os.environ.get("PEERS_VENV", "~/.dl-peers")) + "/bin/python"
TORCH, KERAS = "torch cnn32x32x3 batch=64 epoch(10k) s", "keras cnn32x32x3 batch=64 epoch(10k) s"


def seconds(text):
    m = re.fullmatch(r"(\d+)ms", text) or re.fullmatch(r"(\d+)m(\d\d)s", text) or re.fullmatch(r"([\d.]+)s", text)
    if text.endswith("ms"):
        return int(m.group(1)) / 1000
    return int(m.group(1)) * 60 + int(m.group(2)) if m.lastindex == 2 else float(m.group(1))


def dl_epoch(binary, script):
    out = subprocess.run([binary, script], capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
    m = re.search(r"^trained .* in (\S+):", out.stdout, re.M)
    if out.returncode != 0 or not m:
        sys.exit(f"{binary} {script} failed:\n{out.stdout}{out.stderr}")
    return seconds(m.group(1))


def main():
    args = sys.argv[1:]
    rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else 5
    binaries = [args[i + 1] for i, a in enumerate(args) if a == "--dl"] or [os.path.join(ROOT, ".build/release/dl")]
    scripts = [args[i + 1] for i, a in enumerate(args) if a == "--script"] or [os.path.join(ROOT, "bench/cnn_color.dl")]
    samples = {}
    for r in range(rounds):
        row = {}
        for binary in binaries:
            for script in scripts:
                row[f"dl {binary} {os.path.basename(script)}"] = dl_epoch(binary, script)
        out = subprocess.run([PEERS_PY, os.path.join(ROOT, "bench/peers/peers_images.py"), "cnn"], capture_output=True, text=True)
        peers = json.loads(out.stdout[out.stdout.index("{"):]) if "{" in out.stdout else {}
        row.update({"PyTorch": peers.get(TORCH), "Keras": peers.get(KERAS)})
        print(f"round {r + 1}: " + "  ".join(f"{k} {v}" for k, v in row.items()), flush=True)
        for k, v in row.items():
            if v is not None:
                samples.setdefault(k, []).append(v)
    medians = {k: statistics.median(v) for k, v in samples.items()}
    torch = medians.get("PyTorch")
    print(f"medians over {rounds} rounds:")
    for k, v in medians.items():
        print(f"  {k}: {v:.3f} s" + (f"  ({v / torch:.2f} x PyTorch)" if torch else ""))


if __name__ == "__main__":
    main()
