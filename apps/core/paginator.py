"""A paginator whose deep pages cost what the first one does.

Django's paginator asks for ``LIMIT 25 OFFSET 50000`` on the full query: the database then
builds 50,025 rows *with their joins* (donation, donor) to throw 50,000 away. This one reads
the page's ids first (the offset walks an index, no join), then the page's rows by id, with
their joins: one query more, a fixed number whatever the page.

The rows are read by id alone, without the list's filters again: the ids already passed
them, and a filter can be costly to run twice (a text search reads its whole index).

With ``count_cap``, the count stops at that number (``count_is_capped`` tells when there are
more) and so do the pages: counting 15,000 devices that match a common word cost more than
the rest of the page, for a figure nobody pages through. A page past the cap shows the last
one, which says to refine the search, rather than "not found".
"""

from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.utils.functional import cached_property


class DeferredJoinPaginator(Paginator):
    def __init__(self, *args, count_cap=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_cap = count_cap

    @cached_property
    def _counted(self):
        if self.count_cap is None or not isinstance(self.object_list, QuerySet):
            return Paginator.count.func(self)
        # Unordered: an ORDER BY kept in the sliced count could make the database walk the
        # list's order and test every row instead of using the search's index.
        return self.object_list.order_by()[: self.count_cap + 1].count()

    @cached_property
    def count(self):
        return self._counted if self.count_cap is None else min(self._counted, self.count_cap)

    @property
    def count_is_capped(self):
        return self.count_cap is not None and self._counted > self.count_cap

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except EmptyPage:
            if self.count_is_capped and int(number) > self.num_pages:
                return self.num_pages
            raise

    def page(self, number):
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self._rows_by_id(ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)

    def _rows_by_id(self, ids):
        listed = self.object_list
        if (
            listed.query.annotation_select
            or listed.query.extra_select
            or listed._iterable_class is not ModelIterable
        ):
            # Annotated values come from the list's own query, filters and all.
            return listed.filter(pk__in=ids)
        rows = listed.model._default_manager.using(listed.db).filter(pk__in=ids)
        rows.query.select_related = listed.query.select_related
        rows.query.deferred_loading = listed.query.deferred_loading
        return rows.prefetch_related(*listed._prefetch_related_lookups)
