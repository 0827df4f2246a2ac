"""Uploaded images: checked for type and size, then re-encoded (no metadata, bounded size)."""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 1600
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


def clean_image(upload):
    """Return a new JPEG file built from `upload`, or raise a ValidationError in French."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("L'image dépasse 5 Mo. Choisissez un fichier plus léger."), code="too_big")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            fmt = probe.format
            probe.verify()
        if fmt not in ACCEPTED_FORMATS:
            raise ValidationError(_("Formats acceptés : JPEG, PNG ou WebP."), code="format")
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        raise ValidationError(_("Ce fichier n'est pas une image lisible."), code="invalid") from exc
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
