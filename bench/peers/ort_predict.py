"""The peer of bench/predict_1m.dl: pandas reads the rows, ONNX Runtime runs dl's exported
model, pandas writes the rows with the predictions (the same work as dl's `predict ... to`).

    python ort_predict.py MODEL.onnx ROWS.csv OUT.csv   (prints JSON, seconds, imports excluded)
"""
import sys, time
import numpy as np, pandas as pd, onnxruntime as ort
from workloads import report

start = time.perf_counter()
frame = pd.read_csv(sys.argv[2])
session = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
feeds = {given.name: frame[[given.name]].to_numpy(dtype=np.float32) for given in session.get_inputs()}
probabilities, labels = session.run(["probabilities", "label"], feeds)
frame["predicted_species"] = labels
for k, name in enumerate(session.get_modelmeta().custom_metadata_map["classes"].split(",")):
    frame["prob_" + name] = probabilities[:, k]
frame.to_csv(sys.argv[3], index=False)
report({"onnxruntime+pandas predict 1M": time.perf_counter() - start})
