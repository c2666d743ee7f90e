"""Following one's dossiers: the list, one dossier, its files, supplements, withdrawal and messages.

Only the applicant sees a dossier: for anyone else, and for unknown codes, every URL here is a 404
(never a 403), so codes cannot be probed. Every POST carries the `lock_version` the page showed; an
action on a stale page (the agency acted meanwhile, another tab already sent it) is refused with a
message and the page is drawn again from the current state, keeping what was typed.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dichvucong.documents.models import FileKind, SignedDocument
from dichvucong.documents.responses import file_download_response

from .. import selectors
from ..declaration import expected_result_window
from ..forms_tracking import MessageForm, VersionedForm, WithdrawForm
from ..models import Dossier, Rating, RatingValue
from ..services.messages import MessageError, message_post
from ..services.rating import MAX_COMMENT_CHARS, dossier_rate
from ..services.supplements import (
    SupplementError,
    supplement_file_remove,
    supplement_file_upload,
    supplement_items,
    supplement_submit,
)
from ..services.transitions import StaleDossier, dossier_withdraw, transition_error_message
from ..workflow import STATE_EXPLANATION, Actor, InvalidTransition, State, transitions_available

PAGE_SIZE = 20
DRAFTS_SHOWN = 5
PARAM_STATE, PARAM_QUERY, PARAM_PAGE = "trang-thai", "q", "trang"
# The tabs of "Hồ sơ của tôi": (query value, selectors.STATE_GROUPS key, label).
TABS = [
    ("", None, gettext_lazy("Tất cả")),
    ("dang-soan", "drafts", gettext_lazy("Đang soạn")),
    ("dang-giai-quyet", "open", gettext_lazy("Đang giải quyết")),
    ("can-bo-sung", "needs_action", gettext_lazy("Cần bạn bổ sung, nộp phí")),
    ("da-ket-thuc", "finished", gettext_lazy("Đã kết thúc")),
]
ANCHOR_SUPPLEMENT, ANCHOR_MESSAGES, ANCHOR_WITHDRAW = "bo-sung", "tin-nhan", "rut-ho-so"
ANCHOR_RESULT, ANCHOR_RATING = "ket-qua", "danh-gia"


class RatingForm(VersionedForm):
    """The satisfaction rating of a returned dossier (the three answers of the national index)."""

    value = forms.ChoiceField(
        label=gettext_lazy("Bạn có hài lòng với việc giải quyết hồ sơ này?"),
        choices=RatingValue.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Hãy chọn một mức độ hài lòng.")},
    )
    comment = forms.CharField(
        label=gettext_lazy("Góp ý (không bắt buộc)"),
        max_length=MAX_COMMENT_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@never_cache
@login_required
@require_GET
def my_dossiers(request):
    """My dossiers ("Hồ sơ của tôi"): tabs by state, search by code or procedure name; on the first
    tab the drafts come apart, above the submitted dossiers."""
    tab = request.GET.get(PARAM_STATE, "")
    group = next((g for value, g, _label in TABS if value == tab), None)
    tab = tab if group else ""
    query = (request.GET.get(PARAM_QUERY) or "").strip()[: selectors.MAX_QUERY_CHARS]
    drafts, more_drafts = [], False
    if group is None:
        drafts = list(
            selectors.dossier_list_for_applicant(request.user, state_group="drafts", query=query)[
                : DRAFTS_SHOWN + 1
            ]
        )
        more_drafts, drafts = len(drafts) > DRAFTS_SHOWN, drafts[:DRAFTS_SHOWN]
        listing = selectors.dossier_list_for_applicant(request.user, state_group="submitted", query=query)
    else:
        listing = selectors.dossier_list_for_applicant(request.user, state_group=group, query=query)
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get(PARAM_PAGE))
    query_string = request.GET.copy()
    query_string.pop(PARAM_PAGE, None)
    return render(
        request,
        "dossiers/tracking/list.html",
        {
            "tabs": [(value, label) for value, _group, label in TABS],
            "tab": tab,
            "query": query,
            "drafts": drafts,
            "more_drafts": more_drafts,
            "page": page,
            "query_string": query_string.urlencode(),
        },
    )


def _dossier_or_404(request, code) -> Dossier:
    dossier = selectors.dossier_get_for_applicant(request.user, code)
    if dossier is None:
        raise Http404
    return dossier


def _detail_url(dossier: Dossier, anchor: str = "") -> str:
    url = reverse("dossiers:dossier_detail", kwargs={"code": dossier.code})
    return f"{url}#{anchor}" if anchor else url


def _timeline(dossier: Dossier) -> list[dict]:
    rows = []
    for event in selectors.dossier_timeline(dossier):
        if event.actor_role == Actor.APPLICANT:
            who = _("Bạn")
        elif event.actor_role in Actor.values:
            who = Actor(event.actor_role).label
        else:
            who = ""
        rows.append(
            {"at": event.created_at, "label": selectors.event_label(event), "who": who, "note": event.note}
        )
    return rows


def _render_detail(
    request,
    dossier: Dossier,
    *,
    status: int = 200,
    withdraw_form=None,
    message_form=None,
    message_errors=(),
    item_errors=None,
    supplement_error: str = "",
    rating_form=None,
):
    """The dossier page: status, what can be done now, deadlines, timeline, files, messages."""
    available = {t.name for t in transitions_available(dossier.state, Actor.APPLICANT)}
    supplement = selectors.supplement_open(dossier) if "submit_supplement" in available else None
    items = supplement_items(supplement) if supplement else []
    for item in items:
        item.errors = (item_errors or {}).get(item.index, [])
    attachments = selectors.dossier_attachments(dossier)
    open_request_id = supplement.pk if supplement else None
    version = {"lock_version": dossier.lock_version}
    rating = Rating.objects.filter(dossier=dossier).first() if dossier.state == State.RETURNED else None
    context = {
        "dossier": dossier,
        "state_label": State(dossier.state).label,
        "state_explanation": STATE_EXPLANATION[State(dossier.state)],
        "can_withdraw": "withdraw" in available,
        "supplement": supplement,
        "supplement_items": items,
        "supplement_missing": sum(1 for item in items if not item.attachments),
        "supplement_error": supplement_error,
        "window": expected_result_window(dossier) if dossier.state == State.SUBMITTED else {},
        "timeline": _timeline(dossier),
        "documents": [
            a for a in attachments if a.supplement_id is None and a.stored_file.kind == FileKind.UPLOAD
        ],
        # Files of earlier, answered requests; the open request's files are shown under its items.
        "supplement_files": [a for a in attachments if a.supplement_id not in (None, open_request_id)],
        "results": _results(attachments),
        # The one-stop notices issued to the applicant (forms 1–5), stored by the back office.
        "notices": [a for a in attachments if a.stored_file.kind == FileKind.GENERATED],
        "rating": rating,
        "can_rate": "rate" in available and rating is None,
        "rating_form": rating_form or RatingForm(initial=version),
        "conversation": selectors.dossier_messages(dossier),
        "message_form": message_form or MessageForm(initial=version),
        "message_errors": list(message_errors),
        "withdraw_form": withdraw_form or WithdrawForm(initial=version),
    }
    return render(request, "dossiers/tracking/detail.html", context, status=status)


def _results(attachments) -> list:
    """The result files, each with `signed` (its documents.SignedDocument, for the verification page's
    address) when the agency signed it."""
    results = [a for a in attachments if a.stored_file.kind == FileKind.RESULT]
    signed = {
        d.stored_file_id: d
        for d in SignedDocument.objects.filter(stored_file_id__in=[a.stored_file_id for a in results])
    }
    for attachment in results:
        attachment.signed = signed.get(attachment.stored_file_id)
    return results


def _refused(request, code, exc: InvalidTransition, *, kept_forms: dict | None = None, message: str = ""):
    """A stale page or an action no longer possible: say so, and draw the current dossier (409), with
    what was typed kept in fresh forms that carry the current version."""
    stale = isinstance(exc, StaleDossier)
    messages.error(request, transition_error_message(exc) if stale or not message else message)
    dossier = _dossier_or_404(request, code)
    version = {"lock_version": dossier.lock_version}
    forms = {}
    for name, (form_class, data) in (kept_forms or {}).items():
        forms[name] = form_class(initial={**data, **version})
    return _render_detail(request, dossier, status=409, **forms)


def _posted_version(request) -> int | None:
    value = request.POST.get("lock_version", "")
    return int(value) if value.isdigit() else None


@never_cache
@login_required
@require_GET
def dossier_detail(request, code):
    return _render_detail(request, _dossier_or_404(request, code))


@login_required
@require_GET
def attachment_download(request, code, attachment_id):
    # Permission: the selector returns files of the user's own submitted dossier only.
    attachment = selectors.attachment_get_for_applicant(request.user, code, attachment_id)
    if attachment is None:
        raise Http404
    return file_download_response(attachment.stored_file)


@login_required
@require_POST
def withdraw(request, code):
    dossier = _dossier_or_404(request, code)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        if "lock_version" in form.errors:
            return _refused(request, code, StaleDossier("stale", dossier.state))
        return _render_detail(request, dossier, withdraw_form=form, status=400)
    try:
        dossier_withdraw(
            dossier_id=dossier.pk,
            user=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["lock_version"],
        )
    except InvalidTransition as exc:
        return _refused(
            request,
            code,
            exc,
            kept_forms={"withdraw_form": (WithdrawForm, {"reason": form.cleaned_data["reason"]})},
            message=_(
                "Không thể rút hồ sơ này nữa: hồ sơ đã được quyết định giải quyết hoặc đã kết thúc. "
                "Nếu cần, hãy gửi tin nhắn cho cơ quan tiếp nhận."
            ),
        )
    messages.success(request, _("Đã rút hồ sơ. Cơ quan tiếp nhận đã được thông báo."))
    return redirect(_detail_url(dossier))


@login_required
@require_POST
def message_create(request, code):
    dossier = _dossier_or_404(request, code)
    form = MessageForm(request.POST)
    if not form.is_valid():
        if "lock_version" in form.errors:
            return _refused(request, code, StaleDossier("stale", dossier.state))
        return _render_detail(request, dossier, message_form=form, status=400)
    body = form.cleaned_data["body"]
    try:
        message_post(
            dossier_id=dossier.pk,
            user=request.user,
            body=body,
            files=request.FILES.getlist("files"),
            expected_version=form.cleaned_data["lock_version"],
        )
    except InvalidTransition as exc:
        return _refused(request, code, exc, kept_forms={"message_form": (MessageForm, {"body": body})})
    except MessageError as exc:
        return _render_detail(
            request,
            dossier,
            message_form=MessageForm(initial={"body": body, "lock_version": dossier.lock_version}),
            message_errors=exc.messages,
            status=400,
        )
    messages.success(request, _("Đã gửi tin nhắn tới cơ quan tiếp nhận."))
    return redirect(_detail_url(dossier, ANCHOR_MESSAGES))


@login_required
@require_POST
def supplement_upload(request, code):
    dossier = _dossier_or_404(request, code)
    version = _posted_version(request)
    if version is None:
        return _refused(request, code, StaleDossier("stale", dossier.state))
    item = request.POST.get("item", "")
    index = int(item) if item.isdigit() else -1
    try:
        outcome = supplement_file_upload(
            dossier_id=dossier.pk,
            user=request.user,
            item_index=index,
            uploaded_files=request.FILES.getlist("files"),
            expected_version=version,
        )
    except InvalidTransition as exc:
        return _refused(request, code, exc)
    except SupplementError as exc:
        if index < 0:
            return _render_detail(request, dossier, supplement_error=str(exc), status=400)
        return _render_detail(request, dossier, item_errors={index: [str(exc)]}, status=400)
    if outcome.attachments:
        messages.success(request, _("Đã tải lên %(count)s tệp.") % {"count": len(outcome.attachments)})
    if outcome.rejected:
        return _render_detail(
            request, dossier, item_errors={index: [r.message for r in outcome.rejected]}, status=400
        )
    return redirect(_detail_url(dossier, ANCHOR_SUPPLEMENT))


@login_required
@require_POST
def supplement_file_delete(request, code):
    dossier = _dossier_or_404(request, code)
    version = _posted_version(request)
    attachment = request.POST.get("attachment", "")
    if version is None:
        return _refused(request, code, StaleDossier("stale", dossier.state))
    try:
        supplement_file_remove(
            dossier_id=dossier.pk,
            user=request.user,
            attachment_id=int(attachment) if attachment.isdigit() else 0,
            expected_version=version,
        )
    except InvalidTransition as exc:
        return _refused(request, code, exc)
    except SupplementError as exc:
        return _render_detail(request, dossier, supplement_error=str(exc), status=400)
    messages.success(request, _("Đã xóa tệp."))
    return redirect(_detail_url(dossier, ANCHOR_SUPPLEMENT))


@login_required
@require_POST
def supplement_send(request, code):
    """Answer the supplement request: the dossier goes back to the state it was in before it."""
    dossier = _dossier_or_404(request, code)
    version = _posted_version(request)
    if version is None:
        return _refused(request, code, StaleDossier("stale", dossier.state))
    try:
        supplement_submit(dossier_id=dossier.pk, user=request.user, expected_version=version)
    except InvalidTransition as exc:
        return _refused(request, code, exc)
    except SupplementError as exc:
        return _render_detail(request, dossier, supplement_error=str(exc), status=400)
    messages.success(request, _("Đã nộp bổ sung. Cơ quan tiếp nhận sẽ tiếp tục giải quyết hồ sơ."))
    return redirect(_detail_url(dossier))


@login_required
@require_POST
def rate(request, code):
    """The applicant rates their returned dossier, once (dossiers.services.rating.dossier_rate)."""
    dossier = _dossier_or_404(request, code)
    form = RatingForm(request.POST)
    if not form.is_valid():
        if "lock_version" in form.errors:
            return _refused(request, code, StaleDossier("stale", dossier.state))
        return _render_detail(request, dossier, rating_form=form, status=400)
    try:
        dossier_rate(
            dossier_id=dossier.pk,
            user=request.user,
            value=form.cleaned_data["value"],
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["lock_version"],
        )
    except InvalidTransition as exc:
        kept = {"value": form.cleaned_data["value"], "comment": form.cleaned_data["comment"]}
        return _refused(request, code, exc, kept_forms={"rating_form": (RatingForm, kept)})
    messages.success(request, _("Cảm ơn bạn đã đánh giá. Ý kiến của bạn giúp cơ quan phục vụ tốt hơn."))
    return redirect(_detail_url(dossier, ANCHOR_RATING))
