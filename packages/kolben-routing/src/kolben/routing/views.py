"""Class-based views: :class:`View` and the per-method :class:`MethodView`."""

from __future__ import annotations

import collections.abc as cabc
import typing as t

from kolben.contexts import current_app
from kolben.contexts import request

from ._typing import RouteCallable

#: The HTTP methods a :class:`MethodView` maps to methods of the same name.
http_method_funcs = frozenset(
    ["get", "post", "head", "options", "delete", "put", "trace", "patch"]
)


class View:
    """A view written as a class; subclass it and implement
    :meth:`dispatch_request`, then turn it into a view function with
    :meth:`as_view`::

        class Hello(View):
            def __init__(self, greeting):
                self.greeting = greeting

            def dispatch_request(self, name):
                return f"{self.greeting}, {name}!"

        app.add_url_rule("/hello/<name>", view_func=Hello.as_view("hello", "Hi"))

    By default an instance is created for every request, so it may keep
    request state on ``self``.
    """

    #: The HTTP methods the view accepts; ``None`` means the rule's default.
    methods: t.ClassVar[cabc.Collection[str] | None] = None

    #: Whether ``OPTIONS`` is answered automatically; ``None`` leaves it to
    #: the app's default.
    provide_automatic_options: t.ClassVar[bool | None] = None

    #: Decorators applied, in order, to the function :meth:`as_view` makes.
    decorators: t.ClassVar[list[cabc.Callable[..., t.Any]]] = []

    #: Create a new instance for every request. When false, one instance made
    #: by :meth:`as_view` serves every request, so it must not keep request
    #: state on ``self``.
    init_every_request: t.ClassVar[bool] = True

    def dispatch_request(self) -> t.Any:
        """Handle a request; receives the URL's values as keyword arguments and
        returns what a view function would.
        """
        raise NotImplementedError()

    @classmethod
    def as_view(
        cls, name: str, *class_args: t.Any, **class_kwargs: t.Any
    ) -> RouteCallable:
        """Return a view function for this class, named ``name`` (the default
        endpoint).

        ``class_args`` and ``class_kwargs`` are passed to the constructor. The
        function's ``view_class`` attribute holds the class it instantiates and
        may be replaced; ``methods`` and ``provide_automatic_options`` are
        copied from the class for :meth:`add_url_rule
        <kolben.routing.RoutingApp.add_url_rule>`.
        """
        view: t.Any
        if cls.init_every_request:

            def view(**kwargs: t.Any) -> t.Any:
                self = view.view_class(*class_args, **class_kwargs)
                return current_app.ensure_sync(self.dispatch_request)(**kwargs)

        else:
            instance = cls(*class_args, **class_kwargs)

            def view(**kwargs: t.Any) -> t.Any:
                return current_app.ensure_sync(instance.dispatch_request)(**kwargs)

        if cls.decorators:
            view.__name__ = name
            view.__module__ = cls.__module__
            for decorator in cls.decorators:
                view = decorator(view)

        # The class is looked up on the function at request time, so tests and
        # debuggers can swap it.
        view.view_class = cls
        view.__name__ = name
        view.__doc__ = cls.__doc__
        view.__module__ = cls.__module__
        view.methods = cls.methods
        view.provide_automatic_options = cls.provide_automatic_options
        return view  # type: ignore[no-any-return]


class MethodView(View):
    """A view that dispatches each HTTP method to the method of the same name::

        class Users(MethodView):
            def get(self):
                return list_users()

            def post(self):
                return create_user(request.form)

        app.add_url_rule("/users", view_func=Users.as_view("users"))

    :attr:`methods` is filled in from the handler methods a subclass defines
    (plus those its bases list) unless the class sets it. ``HEAD`` falls back
    to ``get``.
    """

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        if "methods" in cls.__dict__:
            return
        methods: set[str] = set()
        for base in cls.__bases__:
            base_methods = getattr(base, "methods", None)
            if base_methods:
                methods.update(base_methods)
        for name in http_method_funcs:
            if hasattr(cls, name):
                methods.add(name.upper())
        if methods:
            cls.methods = methods

    def dispatch_request(self, **kwargs: t.Any) -> t.Any:
        """Call the method named after the request's HTTP method."""
        method = request.method
        handler = getattr(self, method.lower(), None)
        if handler is None and method == "HEAD":
            handler = getattr(self, "get", None)
        assert handler is not None, f"Unimplemented method {method!r}"
        return current_app.ensure_sync(handler)(**kwargs)
