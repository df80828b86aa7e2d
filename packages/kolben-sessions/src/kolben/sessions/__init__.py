"""Signed-cookie sessions, the tagged JSON serializer and a session middleware for any WSGI app."""

from __future__ import annotations
