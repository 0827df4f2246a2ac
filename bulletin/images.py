"""Uploaded images: checked for type, size and pixel count, then re-encoded (no metadata, bounded size).

An image's pixel count, not its file size, is what decoding costs: a 32 KB PNG can declare
12,000 × 12,000 pixels and take gigabytes to decode. Pillow's `Image.open` reads only the header, so
the pixel count is checked before anything is decoded, and JPEGs are decoded at a reduced scale
(`draft`) close to the size we keep.
"""

import dataclasses
import datetime
import io
import math
import posixpath
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from website.tokens import DAY, make_token, read_token

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
            image = ImageOps.exif_transpose(image).convert("RGB")
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("Ce fichier n'est pas une image lisible."), code="invalid") from exc
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


# Variants ---------------------------------------------------------------------------------------
# Like Wagtail's renditions: a stored image resized to a width, made the first time it is asked for
# and kept next to it ("….w400.jpg"), so that lists load thumbnails and post pages offer a srcset.
VARIANT_WIDTHS = (400, 800)


def variant_url(fieldfile, width):
    """The address of `fieldfile` at most `width` pixels wide; the original's if it cannot be made."""
    if not fieldfile:
        return ""
    stem, _ext = posixpath.splitext(fieldfile.name)
    name = f"{stem}.w{width}.jpg"
    storage = fieldfile.storage
    if storage.exists(name):
        return storage.url(name)
    try:
        with storage.open(fieldfile.name, "rb") as f, Image.open(f) as image:
            if image.size[0] * image.size[1] > MAX_PIXELS:
                return fieldfile.url
            ratio = min(1, width / image.size[0])
            image.draft("RGB", (math.ceil(image.size[0] * ratio), math.ceil(image.size[1] * ratio)))
            image.thumbnail((width, image.size[1]))
            out = io.BytesIO()
            ImageOps.exif_transpose(image).convert("RGB").save(out, "JPEG", quality=80, optimize=True)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return fieldfile.url
    saved = storage.save(name, ContentFile(out.getvalue()))
    if saved != name:  # another request made it meanwhile: use theirs
        storage.delete(saved)
    return storage.url(name)


# Kept images ------------------------------------------------------------------------------------
# An image that passed its checks on a form that did not (a missing title…) is stored here, and the
# form carries a signed token naming it, so that the person does not have to choose it again.
KEPT_DIR = "babillard/attente"
KEPT_MAX_AGE = DAY


@dataclasses.dataclass
class KeptImage:
    token: str
    name: str
    label: str

    @property
    def url(self):
        return default_storage.url(self.name)

    def as_upload(self):
        """A new file with the kept image's content, for the form to save like a fresh upload."""
        with default_storage.open(self.name, "rb") as f:
            return ContentFile(f.read(), name=f"{uuid.uuid4().hex}.jpg")


def keep_image(cleaned, label):
    """Store an image that `clean_image` accepted; return its KeptImage (token for the form)."""
    name = default_storage.save(f"{KEPT_DIR}/{uuid.uuid4().hex}.jpg", cleaned)
    label = posixpath.basename(str(label or ""))[:100]
    return KeptImage(make_token("bulletin.kept_image", name, label), name, label)


def kept_image(token):
    """The KeptImage a form's token names, or None if the token is forged, too old or its file gone."""
    values = read_token(token or "", "bulletin.kept_image", KEPT_MAX_AGE)
    if not isinstance(values, list) or len(values) != 2:
        return None
    name, label = values
    if not str(name).startswith(KEPT_DIR + "/") or not default_storage.exists(name):
        return None
    return KeptImage(token, name, label)


def purge_kept_images(now=None, older_than=datetime.timedelta(seconds=KEPT_MAX_AGE)):
    """Delete kept images whose token has expired. Returns how many were deleted."""
    cutoff = (now or timezone.now()) - older_than
    try:
        _dirs, files = default_storage.listdir(KEPT_DIR)
    except FileNotFoundError:
        return 0
    deleted = 0
    for filename in files:
        name = f"{KEPT_DIR}/{filename}"
        if default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
            deleted += 1
    return deleted
