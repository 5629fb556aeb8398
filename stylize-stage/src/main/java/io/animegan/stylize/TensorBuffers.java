package io.animegan.stylize;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The memory a generator's input and output tensors live in, reused while the picture size stays
 * the same: direct, so OpenCV writes the input and reads the output in place and ONNX Runtime uses
 * both without copying them through Java arrays.
 *
 * <p>Generators called one at a time share one (as {@link Generators} does), so a process drawing
 * several styles holds one picture's tensors, not one per style. Not thread-safe.
 */
final class TensorBuffers {

    private ByteBuffer input;
    private ByteBuffer output;

    /** The input buffer, of exactly {@code bytes}. */
    ByteBuffer input(int bytes) {
        input = sized(input, bytes);
        return input;
    }

    /** The output buffer, of exactly {@code bytes}. */
    ByteBuffer output(int bytes) {
        output = sized(output, bytes);
        return output;
    }

    private static ByteBuffer sized(ByteBuffer reuse, int bytes) {
        return reuse != null && reuse.capacity() == bytes
                ? reuse
                : ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
}
