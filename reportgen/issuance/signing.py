"""Signing an issued report: PAdES with the signer's key, then the office's, images per Phụ lục I.

:func:`sign_pdf` is the one entry point.  In order, before any key is opened:
the images are checked and the signature block is found in the PDF (so a
wrong image costs no PIN attempt).  Then the signer's key signs (a visible
signature, the handwritten image centred between title and name) and, when
[sign.office] is configured, the office's key signs the result (the seal over
the left third of the signature): Decree 30, Art. 32.2.d has the office sign
only what already carries the signer's signature.  Each signature is PAdES
(ETSI.CAdES.detached, SHA-256): B-T when a timestamp server is configured for
that key, else B-B.

The signed file is written next to ``target`` under a temporary name and
renamed over it only when every signature is made (:mod:`reportgen.core.files`):
a wrong PIN for the office leaves no half-signed file anywhere.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, InnerScaling, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko.stamp import StaticStampStyle

from reportgen.core.files import atomic_path
from reportgen.issuance.images import StampImage, colour_notes, load_stamp_image
from reportgen.issuance.keys import issuer_name, open_key, subject_name
from reportgen.issuance.placement import Box, SignerLines, find_signature_space, seal_box, signature_box
from reportgen.issuance.signing_errors import SigningError
from reportgen.issuance.signing_setup import OFFICE, SIGNER, KeySpec, Secrets, SignSettings

FIELD_NAMES = {SIGNER: "ChuKyNguoiKy", OFFICE: "ChuKyCoQuan"}
"""Signature field names (ASCII: some readers show non-ASCII field names badly)."""
TSA_TIMEOUT = 20
"""Seconds to wait for the timestamp server."""


@dataclass(frozen=True)
class SignatureMade:
    role: str
    """SIGNER or OFFICE."""
    field: str
    signer: str
    """The certificate holder's name."""
    issuer: str
    not_after: datetime
    level: str
    """"PAdES B-B" or "PAdES B-T"."""
    page: int
    """1-based page of the visible signature."""
    box: tuple[int, int, int, int]
    """The image's rectangle in PDF points (x0, y0, x1, y1)."""


@dataclass(frozen=True)
class SignedInfo:
    path: Path
    signatures: tuple[SignatureMade, ...]
    sha256: str
    """Of the signed file (the unsigned one's is the caller's)."""
    notes: tuple[str, ...] = ()
    """Things to tell the user that did not stop the signing (an image not in the prescribed colour)."""


def sign_pdf(
    source: Path | str,
    target: Path | str,
    settings: SignSettings,
    secrets: Secrets,
    lines: SignerLines,
    *,
    now: datetime | None = None,
) -> SignedInfo:
    """Sign ``source`` (an unsigned issued report) into ``target``; ``target`` is untouched on any failure.

    ``lines`` are the signature block's title lines and name, where the signer's image goes.
    ``now`` is the moment the certificates must be valid at (default: the clock).
    """
    source, target = Path(source), Path(target)
    keys = settings.keys()
    images = {spec.role: load_stamp_image(spec, settings.source) for spec in keys}
    notes = [note for spec in keys for note in colour_notes(images[spec.role], spec.role)]
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise SigningError(f"Không đọc được tệp cần ký “{source}”: {exc.strerror or exc}.") from None
    _refuse_signed(data, source.name)
    space = find_signature_space(data, lines, source.name)
    boxes = {SIGNER: signature_box(space, images[SIGNER])}
    if settings.office is not None:
        boxes[OFFICE] = seal_box(boxes[SIGNER], images[OFFICE])
    made = []
    with atomic_path(target) as temporary:
        for spec in keys:
            with open_key(spec, secrets.of(spec.role), settings.source, now) as signer:
                data = _sign_once(data, signer, spec, space.page, boxes[spec.role], images[spec.role], source.name)
                cert = signer.signing_cert
                made.append(
                    SignatureMade(
                        spec.role,
                        FIELD_NAMES[spec.role],
                        subject_name(cert),
                        issuer_name(cert),
                        # never None: open_key has checked this certificate's dates already
                        cert["tbs_certificate"]["validity"]["not_after"].native,  # type: ignore[index]
                        "PAdES B-T" if spec.tsa_url else "PAdES B-B",
                        space.page + 1,
                        boxes[spec.role].rounded(),
                    )
                )
        temporary.write_bytes(data)
    return SignedInfo(target, tuple(made), hashlib.sha256(data).hexdigest(), tuple(notes))


def _sign_once(
    data: bytes, signer: signers.Signer, spec: KeySpec, page: int, box: Box, image: StampImage, shown: str
) -> bytes:
    """One incremental update adding one visible PAdES signature."""
    field = FIELD_NAMES[spec.role]
    metadata = signers.PdfSignatureMetadata(
        field_name=field, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    layout = SimpleBoxLayoutRule(
        x_align=AxisAlignment.ALIGN_MID,
        y_align=AxisAlignment.ALIGN_MID,
        margins=Margins(0, 0, 0, 0),
        inner_content_scaling=InnerScaling.STRETCH_TO_FIT,
    )
    style = StaticStampStyle(
        background=PdfImage(image.image), background_layout=layout, background_opacity=1.0, border_width=0
    )
    timestamper = HTTPTimeStamper(spec.tsa_url, timeout=TSA_TIMEOUT) if spec.tsa_url else None
    pdf_signer = signers.PdfSigner(
        metadata,
        signer=signer,
        timestamper=timestamper,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(field, on_page=page, box=box.rounded()),
    )
    output = BytesIO()
    try:
        writer = IncrementalPdfFileWriter(BytesIO(data))
        pdf_signer.sign_pdf(writer, output=output)
    except TimestampRequestError as exc:
        raise SigningError(
            f"Không lấy được dấu thời gian từ máy chủ “{spec.tsa_url}” ({_reason(exc)}). Kiểm tra kết "
            f"nối mạng và khóa tsa_url trong mục [{spec.section}], rồi ký lại; chưa có gì được ký."
        ) from None
    except PdfReadError as exc:
        raise SigningError(f"Tệp “{shown}” không đọc được như tệp PDF ({exc}); lập lại báo cáo rồi ký.") from None
    return output.getvalue()


def _refuse_signed(data: bytes, shown: str) -> None:
    """Only an unsigned document is signed: signing again would add a second set over the first."""
    try:
        signed = bool(PdfFileReader(BytesIO(data), strict=False).embedded_signatures)
    except (PdfReadError, ValueError) as exc:
        raise SigningError(f"Tệp “{shown}” không đọc được như tệp PDF ({exc}); lập lại báo cáo rồi ký.") from None
    if signed:
        raise SigningError(f"Tệp “{shown}” đã có chữ ký số: chỉ ký bản chưa ký (bản báo cáo lập ra trước khi ký).")


def _reason(exc: BaseException) -> str:
    """The innermost cause, as short as the library states it (a refused connection, a timeout, a bad reply)."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    return str(exc) or type(exc).__name__
