from rest_framework import pagination

from apps.core.paginator import DeferredJoinPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class DeferredJoinPageNumberPagination(PageNumberPagination):
    """The same pages, read ids first: for long lists whose rows carry joins (devices)."""

    django_paginator_class = DeferredJoinPaginator
