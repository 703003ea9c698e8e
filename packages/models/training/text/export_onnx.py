"""Writes a linear sigmoid classifier as ONNX: features float32 [batch, D] -> probs float32 [batch, K]."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
IR_VERSION = 8


def linear_sigmoid_model(weights: np.ndarray, bias: np.ndarray, *, name: str, doc: str, metadata: dict[str, str]) -> bytes:
    dims, k = weights.shape
    graph = helper.make_graph(
        nodes=[
            helper.make_node("MatMul", ["features", "W"], ["logits_raw"], name="matmul"),
            helper.make_node("Add", ["logits_raw", "b"], ["logits"], name="bias"),
            helper.make_node("Sigmoid", ["logits"], ["probs"], name="sigmoid"),
        ],
        name=name,
        inputs=[helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", dims])],
        outputs=[helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["batch", k])],
        initializer=[
            numpy_helper.from_array(weights.astype(np.float32), "W"),
            numpy_helper.from_array(bias.astype(np.float32), "b"),
        ],
    )
    return serialized_model(graph, doc=doc, metadata=metadata)


def serialized_model(graph: onnx.GraphProto, *, doc: str, metadata: dict[str, str]) -> bytes:
    """Wraps a graph as this project's text models are shipped (opset, IR version, producer, sorted metadata), checked."""
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="podpreview-train-text", producer_version="1")
    model.ir_version = IR_VERSION
    model.doc_string = doc
    for k_, v in sorted(metadata.items()):
        model.metadata_props.append(onnx.StringStringEntryProto(key=k_, value=v))
    onnx.checker.check_model(model)
    return model.SerializeToString()
