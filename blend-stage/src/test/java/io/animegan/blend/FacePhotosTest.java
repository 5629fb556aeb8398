package io.animegan.blend;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.image.OpenCv;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

class FacePhotosTest {

    /** An unparsed 8x8 crop: 192 bytes. */
    private static final long PHOTO_BYTES = 8 * 8 * 3;

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    private static FacePhoto photo(AtomicInteger made) {
        made.incrementAndGet();
        return FacePhoto.of(new Mat(8, 8, CvType.CV_8UC3), null);
    }

    private static boolean released(FacePhoto photo) {
        return photo.crop().empty();
    }

    @Test
    void theSameContentIsMadeOnceAndSharedByItsLeases() {
        AtomicInteger made = new AtomicInteger();
        try (FacePhotos photos = new FacePhotos(10 * PHOTO_BYTES);
                FacePhotos.Lease first = photos.lease("a", () -> photo(made));
                FacePhotos.Lease second = photos.lease("a", () -> photo(made))) {
            assertThat(second.photo()).isSameAs(first.photo());
            assertThat(made).hasValue(1);
            assertThat(photos.hits()).isEqualTo(1);
            assertThat(photos.bytes()).isEqualTo(PHOTO_BYTES);
        }
    }

    @Test
    void aPhotoNotAskedForSinceTheCutoffIsLetGo() {
        AtomicInteger made = new AtomicInteger();
        try (FacePhotos photos = new FacePhotos(10 * PHOTO_BYTES)) {
            FacePhoto old;
            try (FacePhotos.Lease lease = photos.lease("old", () -> photo(made))) {
                old = lease.photo();
            }
            long cutoff = System.nanoTime();
            photos.lease("new", () -> photo(made)).close();

            assertThat(photos.releaseUnusedSince(cutoff)).isEqualTo(1);
            assertThat(released(old)).isTrue();
            assertThat(photos.bytes()).isEqualTo(PHOTO_BYTES);
            photos.lease("new", () -> photo(made)).close();
            assertThat(made).as("the recent one is still kept").hasValue(2);
        }
    }

    @Test
    void theLeastRecentlyUsedPhotoIsReleasedOnceOverTheBound() {
        AtomicInteger made = new AtomicInteger();
        try (FacePhotos photos = new FacePhotos(2 * PHOTO_BYTES)) {
            FacePhoto a;
            try (FacePhotos.Lease lease = photos.lease("a", () -> photo(made))) {
                a = lease.photo();
            }
            photos.lease("b", () -> photo(made)).close();
            photos.lease("a", () -> photo(made)).close(); // "b" is now the least recently used
            FacePhoto b;
            try (FacePhotos.Lease lease = photos.lease("b", () -> photo(made))) {
                b = lease.photo();
            }
            photos.lease("a", () -> photo(made)).close();

            photos.lease("c", () -> photo(made)).close();

            assertThat(released(b)).isTrue();
            assertThat(released(a)).isFalse();
            assertThat(photos.bytes()).isEqualTo(2 * PHOTO_BYTES);
            assertThat(made).hasValue(3);
        }
    }

    @Test
    void aPhotoInUseOutlivesItsEvictionUntilItsLastLeaseCloses() {
        AtomicInteger made = new AtomicInteger();
        FacePhotos photos = new FacePhotos(PHOTO_BYTES);
        FacePhotos.Lease held = photos.lease("a", () -> photo(made));
        FacePhotos.Lease again = photos.lease("a", () -> photo(made));
        photos.lease("b", () -> photo(made)).close();

        assertThat(released(held.photo())).as("evicted, still leased").isFalse();
        held.close();
        held.close(); // a second close takes no other lease's hold
        assertThat(released(again.photo())).isFalse();
        again.close();
        assertThat(released(again.photo())).isTrue();

        FacePhotos.Lease last = photos.lease("b", () -> photo(made));
        photos.close();
        assertThat(released(last.photo()))
                .as("closing keeps what a lease holds")
                .isFalse();
        last.close();
        assertThat(released(last.photo())).isTrue();
        assertThat(photos.bytes()).isZero();
    }
}
