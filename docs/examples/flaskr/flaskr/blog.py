"""Posts: the front page, and writing, editing and deleting posts."""

from __future__ import annotations

import sqlite3

from flask import abort
from flask import Blueprint
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from .auth import login_required
from .db import get_db

bp = Blueprint("blog", __name__)


@bp.route("/")
def index() -> ResponseReturnValue:
    """List every post, newest first."""
    posts = (
        get_db()
        .execute(
            "SELECT p.id, title, body, created, author_id, username"
            " FROM post p JOIN user u ON p.author_id = u.id"
            " ORDER BY created DESC, p.id DESC"
        )
        .fetchall()
    )
    return render_template("blog/index.html", posts=posts)


def get_post(post_id: int, check_author: bool = True) -> sqlite3.Row:
    """Return a post with its author's name, or abort.

    :param post_id: the post to load.
    :param check_author: require the logged-in user to be the author.
    :raises werkzeug.exceptions.NotFound: there is no such post.
    :raises werkzeug.exceptions.Forbidden: someone else wrote it.
    """
    post: sqlite3.Row | None = (
        get_db()
        .execute(
            "SELECT p.id, title, body, created, author_id, username"
            " FROM post p JOIN user u ON p.author_id = u.id"
            " WHERE p.id = ?",
            (post_id,),
        )
        .fetchone()
    )

    if post is None:
        abort(404, f"Post {post_id} does not exist.")

    if check_author and post["author_id"] != g.user["id"]:
        abort(403, "Only the author may change a post.")

    return post


def _read_form() -> tuple[str, str, str | None]:
    """Return the submitted title and body, and the validation error if any."""
    title = request.form.get("title", "").strip()
    body = request.form.get("body", "")
    error = None if title else "Title is required."
    return title, body, error


@bp.route("/create", methods=("GET", "POST"))
@login_required
def create() -> ResponseReturnValue:
    """Show the form for a new post; on a valid submission save it."""
    if request.method == "POST":
        title, body, error = _read_form()
        if error is None:
            db = get_db()
            db.execute(
                "INSERT INTO post (title, body, author_id) VALUES (?, ?, ?)",
                (title, body, g.user["id"]),
            )
            db.commit()
            flash(f"Published \u201c{title}\u201d.", "success")
            return redirect(url_for("blog.index"))
        flash(error, "error")

    return render_template("blog/create.html", values=request.form)


@bp.route("/<int:post_id>/update", methods=("GET", "POST"))
@login_required
def update(post_id: int) -> ResponseReturnValue:
    """Show the edit form of the user's own post; on a valid submission save it."""
    post = get_post(post_id)

    if request.method == "POST":
        title, body, error = _read_form()
        if error is None:
            db = get_db()
            db.execute(
                "UPDATE post SET title = ?, body = ? WHERE id = ?",
                (title, body, post_id),
            )
            db.commit()
            flash(f"Saved \u201c{title}\u201d.", "success")
            return redirect(url_for("blog.index"))
        flash(error, "error")

    values = request.form if request.method == "POST" else post
    return render_template("blog/update.html", post=post, values=values)


@bp.route("/<int:post_id>/delete", methods=("POST",))
@login_required
def delete(post_id: int) -> ResponseReturnValue:
    """Delete the user's own post."""
    post = get_post(post_id)
    db = get_db()
    db.execute("DELETE FROM post WHERE id = ?", (post_id,))
    db.commit()
    flash(f"Deleted \u201c{post['title']}\u201d.", "success")
    return redirect(url_for("blog.index"))
