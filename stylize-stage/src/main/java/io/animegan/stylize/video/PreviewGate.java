package io.animegan.stylize.video;

/**
 * Lets clips' previews go first on an instance: the generators draw one frame at a time, so while a
 * preview is drawn, segments wait before each of their frames and the preview's frames take the
 * generator one after the other. A preview is a few seconds drawn small, so segments wait seconds.
 */
final class PreviewGate {

    private int previews;

    /** A preview starts drawing. */
    synchronized void enter() {
        previews++;
    }

    /** A preview is done (drawn or failed). */
    synchronized void leave() {
        previews--;
        notifyAll();
    }

    /** Waits while any preview is drawn; an interrupted wait gives way and keeps the interrupt. */
    synchronized void awaitNoPreview() {
        while (previews > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
