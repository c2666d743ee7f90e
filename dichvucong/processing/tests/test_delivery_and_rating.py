"""Returning the result online, by post or at the desk; then the applicant's rating."""

import pytest
from django.core.exceptions import PermissionDenied

from dichvucong.documents.models import FileKind
from dichvucong.documents.services import stored_file_create_from_bytes
from dichvucong.documents.tests.corpus import pdf_bytes
from dichvucong.dossiers.models import Channel, Delivery, Dossier, Rating, RatingValue
from dichvucong.dossiers.selectors import dossier_attachments
from dichvucong.dossiers.services.rating import dossier_rate
from dichvucong.dossiers.services.transitions import transition_error_message
from dichvucong.dossiers.workflow import GuardFailed, InvalidTransition, State
from dichvucong.notifications.models import Outbox
from dichvucong.processing.models import DossierStep, ResultDelivery
from dichvucong.processing.services.delivery import (
    dossier_result_attach,
    dossier_return_online_by_system,
    dossier_return_result,
)

from .helpers import dossier_in

pytestmark = pytest.mark.django_db


def ret(people, dossier, **kwargs):
    return dossier_return_result(
        dossier_id=dossier.pk, official=people.receptionist_binh, agency=people.reception, **kwargs
    )


def result_file(people, dossier):
    stored = stored_file_create_from_bytes(
        owner=None, content=pdf_bytes(), filename="giay-khai-sinh.pdf", kind=FileKind.RESULT
    )
    return dossier_result_attach(
        dossier_id=dossier.pk, official=people.specialist_chi, agency=people.competent, stored_file=stored
    )


def test_online_the_signed_result_reaches_the_dossier_and_the_wallet(people):
    dossier = dossier_in(people, State.RESULT_READY)
    Dossier.objects.filter(pk=dossier.pk).update(delivery=Delivery.ONLINE)
    with pytest.raises(GuardFailed) as refused:
        dossier_return_online_by_system(dossier_id=dossier.pk)
    assert "Chưa có tệp kết quả" in transition_error_message(refused.value)
    attachment = result_file(people, dossier)
    assert attachment in dossier_attachments(dossier)  # on the citizen's dossier page
    delivery = dossier_return_online_by_system(dossier_id=dossier.pk)
    dossier.refresh_from_db()
    attachment.stored_file.refresh_from_db()
    assert dossier.state == State.RETURNED and dossier.returned_at
    assert delivery.method == "online" and delivery.sent_at and delivery.recorded_by is None
    assert attachment.stored_file.owner == people.citizen_an and attachment.stored_file.in_wallet
    assert dossier.events.get(action="return_result").actor_role == "system"
    assert Outbox.objects.filter(event="rating_invited", recipient=people.citizen_an).exists()


def test_by_post_the_tracking_number_is_recorded_and_the_dossier_counts_as_sent(people):
    dossier = dossier_in(people, State.RESULT_READY)
    with pytest.raises(GuardFailed) as refused:
        ret(people, dossier, method="post")
    assert transition_error_message(refused.value) == "Hãy nhập mã bưu gửi."
    delivery = ret(people, dossier, method="post", tracking_number=" EA123456789VN ")
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED
    assert (delivery.tracking_number, delivery.handed_over_at) == ("EA123456789VN", None) and delivery.sent_at
    rows = list(DossierStep.objects.filter(dossier=dossier).order_by("received_at", "id"))
    assert (
        rows[-1].kind == "return"
        and rows[-1].finished_at
        and not DossierStep.objects.filter(
            dossier=dossier, received_at__isnull=False, finished_at__isnull=True
        ).exists()
    )


def test_at_the_desk_originals_are_collected_when_the_procedure_requires_them(people):
    dossier = dossier_in(people, State.RESULT_READY)  # filed online; the birth certificate is an original
    with pytest.raises(GuardFailed) as refused:
        ret(people, dossier, method="desk", handed_to="Nguyễn Văn An")
    assert "bản chính" in transition_error_message(refused.value)
    with pytest.raises(GuardFailed):
        ret(people, dossier, method="desk", originals_collected=True)  # to whom?
    delivery = ret(people, dossier, method="desk", handed_to="Nguyễn Văn An", originals_collected=True)
    assert (
        delivery.handed_over_at
        and delivery.originals_collected
        and delivery.recorded_by == people.receptionist_binh
    )


def test_a_dossier_filed_at_the_desk_needs_no_originals_at_return(people):
    dossier = dossier_in(people, State.RESULT_READY)
    Dossier.objects.filter(pk=dossier.pk).update(channel=Channel.IN_PERSON)
    assert ret(people, dossier, method="desk", handed_to="Nguyễn Văn An").method == "desk"


def test_a_result_is_returned_once(people):
    dossier = dossier_in(people, State.RETURNED)
    with pytest.raises(InvalidTransition):
        ret(people, dossier, method="post", tracking_number="EA1")
    assert ResultDelivery.objects.filter(dossier=dossier).count() == 1


def test_the_applicant_rates_a_returned_dossier_once(people, citizen_binh=None):
    dossier = dossier_in(people, State.RESULT_READY)
    with pytest.raises(InvalidTransition):  # not returned yet
        dossier_rate(dossier_id=dossier.pk, user=people.citizen_an, value=RatingValue.SATISFIED)
    dossier = dossier_in(people, State.RETURNED)
    with pytest.raises(PermissionDenied):
        dossier_rate(dossier_id=dossier.pk, user=people.receptionist_binh, value=RatingValue.SATISFIED)
    with pytest.raises(GuardFailed):
        dossier_rate(dossier_id=dossier.pk, user=people.citizen_an, value="excellent")
    rating = dossier_rate(
        dossier_id=dossier.pk,
        user=people.citizen_an,
        value=RatingValue.VERY_SATISFIED,
        comment=" Cán bộ nhiệt tình. ",
    )
    assert (rating.value, rating.comment) == ("very_satisfied", "Cán bộ nhiệt tình.")
    assert rating.get_value_display() == "Rất hài lòng"
    with pytest.raises(GuardFailed) as refused:
        dossier_rate(dossier_id=dossier.pk, user=people.citizen_an, value=RatingValue.DISSATISFIED)
    assert transition_error_message(refused.value) == "Bạn đã đánh giá hồ sơ này."
    assert Rating.objects.filter(dossier=dossier).count() == 1
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED
