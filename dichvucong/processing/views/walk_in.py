"""Walk-in and postal reception (/mot-cua/tiep-nhan-truc-tiep/): the receptionist chooses a procedure this
desk receives, identifies the applicant by personal ID, fills the e-form with them, scans the papers and
submits; processing.services.reception.walk_in_dossier_create makes the dossier submitted and received
in one go (digitised files, receipt, the citizen sees it in "Hồ sơ của tôi").

Nothing typed is lost on an error: the page is drawn again with every value, and scanned files that
passed the checks are kept aside (stored without an owner, listed in the session under the page's
token) so they need not be scanned again; abandoned ones are removed by the orphan sweep.
A double submit makes one dossier: the page's token is claimed in the cache (shared between workers in
production, see docs/operations.md) before the service runs, and maps to the dossier's code after.
"""

import contextlib
import time
import uuid

from django.contrib import messages
from django.core.cache import cache
from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dichvucong.accounts.decorators import official_required
from dichvucong.accounts.models import StaffRole, User
from dichvucong.catalog.eform_data import initial_raw, raw_from_post, validate_data
from dichvucong.catalog.models import Offering
from dichvucong.core.identifiers import IdentifierError, personal_id_clean
from dichvucong.core.text import fold_tokens
from dichvucong.documents.filetypes import DEFAULT_ACCEPTED_TYPES, max_file_bytes
from dichvucong.documents.models import StoredFile
from dichvucong.documents.services import stored_file_create, stored_file_delete_unreferenced
from dichvucong.documents.storage import private_storage
from dichvucong.documents.validation import UploadRejected, check_upload
from dichvucong.dossiers.eform_render import bind_form, group_add_item, group_remove_item, provinces
from dichvucong.dossiers.models import Channel, Delivery
from dichvucong.dossiers.services.drafts import delivery_options

from ..forms_desk import WalkInForm
from ..permissions import NotPermitted
from ..services.notices import dossier_receipt_notice_issue
from ..services.reception import WalkInApplicant, WalkInError, WalkInFile, walk_in_dossier_create

receptionist_required = official_required(StaffRole.RECEPTIONIST)
OFFERINGS_SHOWN = 30
PARAM_QUERY, PARAM_PROVINCE = "q", "ca-tinh"
OTHER = "khac"  # the upload field of papers that are none of the catalogue's documents
PENDING_SESSION_KEY = "processing_walk_in_pending"
PENDING_TOKENS_KEPT = 5
DONE_SECONDS = 24 * 3600
CLAIM_SECONDS = 120
CLAIMED = "…"
WAIT_FOR_FIRST_SECONDS = 10


# --- Choosing the procedure -------------------------------------------------------------------------------


def _desk_offerings(agency, *, whole_province: bool = False):
    """Offerings this desk may receive: its own (reception_agency, offering_reception_idx), or any of the
    province (Decree 118/2025) when asked; published procedures only."""
    offerings = Offering.objects.filter(
        is_active=True, procedure__is_active=True, procedure__current_version__isnull=False
    )
    scope = {"province_id": agency.province_id} if whole_province else {"reception_agency": agency}
    return offerings.filter(**scope).select_related("procedure", "agency", "reception_agency", "unit")


def _offering_for_desk(agency, offering_id: int) -> Offering:
    offering = _desk_offerings(agency, whole_province=True).filter(pk=offering_id).first()
    if offering is None:
        raise Http404
    return offering


@never_cache
@receptionist_required
@require_GET
def walk_in_start(request):
    """Step 1: the procedure, searched by name or code among what this desk receives."""
    agency = request.active_membership.agency
    query = (request.GET.get(PARAM_QUERY) or "").strip()[:100]
    whole_province = request.GET.get(PARAM_PROVINCE) == "1"
    offerings = _desk_offerings(agency, whole_province=whole_province)
    if query:
        tokens = fold_tokens(query)
        code = query.replace(" ", "")
        by_name = offerings
        for token in tokens:
            by_name = by_name.filter(procedure__name_folded__contains=token)
        offerings = offerings.filter(procedure__code__startswith=code) | by_name if tokens else by_name
    elif whole_province:
        offerings = offerings.none()  # the province's list is long: search it
    results = list(offerings.order_by("procedure__code", "unit__name_folded", "id")[: OFFERINGS_SHOWN + 1])
    return render(
        request,
        "processing/walk_in/start.html",
        {
            "agency": agency,
            "query": query,
            "whole_province": whole_province,
            "offerings": results[:OFFERINGS_SHOWN],
            "more": len(results) > OFFERINGS_SHOWN,
        },
    )


# --- The reception form -----------------------------------------------------------------------------------


def _schema(offering):
    definition = getattr(offering.procedure.current_version, "form_definition", None)
    return definition.schema if definition else None


def _channels(offering) -> list[int]:
    channels = [
        c for c, on in ((Channel.IN_PERSON, offering.in_person), (Channel.POSTAL, offering.postal)) if on
    ]
    return channels or [Channel.IN_PERSON]


def _deliveries(offering) -> list[str]:
    options = delivery_options(offering)
    return options if Delivery.DESK in options else [Delivery.DESK, *options]


def _citizen_by_personal_id(value: str) -> User | None:
    """The account holding this personal ID (the receptionist has the ID card in hand), or None."""
    try:
        number = personal_id_clean(value or "")
    except IdentifierError:
        return None
    return User.objects.filter(personal_id=number).first()


def _prefill(schema, raw: dict, person: User) -> dict:
    """Fill the e-form's empty answers that the applicant's profile knows (what the citizen wizard
    prefills); what was typed stays."""
    known = initial_raw(schema, person)
    return {
        name: known.get(name) if value in ("", None) and known.get(name) not in ("", None) else value
        for name, value in raw.items()
    }


def _pending_ids(request, token: str) -> list[list]:
    return list(request.session.get(PENDING_SESSION_KEY, {}).get(token, []))


def _pending_save(request, token: str, entries: list[list]) -> None:
    kept = dict(request.session.get(PENDING_SESSION_KEY, {}))
    kept.pop(token, None)
    if entries:
        kept[token] = entries
    request.session[PENDING_SESSION_KEY] = dict(list(kept.items())[-PENDING_TOKENS_KEPT:])


def _pending_files(request, token: str) -> list[tuple[StoredFile, int | None]]:
    """The files kept aside for this page (ids from the session only, never from the form)."""
    entries = _pending_ids(request, token)
    files = StoredFile.objects.in_bulk([file_id for file_id, _doc in entries])
    return [(files[file_id], doc) for file_id, doc in entries if file_id in files]


class Uploads:
    """The scans of one post: new files checked per document (errors next to it), and kept ones."""

    def __init__(self, request, documents, token: str):
        self.request, self.token = request, token
        self.documents = {str(d.pk): d for d in documents}
        self.errors: dict[str, list[str]] = {}
        self.new: list[tuple[object, int | None]] = []
        removed = set(request.POST.getlist("bo-tep"))
        self.kept = []
        for stored, doc in _pending_files(request, token):
            if str(stored.pk) in removed:
                stored_file_delete_unreferenced(stored)
            else:
                self.kept.append((stored, doc))
        for key in [*self.documents, OTHER]:
            document = self.documents.get(key)
            for upload in request.FILES.getlist(f"tep-{key}"):
                try:
                    check_upload(
                        upload,
                        accepted_types=(document.accepted_types if document else None)
                        or DEFAULT_ACCEPTED_TYPES,
                        max_bytes=max_file_bytes(),
                    )
                except UploadRejected as rejected:
                    self.errors.setdefault(key, []).append(rejected.message)
                    continue
                self.new.append((upload, document.pk if document else None))

    def keep_aside(self) -> None:
        """Store the new files without an owner and remember them for the page drawn again."""
        for upload, doc in self.new:
            document = self.documents.get(str(doc)) if doc else None
            upload.seek(0)
            try:
                stored = stored_file_create(
                    owner=None,
                    uploaded_file=upload,
                    accepted_types=document.accepted_types if document else None,
                )
            except UploadRejected as rejected:
                self.errors.setdefault(str(doc) if doc else OTHER, []).append(rejected.message)
                continue
            self.kept.append((stored, doc))
        self.new = []
        _pending_save(self.request, self.token, [[stored.pk, doc] for stored, doc in self.kept])

    @contextlib.contextmanager
    def walk_in_files(self):
        """Every scan as the service takes it: new uploads as they came, kept ones opened from storage."""
        with contextlib.ExitStack() as stack:
            files = [WalkInFile(upload, doc) for upload, doc in self.new]
            for stored, doc in self.kept:
                handle = stack.enter_context(private_storage().open(stored.storage_name, "rb"))
                files.append(WalkInFile(File(handle, name=stored.original_name), doc))
            for item in files:
                item.uploaded_file.seek(0)
            yield files

    def discard_kept(self) -> None:
        for stored, _doc in self.kept:
            stored_file_delete_unreferenced(stored)
        _pending_save(self.request, self.token, [])

    def by_document(self, key: str) -> list[StoredFile]:
        return [stored for stored, doc in self.kept if (str(doc) if doc else OTHER) == key]


def _done_key(request, token: str) -> str:
    return f"processing:walk-in:{request.user.pk}:{token}"


def _already_done(request, token: str):
    """The response for a token whose dossier exists (or appears within a few seconds), else None."""
    deadline = time.monotonic() + WAIT_FOR_FIRST_SECONDS
    code = cache.get(_done_key(request, token))
    while code == CLAIMED and time.monotonic() < deadline:  # the first click is being processed
        time.sleep(0.2)
        code = cache.get(_done_key(request, token))
    if code and code != CLAIMED:
        messages.info(request, _("Hồ sơ %(code)s đã được tiếp nhận từ lần bấm trước.") % {"code": code})
        return redirect("processing:dossier", code=code)
    return None


def _form_context(request, offering, form, *, raw, errors, uploads, citizen, looked_up, problems=()):
    schema = _schema(offering)
    documents = list(offering.procedure.current_version.documents.all())
    return {
        "agency": request.active_membership.agency,
        "offering": offering,
        "version": offering.procedure.current_version,
        "form": form,
        "citizen": citizen,
        "looked_up": looked_up,
        "sections": bind_form(schema, raw, errors) if schema else [],
        "form_title": offering.procedure.current_version.form_definition.title if schema else "",
        "provinces": provinces() if schema else [],
        "error_count": len(errors),
        "check_url": reverse("processing:walk_in_check", kwargs={"offering_id": offering.pk}),
        "documents": [
            {
                "document": document,
                "key": str(document.pk),
                "kept": uploads.by_document(str(document.pk)) if uploads else [],
                "errors": uploads.errors.get(str(document.pk), []) if uploads else [],
            }
            for document in documents
        ],
        "other": {
            "key": OTHER,
            "kept": uploads.by_document(OTHER) if uploads else [],
            "errors": uploads.errors.get(OTHER, []) if uploads else [],
        },
        "problems": list(problems),
    }


@never_cache
@receptionist_required
@require_http_methods(["GET", "POST"])
def walk_in_form(request, offering_id):
    """Step 2: applicant, channel, delivery, e-form and scans; submit creates the received dossier."""
    agency = request.active_membership.agency
    offering = _offering_for_desk(agency, offering_id)
    schema = _schema(offering)
    options = {"delivery_options": _deliveries(offering), "channels": _channels(offering)}
    if request.method == "GET":
        form = WalkInForm(initial={"personal_id": request.GET.get("dinh-danh", "")[:20]}, **options)
        citizen = _citizen_by_personal_id(form.initial["personal_id"])
        raw = initial_raw(schema, citizen) if schema else {}
        context = _form_context(
            request,
            offering,
            form,
            raw=raw,
            errors={},
            uploads=None,
            citizen=citizen,
            looked_up=bool(citizen),
        )
        return render(request, "processing/walk_in/form.html", context)

    token = request.POST.get("token", "")
    token = token if _is_token(token) else uuid.uuid4().hex
    done = _already_done(request, token)
    if done is not None:
        return done
    form = WalkInForm(request.POST, **options)
    valid = form.is_valid()
    citizen = _citizen_by_personal_id(request.POST.get("personal_id", ""))
    raw = raw_from_post(schema, request.POST) if schema else {}
    documents = offering.procedure.current_version.documents.all()
    uploads = Uploads(request, documents, token)
    looked_up = "_lookup" in request.POST
    editing = looked_up or request.POST.get("_add") or request.POST.get("_remove")
    if schema and request.POST.get("_add"):
        raw = group_add_item(schema, raw, request.POST["_add"])
    elif schema and request.POST.get("_remove"):
        raw = group_remove_item(schema, raw, request.POST["_remove"])
    if looked_up and schema:
        person = citizen or _typed_person(form)
        raw = _prefill(schema, raw, person) if person else raw
    errors = {} if editing or not schema else validate_data(schema, raw).errors
    data = form.cleaned_data
    if not editing and citizen is None and data.get("personal_id") and not data.get("full_name"):
        if "full_name" not in form.errors:
            form.add_error("full_name", _("Người nộp chưa có tài khoản: hãy nhập họ và tên theo căn cước."))
        valid = False

    if editing or not valid or errors or uploads.errors:
        uploads.keep_aside()
        lookup_error = ""
        if editing:
            # Finding the applicant or adding a group item is not submitting: no "required" errors yet.
            lookup_error = form.errors.get("personal_id", [""])[0] if looked_up else ""
            form = WalkInForm(initial=request.POST.dict(), **options)
        else:
            count = len(errors) + len(form.errors) + len(uploads.errors)
            messages.error(
                request, _("Còn %(count)s mục cần sửa; các mục đã nhập được giữ nguyên.") % {"count": count}
            )
        context = _form_context(
            request,
            offering,
            form,
            raw=raw,
            errors=errors,
            uploads=uploads,
            citizen=citizen,
            looked_up=looked_up,
        )
        context["lookup_error"] = lookup_error
        return render(request, "processing/walk_in/form.html", context, status=200 if editing else 400)
    return _create(request, offering, form, raw=raw, uploads=uploads, citizen=citizen, token=token)


def _is_token(value: str) -> bool:
    try:
        return uuid.UUID(value).hex == value
    except ValueError:
        return False


def _typed_person(form) -> User | None:
    """An unsaved user made of what was typed about a new applicant (to prefill the e-form)."""
    data = getattr(form, "cleaned_data", {})
    if not data.get("personal_id"):
        return None
    return User(
        personal_id=data["personal_id"],
        full_name=data.get("full_name", ""),
        birth_date=data.get("birth_date"),
        phone=data.get("phone", ""),
        email=data.get("email", ""),
    )


def _create(request, offering, form, *, raw, uploads, citizen, token):
    key = _done_key(request, token)
    if not cache.add(key, CLAIMED, CLAIM_SECONDS):
        # Another click with this page is being processed, or just finished.
        done = _already_done(request, token)
        if done is not None:
            return done
        messages.error(
            request, _("Lần bấm trước vẫn đang được xử lý; hãy xem danh sách hồ sơ trước khi nộp lại.")
        )
        return redirect("processing:inbox")
    data = form.cleaned_data
    applicant = WalkInApplicant(
        personal_id=data["personal_id"],
        full_name=data["full_name"],
        phone=data["phone"],
        email=data["email"],
        birth_date=data["birth_date"],
    )
    try:
        # One transaction: the dossier and its receipt (form 1, kept for the citizen's page) or neither.
        with uploads.walk_in_files() as files, transaction.atomic():
            dossier = walk_in_dossier_create(
                official=request.user,
                agency=request.active_membership.agency,
                offering=offering,
                applicant=applicant,
                channel=data["channel"],
                delivery=data["delivery"],
                delivery_address=form.delivery_address() if data["delivery"] == Delivery.POST else None,
                form_data=raw,
                files=files,
            )
            dossier_receipt_notice_issue(
                dossier_id=dossier.pk, official=request.user, agency=request.active_membership.agency
            )
    except (WalkInError, NotPermitted) as exc:
        cache.delete(key)
        uploads.keep_aside()
        problems = exc.messages if isinstance(exc, WalkInError) else [exc.message]
        context = _form_context(
            request,
            offering,
            form,
            raw=raw,
            errors={},
            uploads=uploads,
            citizen=citizen,
            looked_up=False,
            problems=problems,
        )
        return render(request, "processing/walk_in/form.html", context, status=400)
    except BaseException:
        cache.delete(key)
        raise
    cache.set(key, dossier.code, DONE_SECONDS)
    uploads.discard_kept()
    messages.success(
        request,
        _("Đã tiếp nhận hồ sơ %(code)s. In giấy tiếp nhận và hẹn trả kết quả (mẫu 01) để giao cho người nộp.")
        % {"code": dossier.code},
    )
    url = reverse("processing:dossier", kwargs={"code": dossier.code})
    return redirect(f"{url}?{urlencode({'vua-tiep-nhan': '1'})}")


@receptionist_required
@require_POST
def walk_in_check(request, offering_id):
    """htmx: the message for one e-form field (empty when it is fine); nothing is saved."""
    offering = _offering_for_desk(request.active_membership.agency, offering_id)
    schema = _schema(offering)
    if schema is None:
        return render(request, "dossiers/submission/_field_error.html", {"error": ""})
    errors = validate_data(schema, raw_from_post(schema, request.POST)).errors
    path = request.POST.get("_field", "")[:200]
    message = errors.get(path) or next((v for k, v in errors.items() if k.startswith(f"{path}.")), "")
    return render(request, "dossiers/submission/_field_error.html", {"error": message})
