"""The HTML explorer and graph files: the store read into networkx, projected, laid out, written as one
offline page (or GraphML / GEXF)."""

from kg.explorer.page import export_graph, find_nodes, project, render_html, write_html

__all__ = ["export_graph", "find_nodes", "project", "render_html", "write_html"]
