"""The citizen's document wallet (kho dữ liệu): list, download and remove their reusable files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors
from .responses import file_download_response
from .services import stored_file_remove_from_wallet

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
