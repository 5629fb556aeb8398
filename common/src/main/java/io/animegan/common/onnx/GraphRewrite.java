package io.animegan.common.onnx;

/**
 * A change made to a model's graph as it is loaded, so the file stays as shipped (and as its
 * checksum says). Part of what makes two loads the same session, so an implementation is one
 * shared instance, compared by identity.
 */
@FunctionalInterface
public interface GraphRewrite {

    /** The graph as the file has it. */
    GraphRewrite NONE = model -> model;

    /** The serialised model rewritten, or {@code model} itself when its graph has nothing this rewrite changes. */
    byte[] apply(byte[] model);
}
