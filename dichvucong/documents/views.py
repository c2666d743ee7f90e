"""The citizen's document wallet (kho dữ liệu): list, download and remove their reusable files; and the
public verification page of signed documents (/xac-thuc/<token>/, the target of their QR code)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dichvucong.accounts.services.security import client_ip
from dichvucong.core.ratelimit import rate_limit_hit

from . import selectors, signing
from .responses import file_download_response
from .services import stored_file_remove_from_wallet
from .validation import UploadRejected, check_upload

WALLET_PAGE_SIZE = 20


def _wallet_file_or_404(request, public_id):
    """The signed-in user's wallet file: 404 for anyone else's, so nothing tells that it exists."""
    stored_file = selectors.wallet_file_get_for(request.user, public_id)
    if stored_file is None:
        raise Http404
    return stored_file


@login_required
@require_GET
def wallet(request):
    page = Paginator(selectors.wallet_list_for(request.user), WALLET_PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return render(request, "documents/wallet.html", {"page": page})


@login_required
@require_GET
def wallet_file_download(request, public_id):
    # Permission: the owner only, checked by the scoped selector above.
    return file_download_response(_wallet_file_or_404(request, public_id))


@login_required
@require_POST
def wallet_file_remove(request, public_id):
    stored_file = _wallet_file_or_404(request, public_id)
    stored_file_remove_from_wallet(owner=request.user, stored_file=stored_file)
    messages.success(request, _("Đã xóa “%(name)s” khỏi kho dữ liệu.") % {"name": stored_file.original_name})
    return redirect("documents:wallet")


# --- Verification of signed documents (public) ---------------------------------------------------

VERIFY_WINDOW_SECONDS = 3600


def verify_upload_max_mb() -> int:
    return getattr(settings, "VERIFY_UPLOAD_MAX_MB", 10)


class VerifyUploadForm(forms.Form):
    """A PDF someone holds, to compare with the signed original: checked like any upload, never stored."""

    tep = forms.FileField(
        label=gettext_lazy("Tệp PDF cần đối chiếu"),
        error_messages={"required": gettext_lazy("Hãy chọn tệp PDF cần đối chiếu.")},
    )

    def clean_tep(self):
        uploaded = self.cleaned_data["tep"]
        try:
            self.checked = check_upload(
                uploaded, accepted_types=("pdf",), max_bytes=verify_upload_max_mb() * 1024 * 1024
            )
        except UploadRejected as rejected:
            raise forms.ValidationError(rejected.message, code=rejected.reason) from rejected
        return uploaded


def _no_index(response):
    # The token is the key to the page: keep it out of search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _hash_groups(sha256: str) -> list[str]:
    """'a1b2c3d4', 'e5f6…': eight groups, so the page can break the line between them."""
    return [sha256[i : i + 8] for i in range(0, len(sha256), 8)]


def _compare_upload(document, form) -> dict:
    """Same bytes as the signed original? If not, what does the file's own signature say?"""
    uploaded = form.cleaned_data["tep"]
    if form.checked.sha256 == document.sha256:
        return {"matches": True, "sha256_groups": _hash_groups(form.checked.sha256)}
    uploaded.seek(0)
    return {
        "matches": False,
        "sha256_groups": _hash_groups(form.checked.sha256),
        "result": signing.pdf_verify(uploaded.read()),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request, token):
    """Works signed out: title, issuer, signer, signing time, SHA-256 and the signature checked now on
    the stored file; POST compares a file the visitor holds. Nothing personal beyond the printed
    title, issuer and (when the issuer allowed it) reference; the document itself is not offered."""
    limit = getattr(settings, "VERIFY_MAX_PER_HOUR", 120)
    if rate_limit_hit(f"verify-ip:{client_ip(request)}", limit=limit, window_seconds=VERIFY_WINDOW_SECONDS):
        return _no_index(render(request, "documents/verify_limited.html", {"limit": limit}, status=429))
    document = signing.signed_document_get_by_token(token)
    if document is None:
        return _no_index(render(request, "documents/verify_missing.html", status=404))

    form, comparison, status = VerifyUploadForm(), None, 200
    if request.method == "POST":
        form = VerifyUploadForm(request.POST, request.FILES)
        if form.is_valid():
            comparison = _compare_upload(document, form)
            form = VerifyUploadForm()
        else:
            status = 400
    context = {
        "document": document,
        "result": signing.signed_document_verify(document),
        "sha256_groups": _hash_groups(document.sha256),
        "form": form,
        "comparison": comparison,
        "max_mb": verify_upload_max_mb(),
    }
    return _no_index(render(request, "documents/verify.html", context, status=status))
