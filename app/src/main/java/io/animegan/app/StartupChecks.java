package io.animegan.app;

import io.animegan.common.onnx.ModelNotFoundException;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.face.FaceStageApp;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;

/**
 * What a command can check in milliseconds before it starts anything slow (a broker, a storage
 * server, model sessions), so a wrong setting stops it at once with one line naming the setting.
 */
final class StartupChecks {

    private StartupChecks() {}

    /** A port another process already listens on: says which port and which option moves it. */
    static final class PortInUseException extends RuntimeException {
        PortInUseException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The model files the given stages cannot start without (optional styles are not required). */
    static void requireModels(Path modelsDir, String generatorModel, Collection<StageName> stages) {
        for (StageName stage : stages) {
            switch (stage) {
                case face -> {
                    requireFile(modelsDir, FaceStageApp.DETECTOR_MODEL);
                    requireFile(modelsDir, FaceStageApp.PARSER_MODEL);
                }
                case stylize -> StyleCatalogue.load(modelsDir, generatorModel).requireDefault();
                case blend, webhook, video -> {}
            }
        }
    }

    private static void requireFile(Path modelsDir, String fileName) {
        if (!Files.isRegularFile(modelsDir.resolve(fileName))) {
            throw new ModelNotFoundException(fileName, modelsDir);
        }
    }

    /**
     * Fails when {@code port} cannot be bound on {@code bindAddress} now (0 always can).
     *
     * @param option the option (and variable) that sets the port, named in the message
     */
    static void requireFreePort(String bindAddress, int port, String option) {
        if (port == 0) {
            return;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bindAddress);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot resolve the address to listen on '" + bindAddress + "' (--bind)", e);
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(address, port));
        } catch (BindException e) {
            String why = String.valueOf(e.getMessage());
            throw new PortInUseException(
                    why.toLowerCase(Locale.ROOT).contains("in use")
                            ? "port " + port + " on " + bindAddress
                                    + " is already in use; stop the process using it or choose another with " + option
                            : "cannot listen on " + bindAddress + ":" + port + " (" + why + "); check --bind and "
                                    + option,
                    e);
        } catch (IOException e) {
            throw new PortInUseException(
                    "cannot listen on " + bindAddress + ":" + port + " (" + e.getMessage() + ")", e);
        }
    }
}
