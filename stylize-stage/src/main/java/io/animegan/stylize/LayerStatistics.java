package io.animegan.stylize;

import java.util.Arrays;
import java.util.List;

/** The mean and variance each layer norm of a generator saw, in layer order. */
record LayerStatistics(double[] mean, double[] variance) {

    LayerStatistics {
        if (mean.length != variance.length) {
            throw new IllegalArgumentException(mean.length + " means for " + variance.length + " variances");
        }
    }

    int layers() {
        return mean.length;
    }

    /**
     * The statistics of a picture made of {@code parts}, part {@code k} covering the fraction
     * {@code weights[k]} of it (weights summing to 1): the weighted mean of the means, and the
     * weighted variances plus the spread of the means around the whole's mean.
     */
    static LayerStatistics combine(List<LayerStatistics> parts, double[] weights) {
        int layers = parts.get(0).layers();
        double[] mean = new double[layers];
        double[] variance = new double[layers];
        for (int i = 0; i < layers; i++) {
            for (int k = 0; k < parts.size(); k++) {
                mean[i] += weights[k] * parts.get(k).mean[i];
            }
            for (int k = 0; k < parts.size(); k++) {
                double offset = parts.get(k).mean[i] - mean[i];
                variance[i] += weights[k] * (parts.get(k).variance[i] + offset * offset);
            }
        }
        return new LayerStatistics(mean, variance);
    }

    /**
     * These statistics changed as {@code from} changed to {@code to}: means shifted by the
     * difference, variances scaled by the ratio (kept where {@code from} has none).
     */
    LayerStatistics scaledBy(LayerStatistics from, LayerStatistics to) {
        double[] shifted = new double[layers()];
        double[] scaled = new double[layers()];
        for (int i = 0; i < layers(); i++) {
            shifted[i] = mean[i] + to.mean[i] - from.mean[i];
            scaled[i] = from.variance[i] > 0 ? variance[i] * to.variance[i] / from.variance[i] : variance[i];
        }
        return new LayerStatistics(shifted, scaled);
    }

    @Override
    public String toString() {
        return "LayerStatistics[mean=" + Arrays.toString(mean) + ", variance=" + Arrays.toString(variance) + "]";
    }
}
