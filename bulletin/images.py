"""The board's images: the upload checks are website.images' (shared with proposed organisation logos);
here, the variants a post's page offers and the images kept while a form is corrected.
"""

import dataclasses
import datetime
import io
import math
import posixpath
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageOps

from website.images import MAX_PIXELS
from website.tokens import DAY, make_token, read_token

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
