"""Accounts: register, log in, log out, and the ``login_required`` guard."""

from __future__ import annotations

import functools
import typing as t

from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from flask import Blueprint
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask.typing import ResponseReturnValue

from .db import get_db

P = t.ParamSpec("P")

bp = Blueprint("auth", __name__, url_prefix="/auth")


def login_required(
    view: t.Callable[P, ResponseReturnValue],
) -> t.Callable[P, ResponseReturnValue]:
    """Send anonymous visitors of ``view`` to the login page.

    After logging in they come back to the page they asked for.

    .. code-block:: python

        @bp.route("/create", methods=("GET", "POST"))
        @login_required
        def create(): ...
    """

    @functools.wraps(view)
    def wrapped_view(*args: P.args, **kwargs: P.kwargs) -> ResponseReturnValue:
        if g.user is None:
            target = request.full_path if request.query_string else request.path
            return redirect(url_for("auth.login", next=target))
        return view(*args, **kwargs)

    return wrapped_view


@bp.before_app_request
def load_logged_in_user() -> None:
    """Put the logged-in user's row (or ``None``) on ``g.user`` for every request."""
    user_id = session.get("user_id")
    if user_id is None:
        g.user = None
    else:
        g.user = (
            get_db().execute("SELECT * FROM user WHERE id = ?", (user_id,)).fetchone()
        )


@bp.route("/register", methods=("GET", "POST"))
def register() -> ResponseReturnValue:
    """Show the registration form; on a valid submission create the account.

    Usernames are unique; the password is stored only as a salted hash.
    """
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        db = get_db()
        error = None

        if not username:
            error = "Username is required."
        elif not password:
            error = "Password is required."
        else:
            try:
                db.execute(
                    "INSERT INTO user (username, password) VALUES (?, ?)",
                    (username, generate_password_hash(password)),
                )
                db.commit()
            except db.IntegrityError:
                error = f"User {username} is already registered."
            else:
                flash(f"Welcome, {username}! Please log in.", "success")
                return redirect(url_for("auth.login"))

        flash(error, "error")

    return render_template("auth/register.html")


def _safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, else ``None``.

    Anything else (``//evil.example``, ``https://...``) would make the login
    form an open redirect.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


@bp.route("/login", methods=("GET", "POST"))
def login() -> ResponseReturnValue:
    """Show the login form; on valid credentials remember the user in the session."""
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        user = (
            get_db()
            .execute("SELECT * FROM user WHERE username = ?", (username,))
            .fetchone()
        )

        if user is not None and check_password_hash(user["password"], password):
            session.clear()
            session["user_id"] = user["id"]
            return redirect(_safe_next(request.args.get("next")) or url_for("index"))

        # One message for both cases, so the form does not reveal which
        # usernames exist.
        flash("Incorrect username or password.", "error")

    return render_template("auth/login.html")


@bp.route("/logout", methods=("POST",))
def logout() -> ResponseReturnValue:
    """Forget the user and go back to the front page.

    Only ``POST``: a link or an image on another site cannot log people out.
    """
    session.clear()
    flash("You have been logged out.", "success")
    return redirect(url_for("index"))
