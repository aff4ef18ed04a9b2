"""Request bodies: each JSON route declares the largest body it takes, next to its word's rules
(`walkers.JOIN_BODY_BYTES`, `observations.BODY_BYTES`, `tracks.CHUNK_BODY_BYTES`,
`audits.BODY_BYTES`), and nothing larger is read.

A 10 MB JSON array to /api/join once took 15 s and 500 MB to parse. Now a declared Content-Length
over the limit is a 413 before a byte is read, and a chunked body (no Content-Length) is read no
further than the limit (Werkzeug's LimitedStream raises 413 there). Routes without a declaration
keep the app's MAX_CONTENT_LENGTH (a photo plus its form). Every refused body counts toward the
address's limit of bad bodies (`rate_limits.BAD_BODIES_PER_ADDRESS`).
"""

from __future__ import annotations

import codecs
import functools
import io
from collections.abc import Callable

import flask
from flask import Flask, abort, current_app, has_app_context, request
from flask_babel import gettext as _
from werkzeug import formparser
from werkzeug.datastructures import Headers
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.http import parse_options_header
from werkzeug.utils import cached_property

from . import rate_limits
from .inputs import Unreadable, check_form_text, field_text, not_text


def limit(max_bytes: int) -> Callable:
    """Declare the largest body a view takes: a longer Content-Length is a 413 before a byte is
    read, and bad bodies to the view count per address. The innermost decorator (just above the
    function): Flask-Limiter checks a view's limits in its innermost wrapper, before this check."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def checked(*args, **kwargs):
            if (request.content_length or 0) > max_bytes:
                abort(413)
            return view(*args, **kwargs)

        limited = rate_limits.bad_bodies(checked)
        limited.max_body_bytes = max_bytes
        return limited

    return decorate


def declared(endpoint: str | None) -> int | None:
    """The largest body the endpoint's view takes, or None when it declares none."""
    view = current_app.view_functions.get(endpoint or "")
    return getattr(view, "max_body_bytes", None)


class UnreadableForm(BadRequest):
    """A form field that is not text: a 400 naming it (views/errors.py answers in HTML or JSON)."""

    def __init__(self, unreadable: Unreadable):
        super().__init__(description=str(unreadable.message))
        self.errors = {unreadable.field: str(unreadable.message)}


# Werkzeug decodes a multipart field with `bytes.decode(charset, "replace")`: the charset it is
# handed is this codec, which decodes by inputs.field_text's rule whatever `errors` says.
_FIELD_TEXT = "walkapp_field_text"


def _field_text_codec(name: str) -> codecs.CodecInfo | None:
    if name != _FIELD_TEXT:
        return None
    return codecs.CodecInfo(
        name=_FIELD_TEXT,
        encode=codecs.utf_8_encode,
        decode=lambda raw, errors="strict": (field_text(bytes(raw)), len(raw)),
    )


codecs.register(_field_text_codec)


class MultiPartParser(formparser.MultiPartParser):
    """Decodes each field by inputs.field_text and names the field that is not text."""

    _field = "_"

    def get_part_charset(self, headers: Headers) -> str:
        # Called for a field just before its value is decoded: remember its name.
        self._field = parse_options_header(headers.get("content-disposition"))[1].get("name", "_")
        return _FIELD_TEXT

    def parse(self, stream, boundary, content_length):
        self._field = "_"
        try:
            return super().parse(stream, boundary, content_length)
        except Unreadable:
            raise UnreadableForm(not_text(self._field)) from None
        except UnicodeDecodeError:  # a part's headers (its name) that are not UTF-8
            raise UnreadableForm(not_text()) from None


class FormDataParser(formparser.FormDataParser):
    """Refuses a form whose fields are not text (walkapp.inputs.check_form_text, field_text)
    wherever the form is read first (the CSRF check, a rate limit's key, the view)."""

    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        body = stream.read()
        try:
            check_form_text(body)
        except Unreadable as unreadable:
            raise UnreadableForm(unreadable) from None
        return super()._parse_urlencoded(io.BytesIO(body), mimetype, content_length, options)

    def _parse_multipart(self, stream, mimetype, content_length, options):
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        parser = MultiPartParser(
            stream_factory=self.stream_factory,
            max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts,
            cls=self.cls,
        )
        form, files = parser.parse(stream, boundary, content_length)
        return stream, form, files


class Request(flask.Request):
    """Reads no more of a body than its route declared, wherever the body is read first (a rate
    limit's key reads the join code before the view does); refuses form fields and query values
    that are not text."""

    form_data_parser_class = FormDataParser
    _args_refused = False

    @cached_property
    def args(self):
        # Refused once; the error page that answers then reads no query (it has none).
        if self._args_refused:
            return self.parameter_storage_class()
        try:
            check_form_text(self.query_string)
        except Unreadable as unreadable:
            self._args_refused = True
            raise UnreadableForm(unreadable) from None
        return super().args

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and self.url_rule is not None and has_app_context():
            own = declared(self.endpoint)
            if own is not None:
                return own
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    _too_large = False

    def get_data(self, *args, **kwargs):
        # Werkzeug reads a chunked body up to the limit and stops there without a word; the
        # next read would raise. A body that reaches the limit is too large, for every reader.
        if self._too_large:
            raise RequestEntityTooLarge()
        try:
            data = super().get_data(*args, **kwargs)
        except RequestEntityTooLarge:
            self._too_large = True
            raise
        most = self.max_content_length
        if self.content_length is None and most is not None and len(data) >= most:
            self._too_large = True
            raise RequestEntityTooLarge()
        return data


def too_large_message() -> str:
    """What a 413 says: the route's own limit when it declares one."""
    own = declared(request.endpoint) if request.url_rule is not None else None
    if own is None:
        return _("Det du skickade är för stort.")
    return _("Det du skickade är för stort (högst %(kb)s kB).", kb=max(1, own // 1024))


def init_app(app: Flask) -> None:
    app.request_class = Request
