import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coordination.services import referral_accept, referral_create, referral_send
from tests.factories import SuperviseeFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Attachments go to this test's own folder, never the project's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case(agencies, office, officer):
    """A probation case of the first office, decided by the district court."""
    return SuperviseeFactory(justice_office=office, officer=officer)


@pytest.fixture
def police_referral(case, officer, agencies):
    """A draft asking the police to find the person."""
    return referral_create(
        supervisee=case,
        by=officer,
        to_agency=agencies["police"],
        kind="absconder_search",
        summary="失联，请协助查找",
    )


@pytest.fixture
def sent_referral(police_referral, officer):
    return referral_send(referral=police_referral, by=officer)


@pytest.fixture
def accepted_referral(sent_referral, police):
    return referral_accept(referral=sent_referral, by=police)


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def office_zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
