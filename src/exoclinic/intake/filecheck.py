"""What an uploaded file really is, judged by its bytes, never by its name or the browser's claim.

Accepted: PDF (header and end-of-file marker), PNG (signature, then every chunk's length and CRC up to IEND,
with a sane IHDR) and JPEG (start marker, well-formed segments up to start-of-scan, a frame header with a
size, and the end marker). Pure Python: no image library is installed or needed for these checks.
"""

from __future__ import annotations

import struct
import zlib

from django.utils.translation import gettext as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg"}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers (C0-CF without DHT C4, JPG C8 and DAC CC)
_SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


class NotAllowed(ValueError):
    """The bytes are not a PDF, PNG or JPEG file that parses."""


def detect(data: bytes) -> str:
    """The content type of ``data`` (PDF, PNG or JPEG), or NotAllowed with a plain reason."""
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        return PDF
    if data.startswith(_PNG_SIGNATURE):
        _check_png(data)
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        _check_jpeg(data)
        return JPEG
    raise NotAllowed(_("This file is not a PDF, JPEG or PNG document."))


def _check_pdf(data: bytes) -> None:
    if len(data) < 16 or data[5:6] not in (b"1", b"2") or data[6:7] != b".":
        raise NotAllowed(_("This PDF file has no valid version header."))
    if b"%%EOF" not in data[-2048:]:
        raise NotAllowed(_("This PDF file is incomplete (no end-of-file marker)."))


def _check_png(data: bytes) -> None:
    pos = len(_PNG_SIGNATURE)
    first = True
    while True:
        if pos + 8 > len(data):
            raise NotAllowed(_("This PNG image is cut short."))
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 8 + length + 4
        if end > len(data):
            raise NotAllowed(_("This PNG image is cut short."))
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise NotAllowed(_("This PNG image is damaged (checksum mismatch)."))
        if first:
            if kind != b"IHDR" or length != 13:
                raise NotAllowed(_("This PNG image has no header."))
            width, height = struct.unpack(">II", body[:8])
            if width == 0 or height == 0:
                raise NotAllowed(_("This PNG image has no size."))
            first = False
        if kind == b"IEND":
            return
        pos = end


def _check_jpeg(data: bytes) -> None:
    pos, has_frame = 2, False
    while True:
        # Skip fill bytes, then read a marker.
        if pos + 2 > len(data) or data[pos] != 0xFF:
            raise NotAllowed(_("This JPEG image is damaged."))
        while pos < len(data) and data[pos] == 0xFF:
            pos += 1
        if pos >= len(data):
            raise NotAllowed(_("This JPEG image is cut short."))
        marker = data[pos]
        pos += 1
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            continue
        if pos + 2 > len(data):
            raise NotAllowed(_("This JPEG image is cut short."))
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if length < 2 or pos + length > len(data):
            raise NotAllowed(_("This JPEG image is damaged."))
        if marker in _SOF_MARKERS:
            if length < 8:
                raise NotAllowed(_("This JPEG image is damaged."))
            height, width = struct.unpack(">HH", data[pos + 3 : pos + 7])
            if width == 0 or height == 0:
                raise NotAllowed(_("This JPEG image has no size."))
            has_frame = True
        if marker == 0xDA:  # start of scan: entropy-coded data follows up to the end marker
            if not has_frame:
                raise NotAllowed(_("This JPEG image has no frame header."))
            if b"\xff\xd9" not in data[-64:]:
                raise NotAllowed(_("This JPEG image is cut short."))
            return
        pos += length


EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg"}


def download_name(original_name: str, content_type: str) -> str:
    """The name a download is saved under: the uploader's name without its extension, and the extension of
    the type the bytes were detected as (an HTML file with a PDF header is saved as .pdf, never .html)."""
    from pathlib import PurePosixPath

    stem = PurePosixPath(original_name.replace("\\", "/")).name.split(".")[0].strip() or "document"
    return stem[:100] + EXTENSIONS.get(content_type, ".bin")
