"""Image bombs: a small file that declares a huge picture is refused by its pixel count before anything
is decoded, and what is decoded stays small."""

import io
import re
import resource
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from bulletin.models import Post
from tests.bulletin.test_public import submission

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def png_bomb(width=12_000, height=12_000):
    """A valid 1-bit PNG of width × height black pixels, built without ever holding the picture:
    about 30 KB on disk, 144 million pixels once decoded."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the packed pixels
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


class PeakMemory:
    """Peak resident memory of this process during the block, above what it used when it started."""

    def __enter__(self):
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")  # Linux: reset the high-water mark (VmHWM) to the current size
            self.reset = True
        except OSError:
            self.reset = False
            self.start_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        self.start = self._status("VmRSS")
        return self

    def __exit__(self, *exc):
        peak = (
            self._status("VmHWM") if self.reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        )
        self.grew = peak - (self.start if self.reset else max(self.start, self.start_peak))

    @staticmethod
    def _status(key):
        with open("/proc/self/status") as f:
            return int(re.search(rf"{key}:\s+(\d+)", f.read()).group(1)) * 1024


def test_a_pixel_bomb_is_refused_before_it_is_decoded(client, transport, mirabel):
    bomb = png_bomb()
    assert len(bomb) < 64 * 1024
    upload = SimpleUploadedFile("bombe.png", bomb, content_type="image/png")
    with PeakMemory() as memory:
        response = client.post("/babillard/publier/", submission(transport, mirabel, image=upload))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error_1_id_image"' in html and "40 mégapixels au plus" in html
    assert not Post.objects.exists()
    assert memory.grew < 50 * MB, f"the upload took {memory.grew // MB} MB"


def test_the_pixel_message_is_in_english_under_en(client, transport, mirabel):
    upload = SimpleUploadedFile("bomb.png", png_bomb(9_000, 5_000), content_type="image/png")
    html = client.post(
        "/en/babillard/publier/", submission(transport, mirabel, image=upload)
    ).content.decode()
    assert "40 megapixels at most" in html


def test_a_big_jpeg_under_the_limit_is_decoded_at_a_reduced_scale(client, transport, mirabel):
    buffer = io.BytesIO()
    Image.new("RGB", (7_000, 5_000), "#3a7").save(buffer, "JPEG", quality=70)
    upload = SimpleUploadedFile("grande.jpg", buffer.getvalue(), content_type="image/jpeg")
    del buffer
    with PeakMemory() as memory:
        response = client.post("/babillard/publier/", submission(transport, mirabel, image=upload))
    assert response.status_code == 302
    with Image.open(Post.objects.get().image.path) as stored:
        assert stored.size == (1600, 1143)
    assert memory.grew < 60 * MB, f"the upload took {memory.grew // MB} MB"  # a full decode takes 105 MB
