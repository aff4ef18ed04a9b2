"""WSGI entry point for gunicorn: `gunicorn walkapp.wsgi:app`."""

from . import create_app

app = create_app()
