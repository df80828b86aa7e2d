"""The application factory."""

from __future__ import annotations

import os
import typing as t

from flask import Flask

from . import auth
from . import blog
from . import db


def create_app(test_config: t.Mapping[str, t.Any] | None = None) -> Flask:
    """Create and configure a Flaskr application.

    Configuration is layered: built-in defaults, then either ``test_config``
    (tests pass everything they need) or, for a real deployment, the instance
    folder's ``config.py`` followed by ``FLASKR_*`` environment variables
    (``FLASKR_SECRET_KEY``, ``FLASKR_DATABASE``), which is how a server
    process such as gunicorn is configured without touching files.

    :param test_config: settings that replace the instance configuration.
    :return: the application, with the ``auth`` and ``blog`` blueprints and
        the ``init-db`` command registered.
    """
    app = Flask("flaskr", instance_relative_config=True)
    app.config.from_mapping(
        # Good enough for the development server only: set a random
        # FLASKR_SECRET_KEY (or SECRET_KEY in instance/config.py) when deploying.
        SECRET_KEY="dev",
        DATABASE=os.path.join(app.instance_path, "flaskr.sqlite"),
    )

    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("FLASKR")
    else:
        app.config.from_mapping(test_config)

    # The default database lives in the instance folder, which Flask does not
    # create on its own.
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(blog.bp)
    # The blog owns the front page; "index" is the name the auth views and the
    # templates redirect to, whichever blueprint serves it.
    app.add_url_rule("/", endpoint="index")
    return app
