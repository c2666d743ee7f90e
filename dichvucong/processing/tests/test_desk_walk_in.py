"""Walk-in reception at the desk (/mot-cua/tiep-nhan-truc-tiep/): the receptionist chooses a procedure,
identifies the applicant, fills the e-form, scans the papers and submits; the dossier is received at
once, with digitised files, and the citizen sees it in "Hồ sơ của tôi". Errors keep everything typed
(scans included), and a double submit makes one dossier."""

import uuid

import pytest
from django.urls import reverse

from dichvucong.accounts.models import User
from dichvucong.accounts.tests.officials import sign_in_verified
from dichvucong.documents.models import StoredFile
from dichvucong.documents.tests.corpus import HTML, pdf_bytes, upload
from dichvucong.dossiers.models import Attachment, Channel, Delivery, Dossier
from dichvucong.dossiers.tests.drafts import BIRTH_FORM
from dichvucong.dossiers.tests.factories import default_offering
from dichvucong.dossiers.workflow import State

pytestmark = pytest.mark.django_db
START = reverse("processing:walk_in")


def form_url(offering) -> str:
    return reverse("processing:walk_in_form", args=[offering.pk])


def certificate(offering):
    return offering.procedure.current_version.documents.get(name__startswith="Giấy chứng sinh")


def eform_post(raw: dict) -> dict:
    """The e-form's answers as the browser posts them (addresses in three inputs)."""
    data = {}
    for name, value in raw.items():
        if isinstance(value, dict):
            for part, text in value.items():
                data[f"{name}__{part}"] = text
        else:
            data[name] = value
    return data


def walk_in_post(offering, personal_id, *, token=None, files=None, **extra) -> dict:
    data = {
        "token": token or uuid.uuid4().hex,
        "personal_id": personal_id,
        "channel": str(Channel.IN_PERSON),
        "delivery": Delivery.DESK,
        **eform_post(BIRTH_FORM),
    }
    if files is None:
        files = {f"tep-{certificate(offering).pk}": upload("giay-chung-sinh.pdf", pdf_bytes())}
    data.update(files)
    data.update(extra)
    return data


@pytest.fixture
def offering():
    return default_offering()


@pytest.fixture
def desk_client(client, people):
    sign_in_verified(client, people.receptionist_binh)
    return client


def test_the_receptionist_finds_the_procedures_this_desk_receives(desk_client, offering):
    response = desk_client.get(START, {"q": "khai sinh"})
    assert response.status_code == 200
    assert offering in response.context["offerings"]
    assert all(o.reception_agency_id == offering.reception_agency_id for o in response.context["offerings"])
    assert form_url(offering) in response.content.decode()
    by_code = desk_client.get(START, {"q": offering.procedure.code})
    assert offering in by_code.context["offerings"]
    province = desk_client.get(START, {"q": "khai sinh", "ca-tinh": "1"})
    assert len({o.reception_agency_id for o in province.context["offerings"]}) > 1


def test_the_form_prefills_a_known_applicant_by_personal_id(desk_client, people, offering):
    citizen = people.citizen_an
    response = desk_client.get(form_url(offering), {"dinh-danh": citizen.personal_id})
    assert response.status_code == 200 and response.context["citizen"] == citizen
    page = response.content.decode()
    assert "Người nộp đã có tài khoản" in page and citizen.full_name in page
    looked_up = desk_client.post(
        form_url(offering), {"token": uuid.uuid4().hex, "personal_id": citizen.personal_id, "_lookup": "1"}
    )
    assert looked_up.status_code == 200 and looked_up.context["citizen"] == citizen
    assert not looked_up.context["form"].errors  # finding someone is not submitting
    requester = next(
        f
        for s in looked_up.context["sections"]
        for f in s.fields
        if f.spec.get("prefill") == "profile.full_name"
    )
    assert requester.value == citizen.full_name


def test_a_walk_in_creates_a_received_dossier_the_citizen_sees_in_their_account(
    client, desk_client, people, offering
):
    citizen = people.citizen_an
    response = desk_client.post(form_url(offering), walk_in_post(offering, citizen.personal_id))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("processing:dossier", args=[dossier.code]) + "?vua-tiep-nhan=1"
    assert dossier.state == State.RECEIVED and dossier.channel == Channel.IN_PERSON
    assert dossier.applicant == citizen and dossier.reception_agency == people.reception
    assert dossier.form_data["child_full_name"] == "Nguyễn Minh Khôi"
    attachment = Attachment.objects.get(dossier=dossier, digitised=True)  # not the receipt (form 1)
    assert attachment.digitised and attachment.required_document == certificate(offering)
    assert attachment.stored_file.owner == citizen

    page = desk_client.get(response["Location"])
    text = page.content.decode()
    assert "Hồ sơ đã được tiếp nhận" in text and "giay-chung-sinh.pdf" in text and "số hóa tại quầy" in text
    assert page.context["receipt_url"] == reverse("processing:print", args=[dossier.code, "tiep-nhan"])
    assert page.context["receipt_url"] in text  # form 1, to hand over at once
    assert "Nguyễn Minh Khôi" in text  # the e-form's answers

    client.force_login(citizen)
    mine = client.get(reverse("dossiers:my_dossiers"))
    assert dossier.code in mine.content.decode()


def test_a_new_citizen_gets_an_account_and_a_postal_dossier(desk_client, offering):
    post = walk_in_post(
        offering,
        "031 190 123 456",
        full_name=" Lê  Thị Hoa ",
        birth_date="12/03/1990",
        phone="0912 000 111",
        channel=str(Channel.POSTAL),
        delivery=Delivery.POST,
        post_recipient="Lê Thị Hoa",
        post_street="Thôn Đông, xã Thượng Hồng, Hải Phòng",
    )
    response = desk_client.post(form_url(offering), post)
    assert response.status_code == 302
    citizen = User.objects.get(personal_id="031190123456")
    assert (citizen.full_name, citizen.phone, str(citizen.birth_date)) == (
        "Lê Thị Hoa",
        "+84912000111",
        "1990-03-12",
    )
    dossier = Dossier.objects.get(applicant=citizen)
    assert dossier.channel == Channel.POSTAL and dossier.delivery == Delivery.POST
    assert dossier.delivery_address["recipient"] == "Lê Thị Hoa"


def test_errors_keep_everything_typed_and_the_scans(desk_client, offering, private_media):
    token = uuid.uuid4().hex
    broken = {**eform_post(BIRTH_FORM), "child_full_name": "", "child_birth_date": "31/02/2026"}
    post = walk_in_post(offering, "031190123457", token=token, phone="0912 000 222", **broken)
    response = desk_client.post(form_url(offering), post)
    assert response.status_code == 400
    assert not Dossier.objects.exists() and not User.objects.filter(personal_id="031190123457").exists()
    assert "chưa có tài khoản" in response.context["form"].errors["full_name"][0]
    assert response.context["error_count"] >= 2
    page = response.content.decode()
    assert 'value="031190123457"' in page and 'value="0912 000 222"' in page
    assert 'value="Bệnh viện Phụ sản Hải Phòng"' in page  # another e-form answer, kept
    kept = response.context["documents"][
        [d["document"] for d in response.context["documents"]].index(certificate(offering))
    ]["kept"]
    assert [f.original_name for f in kept] == ["giay-chung-sinh.pdf"] and kept[0].owner is None
    assert "giay-chung-sinh.pdf" in page and "Bỏ tệp này" in page

    # Fixed, and sent again without choosing the scan again: it is the kept one that is attached.
    fixed = walk_in_post(offering, "031190123457", token=token, files={}, full_name="Lê Thị Hoa")
    response = desk_client.post(form_url(offering), fixed)
    assert response.status_code == 302
    attachment = Attachment.objects.get(digitised=True)
    assert attachment.stored_file.original_name == "giay-chung-sinh.pdf" and attachment.digitised
    assert not StoredFile.objects.filter(pk=kept[0].pk).exists()  # the kept copy is gone


def test_a_refused_scan_is_reported_next_to_its_document(desk_client, people, offering):
    files = {f"tep-{certificate(offering).pk}": upload("giay-chung-sinh.pdf", HTML)}
    post = walk_in_post(offering, people.citizen_an.personal_id, files=files)
    response = desk_client.post(form_url(offering), post)
    assert response.status_code == 400 and not Dossier.objects.exists()
    item = next(d for d in response.context["documents"] if d["document"] == certificate(offering))
    assert len(item["errors"]) == 1 and "giay-chung-sinh" in item["errors"][0]
    assert item["errors"][0] in response.content.decode()


def test_a_double_submit_makes_one_dossier(desk_client, people, offering):
    token = uuid.uuid4().hex
    first = desk_client.post(
        form_url(offering), walk_in_post(offering, people.citizen_an.personal_id, token=token)
    )
    second = desk_client.post(
        form_url(offering), walk_in_post(offering, people.citizen_an.personal_id, token=token)
    )
    dossier = Dossier.objects.get()
    assert first["Location"].startswith(reverse("processing:dossier", args=[dossier.code]))
    assert second.status_code == 302 and second["Location"] == reverse(
        "processing:dossier", args=[dossier.code]
    )
    # Another page (a new token) is another dossier: twins are registered one after the other.
    desk_client.post(form_url(offering), walk_in_post(offering, people.citizen_an.personal_id))
    assert Dossier.objects.count() == 2


def test_only_receptionists_receive_at_the_desk(client, people, offering):
    sign_in_verified(client, people.specialist_chi)
    assert client.get(START).status_code == 403
    post = walk_in_post(offering, people.citizen_an.personal_id)
    assert client.post(form_url(offering), post).status_code == 403
    assert not Dossier.objects.exists()


def test_a_procedure_of_another_province_is_not_offered(desk_client, offering):
    from dichvucong.catalog.models import Offering

    elsewhere = Offering.objects.exclude(province_id=offering.province_id).filter(is_active=True).first()
    assert desk_client.get(form_url(elsewhere)).status_code == 404


def test_the_field_check_answers_for_one_field_without_saving(desk_client, offering):
    url = reverse("processing:walk_in_check", args=[offering.pk])
    bad = desk_client.post(
        url, {**eform_post(BIRTH_FORM), "child_birth_date": "99/99/2026", "_field": "child_birth_date"}
    )
    assert "dd/mm/yyyy" in bad.content.decode()
    good = desk_client.post(url, {**eform_post(BIRTH_FORM), "_field": "child_birth_date"})
    assert good.content.decode().strip() == ""
    assert not Dossier.objects.exists()
