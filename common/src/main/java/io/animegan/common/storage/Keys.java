package io.animegan.common.storage;

import java.util.List;
import java.util.UUID;

/**
 * Object keys, all derived from the service-generated image id and the step that writes them,
 * never from user input. The same image and step always give the same key, so a reprocessed
 * record overwrites its earlier output.
 */
public final class Keys {

    private Keys() {}

    public static String newImageId() {
        return UUID.randomUUID().toString();
    }

    public static String original(String imageId) {
        return "inputs/" + imageId + "/original";
    }

    public static String faceCrop(String imageId, int face) {
        return "work/" + imageId + "/faces/" + face + "/crop.png";
    }

    public static String faceParsing(String imageId, int face) {
        return "work/" + imageId + "/faces/" + face + "/parsing.png";
    }

    /**
     * A face crop of a face analysis shared by the styles of one upload (a face group), named by
     * the picture that was analysed; see {@link #faceAnalysisPrefix}.
     */
    public static String faceAnalysisCrop(String imageId, int face) {
        return faceAnalysisPrefix(imageId) + "faces/" + face + "/crop.png";
    }

    /** The label map beside {@link #faceAnalysisCrop}. */
    public static String faceAnalysisParsing(String imageId, int face) {
        return faceAnalysisPrefix(imageId) + "faces/" + face + "/parsing.png";
    }

    public static String stylizedFace(String imageId, int face) {
        return "work/" + imageId + "/faces/" + face + "/stylized.png";
    }

    public static String stylizedPicture(String imageId) {
        return "work/" + imageId + "/stylized.png";
    }

    public static String overlay(String imageId) {
        return "results/" + imageId + "/overlay.png";
    }

    public static String result(String imageId, String extension) {
        return "results/" + imageId + "/anime." + extension;
    }

    /** A drawn video segment (H.264 MP4 without audio), before assembly. */
    public static String videoSegment(String videoId, int index) {
        return String.format("work/%s/segments/%05d.mp4", videoId, index);
    }

    /** A clip's preview: its first few seconds drawn cheaply while the clip is drawn, never assembled. */
    public static String videoPreview(String videoId) {
        return "work/" + videoId + "/segments/preview.mp4";
    }

    /** A style's example picture, rendered once in that style. */
    public static String styleThumbnail(String styleId) {
        return "styles/" + styleId + "/thumbnail.jpg";
    }

    /** Everything ingest stored for the image: the original upload. */
    public static String inputsPrefix(String imageId) {
        return "inputs/" + imageId + "/";
    }

    /** The stages' intermediate blobs: face crops, parsings, the stylized picture. */
    public static String workPrefix(String imageId) {
        return "work/" + imageId + "/";
    }

    /**
     * A face group's analysis, under the id of the picture that was analysed: the other styles of
     * the upload read it while they are drawn, so it is not one of that picture's intermediates
     * (those go when the picture is final, maybe before its siblings are blended) but goes with the
     * picture's {@link #imagePrefixes} at retention expiry.
     */
    public static String faceAnalysisPrefix(String imageId) {
        return "analyses/" + imageId + "/";
    }

    /** The finished picture and its debug overlay. */
    public static String resultsPrefix(String imageId) {
        return "results/" + imageId + "/";
    }

    /** Every prefix under which the pipeline stores anything for the image. */
    public static List<String> imagePrefixes(String imageId) {
        return List.of(inputsPrefix(imageId), workPrefix(imageId), resultsPrefix(imageId));
    }
}
