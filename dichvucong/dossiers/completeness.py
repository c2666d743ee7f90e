"""What a draft still lacks before it can be submitted (the review page lists it; submit refuses it)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from dichvucong.catalog.eform_data import EFormResult, validate_data
from dichvucong.catalog.models import Requirement

from .models import Delivery, Dossier


@dataclass
class Completeness:
    form: EFormResult | None
    missing_documents: list = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return not self.problems


def dossier_completeness(dossier: Dossier) -> Completeness:
    definition = getattr(dossier.version, "form_definition", None)
    form = validate_data(definition.schema, dossier.form_data) if definition else None
    result = Completeness(form=form)
    if form is not None and not form.is_valid:
        result.problems.append(_("Tờ khai còn %(count)s mục cần sửa.") % {"count": len(form.errors)})
    given = set(dossier.attachments.values_list("required_document_id", flat=True))
    for document in dossier.version.documents.all():
        if (
            document.upload_online
            and document.requirement == Requirement.REQUIRED
            and document.pk not in given
        ):
            result.missing_documents.append(document)
    if result.missing_documents:
        result.problems.append(
            _("Còn thiếu %(count)s thành phần hồ sơ bắt buộc.") % {"count": len(result.missing_documents)}
        )
    if not dossier.delivery:
        result.problems.append(_("Chưa chọn cách nhận kết quả."))
    elif dossier.delivery == Delivery.POST and not (dossier.delivery_address or {}).get("street"):
        result.problems.append(_("Chưa có địa chỉ nhận kết quả qua bưu chính."))
    return result
