"""Flaskr from the Flask 0.12 tutorial, on Kolben's flask with kolben.legacy."""

from .flaskr import app as app
