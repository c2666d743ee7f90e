"""Walk-in and postal reception: the receptionist creates the dossier at the desk for an existing or new
citizen, attaches the scanned papers (digitised), and the citizen later sees it in their account."""

import pytest

from dichvucong.accounts.models import User
from dichvucong.accounts.tests.factories import make_citizen
from dichvucong.documents.models import StoredFile
from dichvucong.documents.tests.corpus import HTML, pdf_bytes, upload
from dichvucong.dossiers.models import Attachment, Channel, Dossier
from dichvucong.dossiers.selectors import dossier_list_for_applicant
from dichvucong.dossiers.tests.factories import default_offering
from dichvucong.dossiers.workflow import State
from dichvucong.notifications.models import Outbox
from dichvucong.processing.models import DossierStep
from dichvucong.processing.permissions import NotPermitted
from dichvucong.processing.services.reception import (
    WalkInApplicant,
    WalkInError,
    WalkInFile,
    walk_in_dossier_create,
)

pytestmark = pytest.mark.django_db


def certificate_id(offering):
    return offering.procedure.current_version.documents.get(name__startswith="Giấy chứng sinh").pk


def walk_in(people, applicant, *, official=None, agency=None, files=None, **kwargs):
    offering = default_offering()
    return walk_in_dossier_create(
        official=official or people.receptionist_binh,
        agency=agency or people.reception,
        offering=offering,
        applicant=applicant,
        files=files
        if files is not None
        else [WalkInFile(upload("giay-chung-sinh.pdf", pdf_bytes()), certificate_id(offering))],
        **kwargs,
    )


def test_a_dossier_for_a_citizen_with_an_account_is_received_at_once_and_seen_in_their_account(people):
    citizen = people.citizen_an
    dossier = walk_in(people, WalkInApplicant(personal_id=citizen.personal_id))
    assert dossier.applicant == citizen
    assert dossier.state == State.RECEIVED and dossier.channel == Channel.IN_PERSON
    assert dossier.code and dossier.submitted_at and dossier.received_at and dossier.due_date
    assert dossier.reception_agency == people.reception
    assert [e.action for e in dossier.events.order_by("id")] == ["submit_at_desk", "receive"]
    attachment = Attachment.objects.get(dossier=dossier)
    assert attachment.digitised and attachment.added_by == people.receptionist_binh
    assert attachment.stored_file.owner == citizen and attachment.stored_file.in_wallet
    assert DossierStep.objects.filter(dossier=dossier).count() == 5
    assert list(dossier_list_for_applicant(citizen)) == [dossier]
    assert Outbox.objects.filter(event="dossier_received", recipient=citizen).exists()


def test_a_citizen_without_an_account_gets_one_found_later_by_their_personal_id(people):
    dossier = walk_in(
        people,
        WalkInApplicant(personal_id="031 190 123 456", full_name="  Lê Thị Hoa ", phone="0912 000 111"),
        channel=Channel.POSTAL,
    )
    citizen = User.objects.get(personal_id="031190123456")
    assert (citizen.full_name, citizen.phone, citizen.gender) == ("Lê Thị Hoa", "+84912000111", "female")
    assert not citizen.has_usable_password()
    assert dossier.applicant == citizen and dossier.channel == Channel.POSTAL
    assert list(dossier_list_for_applicant(citizen)) == [dossier]


def test_bad_input_is_refused_with_reasons_and_nothing_is_kept(people, private_media):
    files_before = StoredFile.objects.count()
    with pytest.raises(WalkInError) as refused:
        walk_in(people, WalkInApplicant(personal_id="12345"))
    assert "12 chữ số" in refused.value.messages[0]
    with pytest.raises(WalkInError) as refused:
        walk_in(people, WalkInApplicant(personal_id="031190123457"))  # new citizen without a name
    assert "họ và tên" in refused.value.messages[0]
    with pytest.raises(WalkInError) as refused:
        walk_in(
            people,
            WalkInApplicant(personal_id=people.citizen_an.personal_id),
            files=[
                WalkInFile(upload("a.pdf", pdf_bytes())),
                WalkInFile(upload("giay-chung-sinh.pdf", HTML), certificate_id(default_offering())),
            ],
        )
    assert "PDF" in refused.value.messages[0]
    assert not Dossier.objects.exists()
    assert StoredFile.objects.count() == files_before
    assert not User.objects.filter(personal_id="031190123457").exists()


def test_only_a_receptionist_of_a_centre_of_the_province_may_create_one(people):
    citizen = make_citizen(full_name="Đặng Văn Khoa")
    with pytest.raises(NotPermitted):
        walk_in(
            people,
            WalkInApplicant(personal_id=citizen.personal_id),
            official=people.specialist_chi,
            agency=people.competent,
        )
    with pytest.raises(NotPermitted):  # a role elsewhere does not count here
        walk_in(people, WalkInApplicant(personal_id=citizen.personal_id), official=people.official_giang)
    # Decree 118/2025: another centre of the same province receives it, and the dossier says so.
    dossier = walk_in(
        people,
        WalkInApplicant(personal_id=citizen.personal_id),
        official=people.official_giang,
        agency=people.other,
    )
    assert dossier.reception_agency == people.other and dossier.competent_agency == people.competent
