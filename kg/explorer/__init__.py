"""The HTML explorer and graph files, one module per stage: the store read into networkx (read), projected
(projection), laid out (layout), written as one offline page (page) or as GraphML / GEXF (formats).

The modules import in that one direction only: read -> window -> projection -> layout -> page -> formats.
"""

from kg.explorer.formats import FORMATS, export_graph, write_gexf, write_graphml
from kg.explorer.page import page_data, render_html, write_html
from kg.explorer.projection import DEFAULT_HOPS, DEFAULT_MAX_NODES, collapse, find_nodes, project
from kg.explorer.read import read_graph

__all__ = [
    "DEFAULT_HOPS",
    "DEFAULT_MAX_NODES",
    "FORMATS",
    "collapse",
    "export_graph",
    "find_nodes",
    "page_data",
    "project",
    "read_graph",
    "render_html",
    "write_gexf",
    "write_graphml",
    "write_html",
]
