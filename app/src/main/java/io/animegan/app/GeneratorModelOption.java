package io.animegan.app;

import picocli.CommandLine.Option;

/** Which generator variant the styles use, for run, stage, ingest and bench alike. */
public final class GeneratorModelOption {

    @Option(
            names = "--generator-model",
            defaultValue = "${env:ANIMEGAN_GENERATOR_MODEL:-int8}",
            description =
                    "Which generator variant every style uses where it has two: int8 or float (env ANIMEGAN_GENERATOR_MODEL);"
                            + " a model file name also works (a catalogue file names its variant, another file replaces the default style's model). Default: ${DEFAULT-VALUE}")
    String generatorModel;

    public String model() {
        return generatorModel;
    }
}
