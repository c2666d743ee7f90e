"""The issued results of a dossier for the officials of its agencies: the signed files attached to the
dossier, each with its verification page (/xac-thuc/<token>/)."""

from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_GET

from dichvucong.accounts.decorators import official_required
from dichvucong.documents.models import FileKind, SignedDocument
from dichvucong.documents.responses import file_download_response

from ..selectors import dossier_get_for_agency


@dataclass(frozen=True)
class ResultFile:
    attachment: object
    document: SignedDocument | None
    url: str

    @property
    def verify_url(self) -> str:
        return reverse("documents:verify", args=[self.document.token]) if self.document else ""


def result_files(dossier) -> list[ResultFile]:
    """The result files attached to the dossier, oldest first, with their signed-document records."""
    attachments = list(
        dossier.attachments.filter(stored_file__kind=FileKind.RESULT, message__isnull=True)
        .select_related("stored_file")
        .order_by("added_at", "id")
    )
    documents = {
        d.stored_file_id: d
        for d in SignedDocument.objects.filter(stored_file_id__in=[a.stored_file_id for a in attachments])
    }
    return [
        ResultFile(
            attachment=a,
            document=documents.get(a.stored_file_id),
            url=reverse("processing:result_download", args=[dossier.code, a.pk]),
        )
        for a in attachments
    ]


@official_required()
@require_GET
def result_download(request, code, attachment_id):
    """A result file of a dossier of the official's agency, inline (officials print it)."""
    dossier = dossier_get_for_agency(
        official=request.user, agency=request.active_membership.agency, code=code
    )
    if dossier is None:
        raise Http404
    # Permission: the dossier is the agency's (selector above); the file is one of its results.
    attachment = (
        dossier.attachments.filter(pk=attachment_id, stored_file__kind=FileKind.RESULT)
        .select_related("stored_file")
        .first()
    )
    if attachment is None:
        raise Http404
    return file_download_response(attachment.stored_file, inline=True)
