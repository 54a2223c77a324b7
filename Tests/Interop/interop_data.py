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
