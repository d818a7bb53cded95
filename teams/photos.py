"""Officers' photos: an upload checked, resized and re-encoded with nothing but its pixels.

A phone photo carries EXIF metadata, often where it was taken (GPS). Only the pixels are copied
into a new image, so no metadata, embedded profile or comment can come along; the photo is turned
upright first, as its EXIF orientation says, since that is lost with the rest.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_WIDTH = 240
MAX_HEIGHT = 300
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # a phone's full-size photo is 2 to 8 MB
MAX_PIXELS = 50_000_000  # a 50 megapixel camera; a decompression bomb claims far more
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
QUALITY = 82  # WebP: sharp faces at tens of kilobytes
CONTENT_TYPE = "image/webp"

NOT_A_PHOTO = "The photo must be a JPG, PNG or WebP image. Choose another file."
TOO_BIG = "The photo must be smaller than 10 MB. Choose a smaller file."
TOO_MANY_PIXELS = (
    "The photo is too large to process (more than 50 megapixels). Choose a smaller image."
)


@dataclass(frozen=True)
class Photo:
    image: bytes
    content_type: str
    digest: str
    width: int
    height: int


def _on_white(image: Image.Image) -> Image.Image:
    """RGB, with any transparent parts white (as the page behind them), not black."""
    if image.mode in ("RGBA", "LA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, "white")
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def prepare_photo(upload) -> Photo:
    """The upload (a file object with `.size`) as a WebP of at most MAX_WIDTH x MAX_HEIGHT with
    no metadata, or ValidationError with a message for staff."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_BIG, code="too_big")
    upload.seek(0)
    with warnings.catch_warnings():
        # Pillow warns, then refuses, above its own limit; either is a refusal here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(upload) as original:
                if original.format not in ACCEPTED_FORMATS:
                    raise ValidationError(NOT_A_PHOTO, code="not_a_photo")
                width, height = original.size
                if width * height > MAX_PIXELS:
                    raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels")
                original.load()
                upright = _on_white(ImageOps.exif_transpose(original))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels") from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise ValidationError(NOT_A_PHOTO, code="not_a_photo") from error
    upright.thumbnail((MAX_WIDTH, MAX_HEIGHT), Image.Resampling.LANCZOS)
    # Only the pixels: a new image has no info, EXIF, ICC profile or comments to write.
    clean = Image.frombytes("RGB", upright.size, upright.tobytes())
    out = io.BytesIO()
    clean.save(out, format="WEBP", quality=QUALITY, method=6)
    data = out.getvalue()
    return Photo(
        image=data,
        content_type=CONTENT_TYPE,
        digest=hashlib.sha256(data).hexdigest(),
        width=clean.width,
        height=clean.height,
    )
