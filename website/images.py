"""Images visitors upload (a board post's picture, a proposed organisation logo): checked for type, size
and pixel count, then re-encoded as a new JPEG (no metadata, EXIF orientation applied, bounded size).

An image's pixel count, not its file size, is what decoding costs: a 32 KB PNG can declare
12,000 × 12,000 pixels and take gigabytes to decode. Pillow's `Image.open` reads only the header, so
the pixel count is checked before anything is decoded, and JPEGs are decoded at a reduced scale
(`draft`) close to the size we keep.

`private_storage` holds what visitors sent that is not public yet (a proposed logo until an editor
approves it): outside MEDIA_ROOT, so no address serves it; the admin streams it to editors.
"""

import io
import math
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}

# Pillow refuses outright past twice this, wherever an image is opened in the process (Wagtail's
# image library included); the board refuses past it with its own message below.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

TOO_MANY_PIXELS = _(
    "Cette image est trop grande en pixels (40 mégapixels au plus, par exemple 7 000 × 5 000). "
    "Réduisez-la avant de l'envoyer."
)


def _probe(upload):
    """The format and size of `upload`, read from its header only."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                fmt, size = probe.format, probe.size
                if fmt in ACCEPTED_FORMATS and size[0] * size[1] <= MAX_PIXELS:
                    probe.verify()  # structure and checksums, without decoding the pixels
    except Image.DecompressionBombError as exc:
        raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("Ce fichier n'est pas une image lisible."), code="invalid") from exc
    if fmt not in ACCEPTED_FORMATS:
        raise ValidationError(_("Formats acceptés : JPEG, PNG ou WebP."), code="format")
    if size[0] * size[1] > MAX_PIXELS:
        raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels")
    return fmt, size


def clean_image(upload):
    """Return a new JPEG file built from `upload`, or raise a ValidationError in French."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("L'image dépasse 5 Mo. Choisissez un fichier plus léger."), code="too_big")
    _fmt, (width, height) = _probe(upload)
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            ratio = min(1, MAX_SIDE / max(width, height))
            # JPEG only: decode at the smallest of 1/8, 1/4, 1/2 that still covers the kept size.
            image.draft("RGB", (math.ceil(width * ratio), math.ceil(height * ratio)))
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            image = _on_white(ImageOps.exif_transpose(image))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("Ce fichier n'est pas une image lisible."), code="invalid") from exc
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def _on_white(image):
    """RGB, transparent parts white: JPEG has no transparency, and a logo's would otherwise turn black."""
    if image.mode not in ("RGBA", "LA", "PA") and "transparency" not in image.info:
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def private_storage():
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
