/**
 * The face vocabulary every stage shares: the parser's {@link io.animegan.common.face.FaceRegion}
 * classes and their groups, and the {@link io.animegan.common.face.FaceTemplate} every face is
 * aligned to. Lengths in the face path are given in pixels of a
 * {@value io.animegan.common.face.FaceTemplate#CROP_SIZE} px crop; each face's crop has about the
 * face's size in the output picture ({@value io.animegan.common.face.FaceTemplate#MIN_CROP_SIZE}
 * to {@value io.animegan.common.face.FaceTemplate#CROP_SIZE} px, {@code FaceTemplate.cropSizeFor}),
 * and every step scales those lengths to the crop at hand ({@code FaceTemplate.scaled}).
 *
 * <p>The face path, in order, and where each step lives:
 * <ol>
 *   <li>detect: face-stage {@code RetinaFaceDetector} (boxes and five landmarks), driven by
 *       {@code FaceAnalyzer};
 *   <li>align: face-stage {@code FaceAligner} warps each face onto {@code FaceTemplate.FFHQ_512},
 *       scaled to the face's crop size;
 *   <li>parse: face-stage {@code FaceParser} labels each crop with {@code FaceRegion} classes;
 *   <li>stylize: stylize-stage {@code StylizeProcessor} runs the generator on the picture and on each crop
 *       enlarged well beyond the face's output size, and marks the other faces as drawn from the picture
 *       ({@link io.animegan.common.face.CropFromPicture}), whose crops blend-stage cuts from the stylized picture;
 *   <li>blend by region and paste back: blend-stage {@code FaceBlender} mixes each crop per
 *       {@code FacePart} ({@code RegionMasks}, {@code RegionStyler}), matches its skin tone
 *       ({@code SkinTone}), places the seam ({@code SeamPlacement}, {@code PasteMask}) and pastes it
 *       ({@code FacePaster}).
 * </ol>
 */
package io.animegan.common.face;
