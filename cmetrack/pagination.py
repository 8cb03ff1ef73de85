"""The API's pagination: ``{"count", "next", "previous", "results"}`` (docs/api.md)."""

from __future__ import annotations

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = None

    def get_page_number(self, request, paginator):
        """An empty ``?page=`` is not page 1: the schema says an integer."""
        number = request.query_params.get(self.page_query_param)
        if number is not None and not number.strip():
            raise NotFound("Invalid page.")
        return super().get_page_number(request, paginator)
