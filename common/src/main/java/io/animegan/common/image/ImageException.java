package io.animegan.common.image;

import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;

/** A picture the service cannot read. Permanent: retrying the same bytes gives the same answer. */
public final class ImageException extends StageException {
    public ImageException(ErrorCode code, String message) {
        super(code, message);
    }
}
