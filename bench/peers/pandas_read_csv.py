"""pandas.read_csv on the file bench/csv_load.dl loads (scripts/bench writes it).

    python pandas_read_csv.py FILE.csv        prints JSON, seconds (the import not counted)
"""
import sys, time
import pandas
from workloads import report

began = time.perf_counter()
pandas.read_csv(sys.argv[1])
report({"pandas read_csv": time.perf_counter() - began})
