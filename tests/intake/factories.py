"""Treatment applications in every state, made through the services so the invariants hold."""

from __future__ import annotations

import datetime as dt
import struct
import uuid
import zlib

from exoclinic.intake import services
from exoclinic.intake.models import TreatmentApplication


def answers(**overrides) -> dict:
    """A complete application with no flag that needs attention."""
    data = {
        "for_self": True,
        "first_name": "Marta",
        "last_name": "Vidal",
        "date_of_birth": dt.date(1985, 3, 4),
        "sex": "female",
        "email": "marta@example.org",
        "phone": "+34 600 111 222",
        "preferred_contact_method": "email",
        "preferred_language": "en",
        "time_zone": "Europe/Madrid",
        "condition": "sci",
        "date_of_injury": dt.date(2019, 6, 1),
        "neurological_level": "T6",
        "ais_grade": "B",
        "injury_cause": "Fall",
        "self_ratings": {
            "movement": 3,
            "muscle_relaxation": 6,
            "bowel_bladder": 4,
            "sensation": 3,
            "pain": 5,
            "rest_strength": 6,
        },
        "active_infection": "no",
        "pregnant": "no",
        "active_cancer": "no",
        "bleeding_disorder": "no",
        "takes_anticoagulants": "no",
        "takes_anti_inflammatories": "no",
        "takes_immunosuppressants": "no",
        "earlier_cell_treatment": "no",
        "goals": ["walking", "bladder_bowel"],
        "goals_own_words": "Stand up to cook.",
        "expectations": "To know what is possible.",
        "consent_contact": True,
        "privacy_acknowledged": True,
        "research_consent": True,
    }
    data.update(overrides)
    return data


def submitted(clinic, **overrides) -> TreatmentApplication:
    application, _ = services.application_submit_complete(
        clinic=clinic, data=answers(**overrides), idempotency_key=uuid.uuid4().hex
    )
    return application


def in_review(clinic, reviewer, **overrides) -> TreatmentApplication:
    return services.application_start_review(actor=reviewer, application=submitted(clinic, **overrides))


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x80" * width for _ in range(height)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 2, 2, 1) + b"\x01\x11\x00"
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00\x00\x3f\x00"
    return (
        b"\xff\xd8"
        + b"\xff\xe0"
        + struct.pack(">H", 16)
        + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + sof
        + sos
        + b"\x12\x34"
        + b"\xff\xd9"
    )


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
