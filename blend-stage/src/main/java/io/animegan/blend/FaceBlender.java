package io.animegan.blend;

import io.animegan.common.face.FaceRegion;
import io.animegan.common.face.FaceTemplate;
import io.animegan.common.image.MatScope;
import io.animegan.common.image.OpenCv;
import io.animegan.events.FaceStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.photo.Photo;

/**
 * The blend step as a plain function over Mats: for every face, smallest first, mix the stylized
 * crop with the cleaned-up photo per region ({@link RegionStyler}), match its skin colour to the
 * full-picture stylization around it ({@link SkinTone}), choose where the seam runs
 * ({@link SeamPlacement}) and paste it back with Poisson blending ({@link FacePaster}).
 * {@link BlendProcessor} only does the storage around it. These are the last steps of the face path;
 * the whole path is listed in {@code io.animegan.common.face}.
 *
 * <p>Stateless: one instance can serve every thread.
 */
public final class FaceBlender {

    /** Skin pixels this close (512-crop pixels) to another region are left out of the colour statistics. */
    static final int SKIN_ERODE = 6;

    static {
        OpenCv.load();
    }

    /**
     * @param picture the full-picture stylization at output size; faces are pasted into it in place
     * @param faces the faces, in any order; their Mats stay owned by the caller
     * @param scaleX output pixels per source pixel, horizontally
     * @return one result per face, in the order pasted (smallest face first), which the caller
     *     closes; if a face fails, the outcomes before it are closed here
     */
    public List<BlendedFace> blend(Mat picture, List<FaceLayers> faces, FaceStyle style, double scaleX, double scaleY) {
        FacePaster paster = new FacePaster(cloneMode(style.getClone()));
        List<BlendedFace> outcomes = new ArrayList<>(faces.size());
        try (MatScope scope = new MatScope()) {
            // Colour references and fine detail come from the untouched stylization, not from a picture
            // in which an overlapping face was already pasted.
            Mat stylized = scope.own(picture.clone());
            for (FaceLayers face : smallestFirst(faces)) {
                outcomes.add(blendFace(picture, stylized, face, style, paster, scaleX, scaleY));
            }
            return outcomes;
        } catch (RuntimeException | Error e) {
            outcomes.forEach(BlendedFace::close);
            throw e;
        }
    }

    /** Smaller (usually farther) faces first, so nearer faces that overlap them are pasted on top. */
    static List<FaceLayers> smallestFirst(List<FaceLayers> faces) {
        return faces.stream()
                .sorted(Comparator.comparingDouble(FaceLayers::area))
                .toList();
    }

    private BlendedFace blendFace(
            Mat picture,
            Mat stylized,
            FaceLayers face,
            FaceStyle style,
            FacePaster paster,
            double scaleX,
            double scaleY) {
        try (MatScope scope = new MatScope()) {
            Mat cropToPicture = scope.own(CropToPicture.transform(face.sourceToCrop(), scaleX, scaleY));
            double outputWidth = face.width() * Math.sqrt(scaleX * scaleY);
            // face-stage leaves such faces out, but an event may still carry one (an event written by an
            // older face-stage, or a forged one): it is skipped, not pasted as a blur.
            if (outputWidth < FaceTemplate.MIN_OUTPUT_WIDTH) {
                return new BlendedFace(
                        face.index(),
                        null,
                        String.format(
                                Locale.ROOT,
                                "face %.0f px wide in the output, below %d",
                                outputWidth,
                                FaceTemplate.MIN_OUTPUT_WIDTH),
                        scope.detach(cropToPicture));
            }
            try (CropView view =
                    CropView.of(stylized, cropToPicture, face.crop().size())) {
                Mat styled = scope.own(prepare(face, style, view));
                Mat mask = scope.own(pasteMask(face, view, CropToPicture.scale(cropToPicture)));
                FacePaster.Pasted pasted = paster.paste(picture, styled, mask, cropToPicture, stylized);
                return new BlendedFace(
                        face.index(),
                        pasted,
                        pasted == null ? "outside the picture" : null,
                        scope.detach(cropToPicture));
            }
        }
    }

    /** From the parsing with the seam placed by {@link SeamPlacement}; an ellipse without parsing. A new Mat. */
    static Mat pasteMask(FaceLayers face, CropView view, double scale) {
        if (face.labels() == null) {
            return PasteMask.ellipse(face.crop().cols());
        }
        Mat region = face.photo().region();
        return PasteMask.withOffset(region, SeamPlacement.offset(region, view, scale));
    }

    /**
     * The crop as it will be pasted: mixed per region, then recoloured so its skin matches the
     * full-picture stylization's skin at the same place.
     *
     * @return a new 8-bit BGR crop the caller owns
     */
    static Mat prepare(FaceLayers face, FaceStyle style, CropView view) {
        try (MatScope scope = new MatScope()) {
            Mat styled = scope.own(styledCrop(face, style));
            SkinTone.match(styled, view.stylized(), scope.own(skinMask(face, view)));
            return scope.detach(styled);
        }
    }

    /** The per-region mix; without parsing, the generator's output as it is. */
    private static Mat styledCrop(FaceLayers face, FaceStyle style) {
        if (face.labels() == null) {
            return face.stylized().clone();
        }
        return RegionStyler.style(face.stylized(), face.photo(), style);
    }

    /**
     * Skin pixels for the colour statistics: parsed skin away from other regions (eroded), and only
     * where the crop lies inside the picture, since beyond the border the reference is padding.
     */
    private static Mat skinMask(FaceLayers face, CropView view) {
        try (MatScope scope = new MatScope()) {
            Mat skin;
            if (face.labels() != null) {
                skin = scope.newMat();
                // The "skin" class alone: nose and ears are shaded differently.
                Core.compare(face.labels(), new Scalar(FaceRegion.SKIN.index()), skin, Core.CMP_EQ);
                int r = (int) Math.max(
                        1,
                        Math.round(FaceTemplate.scaled(SKIN_ERODE, face.crop().cols())));
                Imgproc.erode(
                        skin,
                        skin,
                        scope.own(
                                Imgproc.getStructuringElement(Imgproc.MORPH_ELLIPSE, new Size(2 * r + 1, 2 * r + 1))));
            } else {
                skin = scope.own(PasteMask.ellipse(face.crop().cols()));
            }
            Core.bitwise_and(skin, view.inside(), skin);
            return scope.detach(skin);
        }
    }

    static int cloneMode(String clone) {
        return "mixed".equalsIgnoreCase(clone) ? Photo.MIXED_CLONE : Photo.NORMAL_CLONE;
    }
}
