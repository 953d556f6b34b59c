"""A paginator whose deep pages cost what the first one does.

Django's paginator asks for ``LIMIT 25 OFFSET 50000`` on the full query: the database then
builds 50,025 rows *with their joins* (donation, donor) to throw 50,000 away. This one reads
the page's ids first (the offset walks an index, no join), then the page's rows by id, with
their joins: one query more, a fixed number whatever the page.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet


class DeferredJoinPaginator(Paginator):
    def page(self, number):
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
