"""Pagination for search results, with a bounded count."""

from functools import cached_property

from django.core.paginator import Paginator


class CappedPaginator(Paginator):
    """Counts at most `cap` results (one bounded COUNT query).

    A broad query ("d", twelve common words) matches most of the catalogue; counting every match on
    every page view would cost more than ranking one page. Pages past the cap are not offered, and
    templates say "more than <cap>" when `is_capped`.
    """

    def __init__(self, object_list, per_page, *, cap: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _bounded_count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.cap)

    @cached_property
    def is_capped(self) -> bool:
        return self._bounded_count > self.cap
