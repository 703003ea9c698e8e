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


def words_linear_model(
    w_ngrams: np.ndarray, w_words: np.ndarray, bias: np.ndarray, table: np.ndarray, *, max_words: int, eps: float, name: str, doc: str, metadata: dict[str, str]
) -> bytes:
    """features float32 [batch, D] and words int64 [batch, max_words] -> probs float32 [batch, K]:
    a linear sigmoid over the n-gram features and the unit-length sum of the words' vectors
    (words.py). The table is stored as float16 (half the bytes; its rounding is trained with)."""
    dims, k = w_ngrams.shape
    axis1 = numpy_helper.from_array(np.array([1], np.int64), "axis1")
    graph = helper.make_graph(
        nodes=[
            helper.make_node("Cast", ["table16"], ["table"], to=TensorProto.FLOAT, name="table_f32"),
            helper.make_node("Gather", ["table", "words"], ["rows"], axis=0, name="lookup"),
            helper.make_node("ReduceSum", ["rows", "axis1"], ["sum"], keepdims=0, name="sum_words"),
            helper.make_node("Mul", ["sum", "sum"], ["sq"], name="square"),
            helper.make_node("ReduceSum", ["sq", "axis1"], ["sq_sum"], keepdims=1, name="sum_squares"),
            helper.make_node("Sqrt", ["sq_sum"], ["norm"], name="norm"),
            helper.make_node("Max", ["norm", "eps"], ["norm_floor"], name="floor"),
            helper.make_node("Div", ["sum", "norm_floor"], ["sentence"], name="unit"),
            helper.make_node("MatMul", ["features", "W"], ["logits_ngrams"], name="matmul_ngrams"),
            helper.make_node("MatMul", ["sentence", "Wwords"], ["logits_words"], name="matmul_words"),
            helper.make_node("Add", ["logits_ngrams", "logits_words"], ["logits_raw"], name="sum_logits"),
            helper.make_node("Add", ["logits_raw", "b"], ["logits"], name="bias"),
            helper.make_node("Sigmoid", ["logits"], ["probs"], name="sigmoid"),
        ],
        name=name,
        inputs=[
            helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", dims]),
            helper.make_tensor_value_info("words", TensorProto.INT64, ["batch", max_words]),
        ],
        outputs=[helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["batch", k])],
        initializer=[
            numpy_helper.from_array(table.astype(np.float16), "table16"),
            axis1,
            numpy_helper.from_array(np.array(eps, np.float32), "eps"),
            numpy_helper.from_array(w_ngrams.astype(np.float32), "W"),
            numpy_helper.from_array(w_words.astype(np.float32), "Wwords"),
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
