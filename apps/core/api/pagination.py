from rest_framework import pagination

from apps.core.paginator import DeferredJoinPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """Every API list's pages, read ids first (see ``DeferredJoinPaginator``): a page deep in a
    long list costs what the first does, and figures computed per row (an enrolment's
    attendance, say) are computed for the page's rows only, not for every row the order sorts."""

    django_paginator_class = DeferredJoinPaginator
    page_size_query_param = "page_size"
    max_page_size = 200
