"""The desk of the active agency (/mot-cua/): bucket tabs with counts, the list of one bucket by due date,
and the search by code, personal ID, phone or name.

Fast whatever the desk holds: the counts are inbox_counts (one indexed count per bucket), a page is one
range of one index read in order (processing.selectors), and the paginator takes the bucket's count
from those counts instead of counting again. Pages stop at MAX_PAGES (deep OFFSETs cost what they
skip); the reverse order (?sap-xep=giam-dan) reaches the other end of a long list.
"""

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from dichvucong.accounts.decorators import official_required
from dichvucong.accounts.models import StaffRole
from dichvucong.dossiers.workflow import CLOCK_RUNNING_STATES, State

from ..selectors import (
    INBOX_COUNT_CAP,
    MAX_SEARCH_RESULTS,
    Bucket,
    dossier_search_for_agency,
    due_soon_limit,
    inbox_counts,
    inbox_list,
)

PAGE_SIZE = 20
MAX_PAGES = INBOX_COUNT_CAP // PAGE_SIZE  # 250 pages, 5,000 dossiers each way
PARAM_BUCKET, PARAM_QUERY, PARAM_SORT, PARAM_PAGE = "loc", "q", "sap-xep", "trang"
SORT_DESC = "giam-dan"
# (query value, bucket, tab label): Vietnamese query values, stable (they appear in shared links).
TABS = [
    ("tat-ca", Bucket.ALL, _("Tất cả")),
    ("moi-nop", Bucket.NEW, _("Mới nộp trực tuyến")),
    ("da-tiep-nhan", Bucket.RECEIVED, _("Đã tiếp nhận")),
    ("dang-xu-ly", Bucket.IN_PROGRESS, _("Đang xử lý")),
    ("sap-den-han", Bucket.DUE_SOON, _("Sắp đến hạn (2 ngày làm việc)")),
    ("qua-han", Bucket.OVERDUE, _("Quá hạn")),
    ("cho-bo-sung", Bucket.WAITING_CITIZEN, _("Chờ công dân bổ sung")),
    ("cho-nop-phi", Bucket.WAITING_PAYMENT, _("Chờ nộp phí")),
    ("cho-toi-duyet", Bucket.MY_APPROVAL, _("Chờ tôi ký duyệt")),
    ("co-ket-qua", Bucket.RESULT_READY, _("Có kết quả, chờ trả")),
    ("cua-toi", Bucket.ASSIGNED_TO_ME, _("Được giao cho tôi")),
]
BUCKET_OF = {value: bucket for value, bucket, _label in TABS}
DEFAULT_TAB = "tat-ca"
desk_required = official_required(StaffRole.RECEPTIONIST, StaffRole.SPECIALIST, StaffRole.APPROVER)


class KnownCountPaginator(Paginator):
    """A paginator told how many objects there are (the bucket's count from inbox_counts) and showing at
    most `max_pages` pages: no COUNT query of its own."""

    def __init__(self, object_list, per_page, *, count: int, max_pages: int):
        super().__init__(object_list, per_page)
        self.known_count, self.max_pages = count, max_pages

    @cached_property
    def count(self) -> int:
        return min(self.known_count, self.per_page * self.max_pages)

    @property
    def is_capped(self) -> bool:
        return self.known_count > self.per_page * self.max_pages


def _is_fragment(request) -> bool:
    """htmx swaps the list only; a history restore (back button, cache miss) needs the whole page."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def row_flags(dossier, *, now, soon) -> dict:
    """What a row says about the deadline: overdue, due soon (the clock runs), paused (supplement)."""
    running = dossier.state in CLOCK_RUNNING_STATES and dossier.due_date is not None
    return {
        "overdue": running and dossier.due_date < now,
        "due_soon": running and now <= dossier.due_date <= soon,
        "paused": dossier.state == State.SUPPLEMENT_REQUESTED,
    }


@never_cache
@desk_required
@require_GET
@vary_on_headers("HX-Request")
def inbox(request):
    """The inbox of the official's active agency: one bucket or a search, paginated."""
    agency, official = request.active_membership.agency, request.user
    tab = request.GET.get(PARAM_BUCKET, DEFAULT_TAB)
    tab = tab if tab in BUCKET_OF else DEFAULT_TAB
    bucket = BUCKET_OF[tab]
    query = (request.GET.get(PARAM_QUERY) or "").strip()[:100]
    descending = request.GET.get(PARAM_SORT) == SORT_DESC
    now = timezone.now()
    counts = inbox_counts(official=official, agency=agency, now=now)
    page = None
    if query:
        dossiers = list(dossier_search_for_agency(official=official, agency=agency, query=query))
        prefetch_related_objects(dossiers, "assigned_to")  # one query, not one per row
    else:
        listing = inbox_list(official=official, agency=agency, bucket=bucket, now=now)
        if descending:
            listing = listing.reverse()  # the same index read backwards
        paginator = KnownCountPaginator(listing, PAGE_SIZE, count=counts[bucket], max_pages=MAX_PAGES)
        page = paginator.get_page(request.GET.get(PARAM_PAGE))
        dossiers = list(page.object_list)
    soon = due_soon_limit(now)
    query_string = request.GET.copy()
    query_string.pop(PARAM_PAGE, None)
    context = {
        "agency": agency,
        "roles": request.active_membership.roles,
        # (query value, label, count, capped): beyond INBOX_COUNT_CAP a tab says "5.000+".
        "tabs": [(value, label, counts[b], counts[b] > INBOX_COUNT_CAP) for value, b, label in TABS],
        "count_cap": INBOX_COUNT_CAP,
        "tab": tab,
        "bucket": bucket,
        "tab_label": next(label for value, _b, label in TABS if value == tab),
        "query": query,
        "descending": descending,
        "rows": [{"dossier": d, **row_flags(d, now=now, soon=soon)} for d in dossiers],
        "page": page,
        "query_string": query_string.urlencode(),
        "max_search_results": MAX_SEARCH_RESULTS,
        "can_walk_in": request.active_membership.has_role(StaffRole.RECEPTIONIST),
        "can_read_register": request.active_membership.has_role(
            StaffRole.RECEPTIONIST, StaffRole.APPROVER, StaffRole.AGENCY_ADMIN
        ),
        "sort_desc": SORT_DESC,
    }
    template = "processing/_inbox_rows.html" if _is_fragment(request) else "processing/inbox.html"
    return render(request, template, context)
