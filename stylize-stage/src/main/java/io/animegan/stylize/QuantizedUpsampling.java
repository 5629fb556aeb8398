package io.animegan.stylize;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.animegan.common.onnx.GraphRewrite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An int8 generator's upsampling moved onto 8-bit values: a float {@code Resize} whose one consumer
 * is a {@code QuantizeLinear} becomes that {@code QuantizeLinear} followed by the {@code Resize}.
 *
 * <p>Why: the decoder's last upsampling writes its float output at the picture's full size with
 * 128 channels (about 560 MB for a 1280x856 picture) only to quantise it to bytes right after; the
 * arena then grows by a region sized for it. Upsampling the bytes instead needs a quarter of that,
 * and quantises a quarter as many values. Nearest upsampling gives the same bytes; bilinear rounds
 * the interpolated bytes instead of the interpolated floats, which moves the drawing by less than
 * quantisation itself does (the README's "Generator memory" has the figures).
 */
final class QuantizedUpsampling implements GraphRewrite {

    static final QuantizedUpsampling INSTANCE = new QuantizedUpsampling();

    private QuantizedUpsampling() {}

    @Override
    public byte[] apply(byte[] modelBytes) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(modelBytes);
        } catch (InvalidProtocolBufferException e) {
            return modelBytes; // not a model this class can read: ONNX Runtime says why when it loads it
        }
        GraphProto graph = model.getGraph();
        Map<NodeProto, NodeProto> quantizeOf = movableResizes(graph);
        if (quantizeOf.isEmpty()) {
            return modelBytes;
        }
        Set<NodeProto> quantizes = new HashSet<>(quantizeOf.values());
        GraphProto.Builder rewritten = graph.toBuilder().clearNode();
        Map<NodeProto, NodeProto> resizeOf = new HashMap<>();
        quantizeOf.forEach((resize, quantize) -> resizeOf.put(quantize, resize));
        for (NodeProto node : graph.getNodeList()) {
            if (quantizeOf.containsKey(node)) {
                continue; // drawn where its QuantizeLinear was, whose inputs all exist there
            }
            if (!quantizes.contains(node)) {
                rewritten.addNode(node);
                continue;
            }
            NodeProto resize = resizeOf.get(node);
            String bytes = resize.getInput(0) + "_quantized";
            rewritten.addNode(node.toBuilder().setInput(0, resize.getInput(0)).setOutput(0, bytes));
            rewritten.addNode(resize.toBuilder().setInput(0, bytes).setOutput(0, node.getOutput(0)));
        }
        return model.toBuilder().setGraph(rewritten).build().toByteArray();
    }

    /** Each Resize whose output only a QuantizeLinear reads (and is not a graph output), with that QuantizeLinear. */
    private static Map<NodeProto, NodeProto> movableResizes(GraphProto graph) {
        Map<String, List<NodeProto>> consumers = new HashMap<>();
        for (NodeProto node : graph.getNodeList()) {
            node.getInputList()
                    .forEach(in -> consumers
                            .computeIfAbsent(in, k -> new ArrayList<>())
                            .add(node));
        }
        Set<String> outputs = new HashSet<>();
        graph.getOutputList().stream().map(ValueInfoProto::getName).forEach(outputs::add);
        Map<NodeProto, NodeProto> movable = new HashMap<>();
        for (NodeProto node : graph.getNodeList()) {
            if (!node.getOpType().equals("Resize") || outputs.contains(node.getOutput(0))) {
                continue;
            }
            List<NodeProto> readers = consumers.getOrDefault(node.getOutput(0), List.of());
            if (readers.size() == 1
                    && readers.get(0).getOpType().equals("QuantizeLinear")
                    && readers.get(0).getInput(0).equals(node.getOutput(0))) {
                movable.put(node, readers.get(0));
            }
        }
        return movable;
    }
}
