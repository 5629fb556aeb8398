package io.animegan.common.image;

/** Upload formats the service accepts, recognised by their magic bytes (never by file name). */
public enum ImageFormat {
    JPEG("image/jpeg"),
    PNG("image/png"),
    WEBP("image/webp"),
    BMP("image/bmp");

    private final String contentType;

    ImageFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }
}
