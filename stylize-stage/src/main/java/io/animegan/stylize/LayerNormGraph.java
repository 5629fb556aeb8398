package io.animegan.stylize;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An AnimeGANv2 generator's graph rewritten so its layer normalisations can use statistics given
 * from outside. Each of its layer norms normalises with one mean and one variance over H, W and C
 * of the whole input, so a tile of a picture differs from the whole picture by exactly these
 * pairs of scalars (besides its borders); fed the same pairs, every tile is drawn as part of one
 * picture.
 *
 * <p>The rewritten model has, besides {@code input}, a scalar input {@link #SHARED}: at 0 every
 * layer norm uses its own statistics (the original model), at 1 the inputs {@code mean(i)} and
 * {@code variance(i)} (each {@code [1,1,1,1]}). Either way it outputs each layer norm's own
 * statistics ({@link #ownMean}, {@link #ownVariance}), so they can be gathered over tiles.
 *
 * <p>Recognised: the float and int8 files (mean, then the mean of the squared deviation, each one
 * ReduceMean over axes 1..3) and the int8-fast file (means per axis of the uint8 values and their
 * squares, rescaled to a real mean and variance). Graphs with other normalisations (AnimeGANv3's
 * per-channel ones) are not.
 */
final class LayerNormGraph {

    static final String SHARED = "shared_statistics";
    private static final String ONE_MINUS_SHARED = "shared_statistics_one_minus";
    private static final String ONE = "shared_statistics_one";

    /** One layer norm: the tensors holding its mean and variance, and the nodes computing the variance from the mean. */
    private record LayerNorm(String mean, String variance, Set<NodeProto> internal) {}

    private final ModelProto model;
    private final List<LayerNorm> layers;

    private LayerNormGraph(ModelProto model, List<LayerNorm> layers) {
        this.model = model;
        this.layers = layers;
    }

    /** The graph's layer norms, or empty when {@code modelBytes} has normalisations this class does not know. */
    static Optional<LayerNormGraph> of(byte[] modelBytes) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(modelBytes);
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
        Graph graph = new Graph(model.getGraph());
        List<LayerNorm> layers = new ArrayList<>();
        Set<NodeProto> explained = new HashSet<>();
        for (NodeProto node : model.getGraph().getNodeList()) {
            Optional<LayerNorm> found =
                    graph.plainLayerNorm(node, explained).or(() -> graph.fastLayerNorm(node, explained));
            found.ifPresent(layers::add);
        }
        boolean everyReductionExplained = model.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("ReduceMean"))
                .allMatch(explained::contains);
        if (layers.isEmpty() || !everyReductionExplained) {
            return Optional.empty();
        }
        return Optional.of(new LayerNormGraph(model, List.copyOf(layers)));
    }

    int layers() {
        return layers.size();
    }

    static String mean(int layer) {
        return "shared_mean_" + layer;
    }

    static String variance(int layer) {
        return "shared_variance_" + layer;
    }

    /** Name of the output holding layer {@code layer}'s own mean. */
    String ownMean(int layer) {
        return layers.get(layer).mean();
    }

    String ownVariance(int layer) {
        return layers.get(layer).variance();
    }

    /** The model with shared-statistics inputs and own-statistics outputs, serialised. */
    byte[] sharedStatisticsModel() {
        GraphProto.Builder graph = model.getGraph().toBuilder().clearNode();
        graph.addInput(floatInput(SHARED, List.of()));
        graph.addInitializer(TensorProto.newBuilder()
                .setName(ONE)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addFloatData(1f));
        graph.addNode(node("Sub", List.of(ONE, SHARED), ONE_MINUS_SHARED));
        Map<String, String> mixedOf = new HashMap<>();
        Map<String, LayerNorm> layerOf = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerNorm layer = layers.get(i);
            mixedOf.put(layer.mean(), mean(i));
            mixedOf.put(layer.variance(), variance(i));
            layerOf.put(layer.mean(), layer);
            layerOf.put(layer.variance(), layer);
            graph.addInput(floatInput(mean(i), List.of(1L, 1L, 1L, 1L)));
            graph.addInput(floatInput(variance(i), List.of(1L, 1L, 1L, 1L)));
            graph.addOutput(floatInput(layer.mean(), List.of(1L, 1L, 1L, 1L)));
            graph.addOutput(floatInput(layer.variance(), List.of(1L, 1L, 1L, 1L)));
        }
        for (NodeProto original : model.getGraph().getNodeList()) {
            NodeProto.Builder node = original.toBuilder();
            for (int k = 0; k < node.getInputCount(); k++) {
                String input = node.getInput(k);
                LayerNorm layer = layerOf.get(input);
                if (layer != null && !layer.internal().contains(original)) {
                    node.setInput(k, mixed(input));
                }
            }
            graph.addNode(node);
            // The mixture right after the node computing the statistic, so the node list stays topologically sorted.
            for (String output : original.getOutputList()) {
                String given = mixedOf.get(output);
                if (given != null) {
                    graph.addNode(node("Mul", List.of(output, ONE_MINUS_SHARED), output + "_own_part"));
                    graph.addNode(node("Mul", List.of(given, SHARED), output + "_given_part"));
                    graph.addNode(node("Add", List.of(output + "_own_part", output + "_given_part"), mixed(output)));
                }
            }
        }
        return model.toBuilder().setGraph(graph).build().toByteArray();
    }

    /** own * (1 - shared) + given * shared: exactly own at 0, exactly given at 1. */
    private static String mixed(String tensor) {
        return tensor + "_used";
    }

    private static NodeProto node(String op, List<String> inputs, String output) {
        return NodeProto.newBuilder()
                .setOpType(op)
                .setName("shared_statistics_" + output)
                .addAllInput(inputs)
                .addOutput(output)
                .build();
    }

    private static ValueInfoProto floatInput(String name, List<Long> dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        dims.forEach(d -> shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d)));
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(TensorProto.DataType.FLOAT_VALUE)
                                .setShape(shape)))
                .build();
    }

    /** Producers and consumers of every tensor, for matching the layer-norm patterns. */
    private static final class Graph {
        private final Map<String, NodeProto> producer = new HashMap<>();
        private final Map<String, List<NodeProto>> consumers = new HashMap<>();

        Graph(GraphProto graph) {
            for (NodeProto node : graph.getNodeList()) {
                node.getOutputList().forEach(out -> producer.put(out, node));
                node.getInputList()
                        .forEach(in -> consumers
                                .computeIfAbsent(in, k -> new ArrayList<>())
                                .add(node));
            }
        }

        /**
         * mean = ReduceMean(x, axes 1,2,3); d = x - mean; variance = ReduceMean(d * d, axes 1,2,3).
         * {@code node} is the first ReduceMean.
         */
        Optional<LayerNorm> plainLayerNorm(NodeProto node, Set<NodeProto> explained) {
            if (!isReduceMean(node, List.of(1L, 2L, 3L))) {
                return Optional.empty();
            }
            String x = node.getInput(0);
            String mean = node.getOutput(0);
            for (NodeProto sub : consumersOf(mean)) {
                if (!is(sub, "Sub")
                        || !sub.getInput(0).equals(x)
                        || !sub.getInput(1).equals(mean)) {
                    continue;
                }
                String d = sub.getOutput(0);
                for (NodeProto square : consumersOf(d)) {
                    if (!is(square, "Mul")
                            || !square.getInput(0).equals(d)
                            || !square.getInput(1).equals(d)) {
                        continue;
                    }
                    for (NodeProto reduce : consumersOf(square.getOutput(0))) {
                        if (isReduceMean(reduce, List.of(1L, 2L, 3L))) {
                            explained.add(node);
                            explained.add(reduce);
                            return Optional.of(new LayerNorm(mean, reduce.getOutput(0), Set.of(sub)));
                        }
                    }
                }
            }
            return Optional.empty();
        }

        /**
         * The int8-fast form: mc and e2 are means over axes 3, 2, 1 of c and c * c (c the uint8
         * values as float); variance = Relu(e2 - mc * mc) * k1, mean = (mc - k2) * k3. {@code node}
         * is the Relu.
         */
        Optional<LayerNorm> fastLayerNorm(NodeProto node, Set<NodeProto> explained) {
            if (!is(node, "Relu")) {
                return Optional.empty();
            }
            NodeProto difference = producer.get(node.getInput(0));
            if (!is(difference, "Sub")) {
                return Optional.empty();
            }
            NodeProto squaredMean = producer.get(difference.getInput(1));
            if (!is(squaredMean, "Mul") || !squaredMean.getInput(0).equals(squaredMean.getInput(1))) {
                return Optional.empty();
            }
            String mc = squaredMean.getInput(0);
            List<NodeProto> meanChain = reductionChain(mc);
            List<NodeProto> squareChain = reductionChain(difference.getInput(0));
            List<NodeProto> varianceScale = consumersOf(node.getOutput(0));
            List<NodeProto> meanShift =
                    consumersOf(mc).stream().filter(n -> n != squaredMean).toList();
            if (meanChain.isEmpty()
                    || squareChain.isEmpty()
                    || varianceScale.size() != 1
                    || !is(varianceScale.get(0), "Mul")
                    || meanShift.size() != 1
                    || !is(meanShift.get(0), "Sub")) {
                return Optional.empty();
            }
            List<NodeProto> meanScale = consumersOf(meanShift.get(0).getOutput(0));
            if (meanScale.size() != 1 || !is(meanScale.get(0), "Mul")) {
                return Optional.empty();
            }
            explained.addAll(meanChain);
            explained.addAll(squareChain);
            return Optional.of(new LayerNorm(
                    meanScale.get(0).getOutput(0), varianceScale.get(0).getOutput(0), Set.of()));
        }

        /** The ReduceMean nodes over axes 3, 2 and 1, one after the other, ending in {@code tensor}; empty if it is not such a chain. */
        private List<NodeProto> reductionChain(String tensor) {
            List<NodeProto> chain = new ArrayList<>();
            String current = tensor;
            for (long axis = 1; axis <= 3; axis++) {
                NodeProto reduce = producer.get(current);
                if (!isReduceMean(reduce, List.of(axis))) {
                    return List.of();
                }
                chain.add(reduce);
                current = reduce.getInput(0);
            }
            return chain;
        }

        private List<NodeProto> consumersOf(String tensor) {
            return consumers.getOrDefault(tensor, List.of());
        }

        private static boolean is(NodeProto node, String op) {
            return node != null && node.getOpType().equals(op);
        }

        private static boolean isReduceMean(NodeProto node, List<Long> axes) {
            return is(node, "ReduceMean")
                    && node.getAttributeList().stream()
                            .anyMatch(a -> a.getName().equals("axes")
                                    && a.getIntsList().equals(axes))
                    && node.getAttributeList().stream()
                            .noneMatch(a -> a.getName().equals("keepdims") && a.getI() == 0);
        }
    }
}
