package io.animegan.status;


/** What the fold changed, passed downstream inside the status app: {@code before} is null for a new image. */
record StatusChange(ImageStatus before, ImageStatus after) {

  boolean becameFinal() {
    return after.phase().isFinal() && (before == null || !before.phase().isFinal());
  }
}
