"""Data files that both interop checks write into their temporary folder (standard library only)."""
import os


def colour_csv(folder, rows=90):
    """32x32x3 pictures as a table of pixels (0-255, NHWC order, p0..p3071) with a class: a red square, a green
    disc or a blue bar on noise. For the image model, read with `input 32x32x3`."""
    import random  # the same pictures every run
    rng = random.Random(7)
    names = ["red_square", "green_disc", "blue_bar"]
    with open(os.path.join(folder, "colour.csv"), "w") as f:
        f.write(",".join(f"p{k}" for k in range(32 * 32 * 3)) + ",shape\n")
        for i in range(rows):
            c, cx, cy, r = i % 3, rng.randint(10, 21), rng.randint(10, 21), rng.randint(5, 8)
            pixels = []
            for y in range(32):
                for x in range(32):
                    inside = [abs(x - cx) < r and abs(y - cy) < r, (x - cx) ** 2 + (y - cy) ** 2 < r * r,
                              abs(x - cx) < 2 and abs(y - cy) < r + 4][c]
                    pixels += [200 + rng.randint(0, 55) if inside and k == c else rng.randint(0, 59) for k in range(3)]
            f.write(",".join(map(str, pixels)) + f",{names[c]}\n")


def twin_csv(folder):
    """200 days of two channels for `window`: a wave `a` with a missing cell now and then, a trend `y`, and a `day` key."""
    import math, random
    rng = random.Random(5)
    with open(os.path.join(folder, "twin.csv"), "w") as f:
        f.write("day,a,y\n")
        for t in range(200):
            a, y = math.sin(t / 5) + rng.gauss(0, 0.1), 0.5 * t + 3 * math.sin(t / 7) + rng.gauss(0, 0.2)
            f.write(f"d{t},{'' if t % 37 == 5 else f'{a:.4f}'},{y:.4f}\n")


def shop_csv(folder):
    """120 days for `window` with channels `encode` makes: a date `day`, a text `kind` with a missing cell now and then, `a`, `sales`."""
    import math
    with open(os.path.join(folder, "shop.csv"), "w") as f:
        f.write("day,kind,a,sales\n")
        for t in range(120):
            kind = "" if t % 13 == 7 else ["lo", "mid", "hi"][t % 3]
            f.write(f"2023-{1 + t // 28:02d}-{1 + t % 28:02d},{kind},{math.sin(t / 4) * 10:.3f},{3 * t % 50 + (t % 3) * 5 + t / 10:.2f}\n")


def ucr_ts(folder, name, rows, seed):
    """Series of 30 steps in sktime/aeon's .ts layout (as UCR hands them out), three classes by frequency."""
    import math, random
    rng = random.Random(seed)
    with open(os.path.join(folder, name), "w") as f:
        f.write("@problemName waves\n@timeStamps false\n@univariate true\n@classLabel true 1 2 3\n@data\n")
        for k in range(rows):
            y, phase = k % 3 + 1, rng.uniform(0, 6.28)
            f.write(",".join(f"{math.sin(y * 0.3 * t + phase) + rng.gauss(0, 0.2):.4f}" for t in range(30)) + f":{y}\n")
