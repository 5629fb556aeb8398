package io.animegan.common.style;

/** The colour channel order a generator reads and writes. */
public enum ChannelOrder {
    RGB,
    BGR
}
