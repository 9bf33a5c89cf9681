"""`kg serve`: a SPARQL 1.1 endpoint over the store (Starlette app in `app`, query worker processes in `workers`)."""

from kg.serve.app import ServeOptions, create_app, serve

__all__ = ["ServeOptions", "create_app", "serve"]
