"""The one upload handler: files stream to a temporary file and stop at the import size limit.

Django's default handlers write the whole upload to disk (or memory) and the view learns its size
afterwards; a 10 GB POST would be on disk first. :class:`LimitedUploadHandler` counts the bytes as they
arrive and, at :data:`jingzhun.registry.limits.MAX_FILE_BYTES`, stops: the partial temporary file is
closed (and so deleted), the file is left out of ``request.FILES`` and :func:`refusal` tells the view
why, in Chinese. The rest of the request is read and thrown away so the browser gets the page with the
message — unless the request announced more than twice the limit, then the connection is reset rather
than reading gigabytes for nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.http import HttpRequest

from jingzhun.registry import limits

REFUSAL = "_jingzhun_upload_refused"


def refusal(request: HttpRequest) -> str:
    """Why the request's upload was cut off ("" when it was not)."""
    return str(getattr(request, REFUSAL, ""))


class LimitedUploadHandler(TemporaryFileUploadHandler):
    announced = 0  # the request's Content-Length

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: Any = None
    ) -> None:
        self.announced = content_length or 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > limits.MAX_FILE_BYTES:
            if self.request is not None:
                setattr(self.request, REFUSAL, f"{self.file_name}：{limits.too_big(start + len(raw_data))}")
            raise StopUpload(connection_reset=self.announced > 2 * limits.MAX_FILE_BYTES)
        return super().receive_data_chunk(raw_data, start)
