# ruff: noqa
# fmt: off
# Kept as the 0.12 tutorial wrote it (style included): that is the point.
"""Flaskr as the Flask 0.12 tutorial wrote it, unchanged but for one line.

The line is ``kolben.legacy.install()``; everything after it is 0.x/1.0-era
Flask: ``flask.Markup``, the database connection on ``_app_ctx_stack.top``,
``before_first_request``, ``request.is_xhr``, ``send_file`` with
``attachment_filename`` and ``cache_timeout``, and the ``app.cli`` command
of 0.11. Each of those warns (``KolbenLegacyWarning``) with its replacement.
"""

import io
import json
import os
import sqlite3

import kolben.legacy

kolben.legacy.install()

from flask import Flask, request, session, g, redirect, url_for, abort, \
    render_template, flash, jsonify, send_file, Markup, _app_ctx_stack

app = Flask(__name__)  # create the application instance :)
app.config.from_object(__name__)  # load config from this file, flaskr.py

# Load default config and override config from an environment variable
app.config.update(dict(
    DATABASE=os.path.join(app.root_path, 'flaskr.db'),
    SECRET_KEY='development key',
    USERNAME='admin',
    PASSWORD='default'
))
app.config.from_envvar('FLASKR_SETTINGS', silent=True)


def connect_db():
    """Connects to the specific database."""
    rv = sqlite3.connect(app.config['DATABASE'])
    rv.row_factory = sqlite3.Row
    return rv


def init_db():
    db = get_db()
    with app.open_resource('schema.sql', mode='r') as f:
        db.cursor().executescript(f.read())
    db.commit()


@app.cli.command('initdb')
def initdb_command():
    """Initializes the database."""
    init_db()
    print('Initialized the database.')


@app.before_first_request
def create_tables():
    """Creates the schema on a fresh database, the first time Flaskr runs."""
    db = get_db()
    cur = db.execute("select name from sqlite_master where name = 'entries'")
    if cur.fetchone() is None:
        init_db()


def get_db():
    """Opens a new database connection if there is none yet for the
    current application context.
    """
    top = _app_ctx_stack.top
    if not hasattr(top, 'sqlite_db'):
        top.sqlite_db = connect_db()
    return top.sqlite_db


@app.teardown_appcontext
def close_db(error):
    """Closes the database again at the end of the request."""
    top = _app_ctx_stack.top
    if hasattr(top, 'sqlite_db'):
        top.sqlite_db.close()


@app.route('/')
def show_entries():
    db = get_db()
    cur = db.execute('select title, text from entries order by id desc')
    entries = cur.fetchall()
    if request.is_xhr:
        return jsonify(entries=[dict(title=e['title'], text=e['text'])
                                for e in entries])
    return render_template('show_entries.html', entries=entries)


@app.route('/add', methods=['POST'])
def add_entry():
    if not session.get('logged_in'):
        abort(401)
    db = get_db()
    db.execute('insert into entries (title, text) values (?, ?)',
               [request.form['title'], request.form['text']])
    db.commit()
    flash(Markup('New entry <em>%s</em> was successfully posted')
          % request.form['title'])
    return redirect(url_for('show_entries'))


@app.route('/export')
def export_entries():
    db = get_db()
    rows = db.execute('select title, text from entries order by id').fetchall()
    data = json.dumps([dict(title=r['title'], text=r['text']) for r in rows])
    return send_file(io.BytesIO(data.encode('utf-8')),
                     mimetype='application/json', as_attachment=True,
                     attachment_filename='flaskr-entries.json',
                     cache_timeout=0)


@app.route('/login', methods=['GET', 'POST'])
def login():
    error = None
    if request.method == 'POST':
        if request.form['username'] != app.config['USERNAME']:
            error = 'Invalid username'
        elif request.form['password'] != app.config['PASSWORD']:
            error = 'Invalid password'
        else:
            session['logged_in'] = True
            flash('You were logged in')
            return redirect(url_for('show_entries'))
    return render_template('login.html', error=error)


@app.route('/logout')
def logout():
    session.pop('logged_in', None)
    flash('You were logged out')
    return redirect(url_for('show_entries'))
