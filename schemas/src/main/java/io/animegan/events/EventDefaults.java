package io.animegan.events;

/**
 * Defaults for optional nested records. They are nullable in the schemas rather than given record
 * defaults: Avro resolves a record default by loading the generated class, which it refuses for
 * packages not yet registered as trusted (see {@link EventSerde}).
 */
public final class EventDefaults {

  private EventDefaults() {}

  public static FaceStyle faceStyle(Options options) {
    return options.getFaceStyle() != null ? options.getFaceStyle() : FaceStyle.newBuilder().build();
  }
}
