from dichvucong.core.text import fold


class FoldedSearchMixin:
    """Admin search that also matches a folded column, so "thuong hong" finds "Thượng Hồng"."""

    folded_search_field = "name_folded"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        folded = fold(search_term)
        if folded:
            results = results | queryset.filter(**{f"{self.folded_search_field}__contains": folded})
        return results, may_have_duplicates
